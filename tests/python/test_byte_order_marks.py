"""Files saved by hand on Windows start with a UTF-8 byte-order mark: a manual upload, a license
usage export or a CSV that holds one is read as the same file without it, never rejected for it
and never stopping the build (SPEC §3: bad input never stops the build)."""

import json

import pytest

from conftest import LICENSES, SUBSCRIPTIONS, envelope, payload, result_messages, write_raw_dir

BOM = "\ufeff"
LICENSE_USAGE = (
    "License Key,OFFLINE-LICENSE-KEY\r\nEmail,admin@offline.example\r\nLicense Start Date,2026-01-01\r\n"
    "License End Date,2026-12-31\r\nCompany,Offline Corp\r\nGenerated At,2026-05-01 10:00:00\r\n\r\n"
    "Date,Billable User Count\r\n2026-04-01,40\r\n2026-04-02,41\r\n"
)


@pytest.fixture(scope="module")
def built(dbt_project, tmp_path_factory):
    raw = write_raw_dir(
        tmp_path_factory.mktemp("raw-bom"),
        {"week-1.ndjson": [envelope(1, uuid="u-auto")]},
        manual_uploads={"airgap.json": BOM + json.dumps(payload(uuid="u-manual", recorded_at="2026-04-08T03:00:00Z"))},
        tables={"subscriptions.csv": BOM + SUBSCRIPTIONS, "licenses.csv": BOM + LICENSES},
    )
    (raw / "license_usage").mkdir()
    (raw / "license_usage" / "offline.csv").write_text(BOM + LICENSE_USAGE, encoding="utf-8")
    result = dbt_project.build(raw_data_dir=raw)
    assert result.success, result_messages(result)
    return dbt_project


def test_a_manual_upload_with_a_mark_is_accepted(built):
    assert built.query("select uuid, quarantine_reason from stg_raw__pings where upload_method = 'manual'") \
        == [("u-manual", None)]


def test_a_license_usage_export_with_a_mark_keeps_its_license(built):
    rows = built.query("select license_md5, licensee_company, usage_date, billable_users from stg_raw__license_usage "
                       "order by usage_date")
    assert [(company, str(day), users) for _, company, day, users in rows] \
        == [("Offline Corp", "2026-04-01", 40), ("Offline Corp", "2026-04-02", 41)]
    assert {md5 for md5, *_ in rows} == {built.query("select md5('OFFLINE-LICENSE-KEY')")[0][0]}


def test_csvs_with_a_mark_keep_their_first_column(built):
    assert built.query("select subscription_id from stg_raw__subscriptions order by 1") == [("sub-v1",), ("sub-v2",)]
    assert built.query("select license_md5 from stg_raw__licenses") == [("0cc175b9c0f1b6a831c399e269772661",)]
