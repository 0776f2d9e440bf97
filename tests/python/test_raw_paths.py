"""A raw data directory and its files may be named anything a file system allows: a quote in the
directory's path or in a file's name is text in the SQL, never the end of a string literal."""

import gzip
import json

import pytest

from conftest import envelope, payload, result_messages, write_raw_dir


@pytest.fixture(scope="module")
def built(dbt_project, tmp_path_factory):
    raw = write_raw_dir(
        tmp_path_factory.mktemp("raw") / "o'brien's raw",
        {"week o'1.ndjson": [envelope(1, uuid="u-plain")]},
        manual_uploads={"it's manual.json": json.dumps(payload(uuid="u-manual", recorded_at="2026-04-08T03:00:00Z"))},
    )
    with gzip.open(raw / "pings" / "week o'2.ndjson.gz", "wt", encoding="utf-8") as handle:
        handle.write(envelope(2, uuid="u-gzip", received_at="2026-04-13T05:00:00Z",
                              recorded_at="2026-04-13T03:00:00Z") + "\n")
    first = dbt_project.build(raw_data_dir=raw)
    assert first.success, result_messages(first)
    # the next build is incremental: the loaded names (with their quotes) are read back and skipped
    (raw / "pings" / "week o'3.ndjson").write_text(
        envelope(3, uuid="u-plain", received_at="2026-04-20T05:00:00Z", recorded_at="2026-04-20T03:00:00Z") + "\n",
        encoding="utf-8")
    second = dbt_project.build(raw_data_dir=raw)
    assert second.success, result_messages(second)
    return dbt_project, raw


def test_every_file_is_read_once_under_its_own_name(built):
    project, _ = built
    assert project.query("select file_name, line_number, uuid from stg_raw__pings order by 1") == [
        ("manual_uploads/it's manual.json", 1, "u-manual"),
        ("pings/week o'1.ndjson", 1, "u-plain"),
        ("pings/week o'2.ndjson.gz", 1, "u-gzip"),
        ("pings/week o'3.ndjson", 1, "u-plain"),
    ]


def test_the_input_directory_is_recorded_as_given(built):
    project, raw = built
    assert project.query("select raw_data_dir from incremental_input where model_name = 'stg_raw__pings'") \
        == [(str(raw),)]
