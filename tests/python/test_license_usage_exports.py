"""Offline license usage exports as they arrive (SPEC §2.3): a malformed export never stops the
build and none of its usage lines disappears - each line that cannot be read is kept with its
reason, and counted in rpt_data_quality (SPEC §3)."""

import pytest

from conftest import envelope, result_messages, write_raw_dir

HEADER = ("License Key,{key}\nEmail,admin@offline.example\nLicense Start Date,2026-01-01\n"
          "License End Date,2026-12-31\nCompany,Offline Corp\nGenerated At,2026-05-01 10:00:00\n")
EXPORTS = {
    # as documented: header block, blank line, table
    "good.csv": HEADER.format(key="KEY-GOOD") + "\nDate,Billable User Count\n2026-04-01,40\n2026-04-02,41\n",
    # no blank line before the table: still read
    "no_blank_line.csv": HEADER.format(key="KEY-NOBLANK") + "Date,Active User Count\n2026-04-01,7\n",
    # no License Key line
    "no_key.csv": HEADER.replace("License Key,{key}\n", "") + "\nDate,Billable User Count\n2026-04-01,9\n",
    # a table without its Date header
    "no_table_header.csv": HEADER.format(key="KEY-NOHEADER") + "\n2026-04-01,5\n",
    # a line whose date, and one whose count, does not read
    "bad_lines.csv": HEADER.format(key="KEY-BAD") + "\nDate,Billable User Count\nyesterday,3\n2026-04-03,-4\n2026-04-04,4\n",
}


@pytest.fixture(scope="module")
def built(dbt_project, tmp_path_factory):
    raw = write_raw_dir(tmp_path_factory.mktemp("raw-license-usage"), {"week-1.ndjson": [envelope(1)]})
    (raw / "license_usage").mkdir()
    for name, text in EXPORTS.items():
        (raw / "license_usage" / name).write_text(text, encoding="utf-8")
    result = dbt_project.build(raw_data_dir=raw)
    assert result.success, result_messages(result)
    return dbt_project


def test_every_usage_line_is_kept_with_its_reason(built):
    rows = built.query("select file_name, line_number, rejection_reason, billable_users from stg_raw__license_usage "
                       "order by file_name, line_number")
    assert [(name.split("/")[-1], line, reason, users) for name, line, reason, users in rows] == [
        ("bad_lines.csv", 9, "unparseable_date", 3),
        ("bad_lines.csv", 10, "invalid_count", -4),
        ("bad_lines.csv", 11, None, 4),
        ("good.csv", 9, None, 40),
        ("good.csv", 10, None, 41),
        ("no_blank_line.csv", 8, None, 7),
        ("no_key.csv", 8, "missing_license_key", 9),
        ("no_table_header.csv", 8, "missing_table_header", 5),
    ]


def test_a_valid_line_has_its_license(built):
    assert built.query("select count(*) from stg_raw__license_usage where is_valid_row and license_md5 is null") \
        == [(0,)]
    assert built.query("select count(distinct license_md5) from stg_raw__license_usage where is_valid_row") == [(3,)]


def test_rejected_lines_are_reported_and_counted(built):
    assert built.query("select file_name, line_number, rejection_reason from rpt_license_usage_rejected "
                       "order by 1, 2") == built.query(
        "select file_name, line_number, rejection_reason from stg_raw__license_usage where not is_valid_row order by 1, 2")
    assert built.query("select numerator, denominator from rpt_data_quality "
                       "where check_name = 'license_usage_lines_rejected'") == [(4, None)]
