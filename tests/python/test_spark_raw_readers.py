"""The Spark raw-file readers (macros/spark/raw_input.sql) return what DuckDB's return, on a raw
data directory of edge cases. Needs dbt-spark and pyspark (.venv-spark, Java 17), so it is
skipped elsewhere (`make test` stays DuckDB-only):

    .venv-spark/bin/python -m pytest tests/python/test_spark_raw_readers.py     # about a minute
"""

import gzip
import os

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("dbt.adapters.spark")

from conftest import ROOT, _env  # noqa: E402
from dbt.cli.main import dbtRunner  # noqa: E402

QUERIES = {
    "pings": "select file_name, line_number, line from {{ raw_input('pings') }} as r order by file_name, line_number",
    "manual_uploads": "select file_name, content from {{ raw_input('manual_uploads') }} as r order by file_name",
    "subscriptions": "select * from {{ raw_input('subscriptions') }} as r order by subscription_id",
    "licenses": "select * from {{ raw_input('licenses') }} as r",  # optional and absent: no rows
    "saas_usage": "select * from {{ raw_input('saas_usage') }} as r",  # optional, no directory
}


def _raw_dir(base):
    raw = base / "raw"
    (raw / "pings" / "older").mkdir(parents=True)
    (raw / "manual_uploads").mkdir()
    # byte-order mark, CRLF, a blank line, a \r-only line, no newline at the end
    (raw / "pings" / "a.ndjson").write_bytes(b'\xef\xbb\xbf{"id":1}\r\n{"id":2}\r\n\n\r\n{"id":3}')
    # gzip, a space, a comma and a quote in the name, the empty text after the final \n is not a line
    (raw / "pings" / "b c,d'e.ndjson.gz").write_bytes(gzip.compress(b'{"id":4}\n{"id":5}\n', mtime=0))
    (raw / "pings" / "older" / "x.ndjson").write_text('{"id":6}\n')  # not matched by pings/*.ndjson*
    (raw / "pings" / "notes.txt").write_text("not a ping file\n")
    (raw / "manual_uploads" / "m.json").write_text('{\r\n  "uuid": "u-1"\r\n}\r\n')
    (raw / "subscriptions.csv").write_text(  # a byte-order mark; no namespace_id column; quoting per RFC 4180
        "\ufeffsubscription_id,subscription_name,subscription_version,account_id,account_name,plan,delivery,"
        "licensed_seats,term_start_date,term_end_date,status\n"
        'sub-1,S-1,1,ACC-1,"Example, ""Corp""",ultimate,self_managed,200,2025-01-01,2025-12-31,Active\n'
        "sub-2,S-2,1,ACC-2,Other,premium,saas,,2026-01-01,2026-12-31,Active\n"
    )
    return raw


def _show(target, raw, query, base):
    command = ["show", "--inline", query, "--limit", "1000", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
               "--target", target, "--target-path", str(base / f"target-{target}"), "--vars", f"{{raw_data_dir: {raw}}}"]
    result = dbtRunner().invoke(command)
    assert result.success, result.exception
    table = result.result.results[0].agate_table
    return list(table.column_names), [tuple(None if value is None else str(value) for value in row) for row in table.rows]


def test_spark_readers_match_duckdb(tmp_path):
    raw = _raw_dir(tmp_path)
    spark_env = {
        "SPARK_WAREHOUSE_DIR": str(tmp_path / "warehouse"), "SPARK_METASTORE_DIR": str(tmp_path / "metastore"),
        "SPARK_DERBY_HOME": str(tmp_path), "DBT_SPARK_SCHEMA": "raw_readers_test", "TZ": "UTC",
    }
    results = {}
    with _env(DUCKDB_PATH=str(tmp_path / "test.duckdb"), DUCKDB_TEMP_DIR=str(tmp_path / "duckdb_tmp")):
        results["duckdb"] = {entity: _show("duckdb", raw, query, tmp_path) for entity, query in QUERIES.items()}
    with _env(**spark_env):
        results["spark"] = {entity: _show("spark", raw, query, tmp_path) for entity, query in QUERIES.items()}
    # an empty CSV field is '' on DuckDB (whose reader tells it from a missing field) and NULL on
    # Spark; staging reads both as NULL (nullif(trim(...), '')), so they compare as NULL here
    for engine in results.values():
        for entity in ("subscriptions", "licenses"):
            columns, rows = engine[entity]
            engine[entity] = (columns, [tuple(None if value == "" else value for value in row) for row in rows])
    assert results["spark"] == results["duckdb"]
    pings = results["duckdb"]["pings"][1]
    assert pings == [
        ("pings/a.ndjson", "1", '{"id":1}'), ("pings/a.ndjson", "2", '{"id":2}'), ("pings/a.ndjson", "3", ""),
        ("pings/a.ndjson", "4", ""), ("pings/a.ndjson", "5", '{"id":3}'),
        ("pings/b c,d'e.ndjson.gz", "1", '{"id":4}'), ("pings/b c,d'e.ndjson.gz", "2", '{"id":5}'),
    ]
    columns, subscriptions = results["duckdb"]["subscriptions"]
    assert [row[columns.index("namespace_id")] for row in subscriptions] == [None, None]
    assert [row[columns.index("line_number")] for row in subscriptions] == ["2", "3"]
    assert subscriptions[0][4] == 'Example, "Corp"'
    assert results["duckdb"]["licenses"][1] == [] and results["duckdb"]["saas_usage"][1] == []
