"""The Spark raw-file readers (macros/spark/raw_input.sql) return what DuckDB's return, on raw data
directories of edge cases, with Spark reading files in splits of a few KB (so lines cross split
boundaries). Needs dbt-spark and pyspark (.venv-spark, Java 17), so it is skipped elsewhere
(`make test` stays DuckDB-only):

    .venv-spark/bin/python -m pytest tests/python/test_spark_raw_readers.py     # a few minutes
"""

import gzip
import os

import pytest

pytest.importorskip("pyspark")
pytest.importorskip("dbt.adapters.spark")

from conftest import ROOT, _env, envelope  # noqa: E402
from dbt.cli.main import dbtRunner  # noqa: E402

# one Spark session serves the whole module (pyspark keeps the first one): its settings, with
# splits small enough that every test file is read by several tasks
SPLIT_BYTES = 16384


@pytest.fixture(scope="module")
def spark_env(tmp_path_factory):
    base = tmp_path_factory.mktemp("spark")
    return {
        "SPARK_WAREHOUSE_DIR": str(base / "warehouse"), "SPARK_METASTORE_DIR": str(base / "metastore"),
        "SPARK_DERBY_HOME": str(base), "DBT_SPARK_SCHEMA": "raw_readers_test", "TZ": "UTC",
        "SPARK_MAX_PARTITION_BYTES": str(SPLIT_BYTES),
    }

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


def _show(target, raw, query, base, limit=1000):
    command = ["show", "--inline", query, "--limit", str(limit), "--project-dir", str(ROOT), "--profiles-dir", str(ROOT),
               "--target", target, "--target-path", str(base / f"target-{target}"), "--vars", f"{{raw_data_dir: {raw}}}"]
    result = dbtRunner().invoke(command)
    assert result.success, result.exception
    table = result.result.results[0].agate_table
    return list(table.column_names), [tuple(None if value is None else str(value) for value in row) for row in table.rows]


def test_spark_readers_match_duckdb(tmp_path, spark_env):
    raw = _raw_dir(tmp_path)
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


def _split_raw_dir(base):
    """Ping files as they arrive in the wild (tests/python/test_raw_file_formats.py, without the
    damaged gzip streams), and a file of lines of every length, many times the split size."""
    raw = base / "raw"
    pings = raw / "pings"
    pings.mkdir(parents=True)
    (pings / "windows.ndjson").write_bytes(
        (envelope(1, uuid="crlf-1") + "\r\n\r\n" + envelope(2, uuid="crlf-2") + "\r\n").encode())
    (pings / "bom.ndjson").write_bytes(b"\xef\xbb\xbf" + (envelope(3, uuid="bom-1") + "\n").encode())
    (pings / "empty.ndjson").write_bytes(b"")
    (pings / "empty.ndjson.gz").write_bytes(gzip.compress(b""))
    latin1 = (envelope(11, uuid="utf8", hostname="caf\u00e9.example").replace("\\u00e9", "\u00e9") + "\n").encode() \
        + envelope(12, uuid="latin1", hostname="caf\u00e9.example").replace("\\u00e9", "\u00e9").encode("latin-1") + b"\n" \
        + '{"id": 13, "payload": {"hostname": "caf\u00e9"}}'.encode()[:-4] + b"\n" \
        + (envelope(14, uuid="after") + "\n").encode()
    (pings / "latin1.ndjson").write_bytes(latin1)
    (pings / "latin1.ndjson.gz").write_bytes(gzip.compress(latin1, mtime=0))
    (pings / "lone-cr.ndjson").write_bytes((envelope(34, uuid="cr-1") + "\n{\"id\": 35,\r\"x\": 1}\n"
                                            + envelope(36, uuid="cr-after")).encode())
    lines = []
    for number in range(400):  # short, long (over several splits), empty, blank and invalid lines
        size = 40_000 if number in (200, 201) else (number * 7919) % 9 * (number % 5) * 20
        lines.append("" if number % 23 == 0 else "  " if number % 41 == 0 else "{not json" if number % 37 == 0
                     else envelope(1000 + number, uuid=f"split-{number}", filler="x" * size))
    text = "\n".join(lines).encode()
    (pings / "split.ndjson").write_bytes(b"\xef\xbb\xbf" + text.replace(b"\n", b"\r\n", 50) + b"\n")
    (pings / "split.ndjson.gz").write_bytes(gzip.compress(text, mtime=0))  # one task: gzip does not split
    (raw / "manual_uploads").mkdir()
    (raw / "manual_uploads" / "latin1.json").write_bytes('{"uuid": "m", "hostname": "soci\u00e9t\u00e9"}'.encode("latin-1"))
    (raw / "subscriptions.csv").write_text("subscription_id,subscription_name,subscription_version,account_id,"
                                           "account_name,plan,delivery,licensed_seats,term_start_date,term_end_date,status\n")
    return raw


def _build_staging(target, raw, base):
    command = ["build", "--select", "+stg_raw__pings", "--exclude-resource-type", "test", "unit_test",
               "--full-refresh", "--project-dir", str(ROOT), "--profiles-dir", str(ROOT), "--target", target,
               "--target-path", str(base / f"target-{target}"), "--vars", f"{{raw_data_dir: {raw}}}"]
    result = dbtRunner().invoke(command)
    assert result.success, result.exception
    return _show(target, raw, "select file_name, line_number, uuid, quarantine_reason, raw_line from {{ ref('stg_raw__pings') }} "
                 "as p order by file_name, line_number", base, limit=5000)[1]


def test_split_line_reader_matches_duckdb(tmp_path, spark_env):
    """Every line of a file Spark reads in many splits has DuckDB's number, text and quarantine
    reason; a cut or corrupt gzip stream stops the Spark build naming its file."""
    raw = _split_raw_dir(tmp_path)
    with _env(DUCKDB_PATH=str(tmp_path / "test.duckdb"), DUCKDB_TEMP_DIR=str(tmp_path / "duckdb_tmp"),
              DBT_PROJECT_DIR=str(ROOT)):
        duckdb_rows = _build_staging("duckdb", raw, tmp_path)
    with _env(**spark_env):
        blocks = _show("spark", raw, f"select count(distinct _metadata.file_block_start) from text.`{raw}/pings/split.ndjson`",
                       tmp_path)[1]
        spark_rows = _build_staging("spark", raw, tmp_path)
    assert int(blocks[0][0]) > 10  # the file was read in that many splits
    split = [row for row in duckdb_rows if row[0] == "pings/split.ndjson"]
    assert len(split) == 400 and [row[1] for row in split] == [str(number) for number in range(1, 401)]
    assert {row[3] for row in split} == {None, "empty_line", "invalid_json"}
    assert ("pings/latin1.ndjson", "2", None, "not_utf8") == duckdb_rows[[row[:2] for row in duckdb_rows].index(
        ("pings/latin1.ndjson", "2"))][:4]
    # the one difference: Spark's file sources do not see a zero-byte file (README)
    assert ("pings/empty.ndjson", None, None, "empty_file", None) in duckdb_rows
    expected = [row for row in duckdb_rows if row[0] != "pings/empty.ndjson"]
    assert spark_rows == expected, ([row for row in spark_rows if row not in expected][:5],
                                    [row for row in expected if row not in spark_rows][:5])

    # a cut gzip stream, then a corrupt one (its stored length no longer matches)
    whole = gzip.compress("".join(envelope(20 + n, uuid=f"cut-{n}", filler="y" * 3000) + "\n" for n in range(6)).encode())
    corrupt = bytearray(gzip.compress((envelope(30, uuid="corrupt") + "\n").encode()))
    corrupt[-6] ^= 0xFF
    for name, content in (("cut.ndjson.gz", whole[:len(whole) * 2 // 3]), ("corrupt.ndjson.gz", bytes(corrupt))):
        for damaged in (raw / "pings").glob("c*.ndjson.gz"):
            damaged.unlink()
        (raw / "pings" / name).write_bytes(content)
        with _env(**spark_env):
            result = dbtRunner().invoke(["show", "--inline", "select count(*) from {{ raw_input('pings') }} as r",
                                         "--project-dir", str(ROOT), "--profiles-dir", str(ROOT), "--target", "spark",
                                         "--target-path", str(tmp_path / "target-spark"), "--vars", f"{{raw_data_dir: {raw}}}"])
        assert not result.success and name in str(result.exception), (name, str(result.exception)[:2000])
