"""Ping files as they arrive in the wild: Windows line endings, a UTF-8 byte-order mark, an empty
file, gzip - every line is still read once, with its own line number."""

import gzip

import pytest

from conftest import envelope, write_raw_dir


@pytest.fixture(scope="module")
def staged(dbt_project, tmp_path_factory):
    raw = write_raw_dir(tmp_path_factory.mktemp("raw-formats"), {})
    pings = raw / "pings"
    (pings / "windows.ndjson").write_bytes(
        (envelope(1, uuid="crlf-1") + "\r\n\r\n" + envelope(2, uuid="crlf-2") + "\r\n").encode())
    (pings / "bom.ndjson").write_bytes(b"\xef\xbb\xbf" + (envelope(3, uuid="bom-1") + "\n").encode())
    (pings / "empty.ndjson").write_bytes(b"")
    with gzip.open(pings / "zipped.ndjson.gz", "wt", encoding="utf-8") as handle:
        handle.write(envelope(4, uuid="gz-1") + "\n" + envelope(5, uuid="gz-2") + "\n")
    result = dbt_project.invoke(
        "build", "--select", "+stg_raw__pings", "--indirect-selection", "cautious",
        "--exclude", "test_type:unit", raw_data_dir=raw,
    )
    assert result.success, result.exception
    return dbt_project


def test_every_line_read_once_with_its_number(staged):
    rows = staged.query("select file_name, line_number, uuid, quarantine_reason from stg_raw__pings order by 1, 2")
    assert rows == [
        ("pings/bom.ndjson", 1, "bom-1", None),
        ("pings/windows.ndjson", 1, "crlf-1", None),
        ("pings/windows.ndjson", 2, None, "empty_line"),
        ("pings/windows.ndjson", 3, "crlf-2", None),
        ("pings/zipped.ndjson.gz", 1, "gz-1", None),
        ("pings/zipped.ndjson.gz", 2, "gz-2", None),
    ]
