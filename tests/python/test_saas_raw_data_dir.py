"""Hosted and self-managed customers side by side from one raw data directory (SPEC §2.7, §4.10)."""

import json

import pytest

from conftest import LICENSES, envelope, write_raw_dir

SUBSCRIPTIONS = (
    "subscription_id,subscription_name,subscription_version,account_id,account_name,plan,delivery,"
    "licensed_seats,term_start_date,term_end_date,status,namespace_id\n"
    "sub-v1,S-1,1,ACC-1,Example Corp,ultimate,self_managed,100,2025-01-01,2025-12-31,Expired,\n"
    "sub-v2,S-1,2,ACC-1,Example Corp,ultimate,self_managed,100,2026-01-01,2026-12-31,Active,\n"
    "sub-saas,S-2,1,ACC-1,Example Corp,premium,saas,50,2026-01-01,2026-12-31,Active,77\n"
    "sub-unlinked,S-3,1,ACC-2,Hosted Only,premium,saas,20,2026-01-01,2026-12-31,Active,\n"
)


def measurement(namespace_id, recorded_at, billable_members):
    metrics = {"usage_activity_by_stage_monthly": {"manage": {"events": billable_members}}}
    return json.dumps({"namespace_id": namespace_id, "recorded_at": recorded_at,
                       "billable_members": billable_members, "metrics": metrics})


@pytest.fixture(scope="module")
def built(dbt_project, tmp_path_factory):
    raw = write_raw_dir(
        tmp_path_factory.mktemp("raw-saas"),
        {"week.ndjson": [envelope(1, uuid="u-1", recorded_at="2026-04-06T03:00:00Z", license_billable_users=60)]},
        tables={"subscriptions.csv": SUBSCRIPTIONS, "licenses.csv": LICENSES},
    )
    (raw / "saas_usage").mkdir()
    (raw / "saas_usage" / "2026-04-06.ndjson").write_text("\n".join([
        measurement(77, "2026-04-06T00:00:00Z", 30),
        measurement(88, "2026-04-06T00:00:00Z", 5),
        "not json",
    ]) + "\n", encoding="utf-8")
    result = dbt_project.build(raw_data_dir=raw)
    assert result.success, result.exception
    return dbt_project


def test_account_utilization_sums_self_managed_and_hosted(built):
    rows = built.query(
        "select licensed_seats, billable_users, license_utilization from mart_account_health "
        "where account_id = 'ACC-1' and month = date '2026-04-01'"
    )
    assert rows == [(150, 90, 0.6)]


def test_namespace_is_the_primary_production_deployment(built):
    rows = built.query(
        "select uuid, delivery, instance_type, instance_type_source, is_primary_instance from mart_instance_monthly "
        "where subscription_id = 'sub-saas'"
    )
    assert rows == [("namespace-77", "saas", "Production", "saas_namespace", True)]
    [(utilization,)] = built.query(
        "select license_utilization from mart_subscription_monthly where subscription_id = 'sub-saas' and month = date '2026-04-01'"
    )
    assert utilization == 0.6


def test_link_problems_are_reported(built):
    rows = built.query("select reason, subscription_id, namespace_id from rpt_saas_namespace_links order by reason")
    assert rows == [("namespace_without_subscription", None, 88), ("saas_subscription_without_namespace", "sub-unlinked", None)]


def test_bad_saas_lines_are_quarantined_not_dropped(built):
    rows = built.query("select line_number, quarantine_reason from stg_raw__saas_usage where quarantine_reason is not null")
    assert rows == [(3, "invalid_json")]
