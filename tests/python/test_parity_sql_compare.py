"""scripts/parity.py: its comparison in DuckDB SQL (marts too big to fetch) applies the row-by-row
comparison's rules to a Parquet export of the Spark side, and --incremental-from holds back the right files,
brings the late copies and the inputs before their corrections."""

import gzip
import json
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import parity  # noqa: E402

ROWS = """(1, 'a', 1.0, 'x', timestamp '2026-03-02 10:00:00'),
          (1, 'b', null, 'y', null),
          (2, 'a', 3e9, null, timestamp '2026-03-09 00:00:00')"""


def spark_side(connection, tmp_path, select):
    """The "Spark" export: a directory of Parquet files, as `insert overwrite directory` writes."""
    directory = tmp_path / "export"
    directory.mkdir()
    connection.execute(f"copy ({select}) to '{directory / 'part-00000.parquet'}' (format parquet)")
    return directory


@pytest.fixture
def connection():
    connection = duckdb.connect()
    connection.execute("create table mart (ping_id bigint, key_path varchar, metric_value double, "
                       f"status varchar, recorded_at timestamptz); insert into mart values {ROWS}")
    return connection


def test_the_same_rows_with_a_float_within_tolerance_are_identical(connection, tmp_path):
    directory = spark_side(connection, tmp_path, "select ping_id, key_path, case when metric_value = 3e9 "
                           "then 3e9 * (1 + 1e-12) else metric_value end as metric_value, status, "
                           "cast(recorded_at as timestamp) as recorded_at from mart")
    assert parity.compare_in_duckdb(connection, "mart", directory, ["ping_id", "key_path"], 3) == []


@pytest.mark.parametrize("change, expected", [
    ("select * replace (case when metric_value = 1.0 then 1.5 else metric_value end as metric_value) from mart",
     "1 rows with differing values, e.g. keys [{'ping_id': 1, 'key_path': 'a'}]"),
    ("select * replace (coalesce(metric_value, 0) as metric_value) from mart",  # NULL is not 0
     "1 rows with differing values, e.g. keys [{'ping_id': 1, 'key_path': 'b'}]"),
    ("select * replace (case when status = 'y' then 'z' else status end as status) from mart",
     "1 rows with differing values"),
    ("select * replace (recorded_at + interval 1 hour as recorded_at) from mart", "2 rows with differing values"),
    ("select * from mart where key_path = 'a'", "1 keys only in duckdb, e.g. [{'ping_id': 1, 'key_path': 'b'}]"),
    ("select * from mart union all select 3, 'a', 1.0, 'x', null", "1 keys only in spark"),
    ("select * from mart union all select * from mart where ping_id = 2", "duplicate keys"),
])
def test_a_difference_is_reported(connection, tmp_path, change, expected):
    directory = spark_side(connection, tmp_path, change)
    problems = parity.compare_in_duckdb(connection, "mart", directory, ["ping_id", "key_path"], 3)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_missing_column_is_reported(connection, tmp_path):
    directory = spark_side(connection, tmp_path, "select * exclude (status) from mart")
    problems = parity.compare_in_duckdb(connection, "mart", directory, ["ping_id", "key_path"], 3)
    assert problems[0].startswith("columns differ")


def test_files_from_a_date_are_the_weeks_and_manual_uploads_received_after_it(tmp_path):
    for name in ("pings/2026-06-22.ndjson", "pings/2026-06-29.ndjson.gz", "saas_usage/2026-06-22.ndjson",
                 "saas_usage/2026-07-06.ndjson", "manual_uploads/host-2026-05.json",
                 "manual_uploads/host-2026-06-30.json", "manual_uploads/other-2026-07.json", "licenses.csv"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    held = sorted(str(path.relative_to(tmp_path)) for path in parity.files_from(tmp_path, "2026-06-29"))
    assert held == ["manual_uploads/host-2026-06-30.json", "manual_uploads/other-2026-07.json",
                    "pings/2026-06-29.ndjson.gz", "saas_usage/2026-07-06.ndjson"]


def test_corrections_are_applied_to_copies_never_to_the_linked_originals(tmp_path):
    original, copy = tmp_path / "original", tmp_path / "copy"
    original.mkdir()
    (original / "instance_types.csv").write_text("uuid,hostname\nu1,h1\nu2,h2\n", encoding="utf-8")
    (original / "license_md5_to_subscription_mapping.csv").write_text("license_md5,zuora_subscription_id\nm1,s1\n",
                                                                      encoding="utf-8")
    (original / "subscriptions.csv").write_text(
        "subscription_id,subscription_name,term_start_date,term_end_date\n"
        "s1,A-1,2026-01-01,2026-12-31\ns2,A-2,2026-02-01,2027-01-31\n", encoding="utf-8")
    copy.mkdir()
    for path in original.iterdir():
        (copy / path.name).hardlink_to(path)
    earlier = parity.before_corrections(copy)
    for path, lines in earlier.items():
        parity._write_lines(path, lines)
    # the rows a correction adds are not there yet; the last subscription started a quarter earlier
    assert (copy / "instance_types.csv").read_text(encoding="utf-8") == "uuid,hostname\nu1,h1\n"
    mapping = (copy / "license_md5_to_subscription_mapping.csv").read_text(encoding="utf-8")
    assert mapping == "license_md5,zuora_subscription_id\n"
    assert (copy / "subscriptions.csv").read_text(encoding="utf-8").splitlines()[-1] == "s2,A-2,2025-11-01,2027-01-31"
    # the hard-linked originals are untouched
    assert (original / "instance_types.csv").read_text(encoding="utf-8") == "uuid,hostname\nu1,h1\nu2,h2\n"
    [*_, last] = (original / "subscriptions.csv").read_text(encoding="utf-8").splitlines()
    assert last == "s2,A-2,2026-02-01,2027-01-31"


def test_late_copies_are_a_ping_sent_again_and_the_automatic_copy_of_a_manual_upload(tmp_path):
    (tmp_path / "pings").mkdir()
    (tmp_path / "manual_uploads").mkdir()
    first = {"id": 1, "received_at": "2026-03-02T10:00:00Z", "payload": {"uuid": "u1"}}
    # a byte-order mark and CRLF line ends, as parity's raw directory writes its first file
    (tmp_path / "pings" / "2026-03-02.ndjson").write_bytes(b"\xef\xbb\xbf" + json.dumps(first).encode() + b"\r\n")
    uploaded = {"uuid": "u2", "recorded_at": "2026-05-10T08:00:00Z"}
    (tmp_path / "manual_uploads" / parity.AUTOMATIC_COPY_OF).write_text(json.dumps(uploaded), encoding="utf-8")
    week = tmp_path / "pings" / "2026-06-29.ndjson.gz"
    week.write_bytes(gzip.compress(b'{"id": 7}\n'))
    parity.add_late_copies(tmp_path, week)
    kept, resent, automatic = [json.loads(line) for line in gzip.decompress(week.read_bytes()).decode().splitlines()]
    assert kept == {"id": 7}
    assert resent == dict(first, received_at="2026-03-09T10:00:00Z")
    assert automatic == {"id": 10**9, "received_at": "2026-05-10T09:00:00Z", "payload": uploaded}
