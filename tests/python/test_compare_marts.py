"""scripts/compare_marts.py: the row-by-row proof that a refactoring left every mart as it was."""

import importlib.util
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("compare_marts", ROOT / "scripts" / "compare_marts.py")
compare_marts = importlib.util.module_from_spec(spec)
spec.loader.exec_module(compare_marts)


def _database(path, statements):
    connection = duckdb.connect(str(path))
    connection.execute("create schema marts")
    connection.execute("create schema staging")
    for statement in statements:
        connection.execute(statement)
    connection.close()
    return path


def test_order_and_nulls_do_not_matter_but_values_duplicates_and_columns_do(tmp_path):
    before = _database(tmp_path / "before.duckdb", [
        "create table marts.same as select * from (values (1, null), (2, 'b')) as rows(id, name)",
        "create table marts.changed as select * from (values (1, null), (2, 'b')) as rows(id, name)",
        "create table marts.doubled as select * from (values (1, 'a')) as rows(id, name)",
        "create table marts.retyped as select 1 as id",
        "create table marts.dropped as select 1 as id",
        "create table staging.ignored as select 1 as id",
    ])
    after = _database(tmp_path / "after.duckdb", [
        "create table marts.same as select * from (values (2, 'b'), (1, null)) as rows(id, name)",
        "create table marts.changed as select * from (values (1, 'a'), (2, 'b')) as rows(id, name)",
        "create table marts.doubled as select * from (values (1, 'a'), (1, 'a')) as rows(id, name)",
        "create table marts.retyped as select 1.0 as id",
        "create table staging.ignored as select 2 as id",
    ])
    results = {name: (status, details) for name, status, details in compare_marts.compare(before, after)}
    assert {name: status for name, (status, _) in results.items()} == {
        "marts.same": "identical",
        "marts.changed": "DIFFERENT",
        "marts.doubled": "DIFFERENT",
        "marts.retyped": "DIFFERENT",
        "marts.dropped": "only before",
    }
    assert "1 row(s) only before, e.g.:" in results["marts.changed"][1]
    assert "1 row(s) only after, e.g.:" in results["marts.changed"][1]
    assert results["marts.doubled"][1][1:] == ["1 row(s) only after, e.g.:", "    (1, 'a')"]
    assert not compare_marts.report(list(compare_marts.compare(before, after)))
    assert compare_marts.report(list(compare_marts.compare(before, before)))
