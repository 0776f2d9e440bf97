"""A whole build on a crafted raw data directory: bad input is quarantined with its reason,
file and line, nothing is lost, and the build goes on (SPEC §3)."""

import json

import pytest

from conftest import envelope, payload, result_messages, write_raw_dir

DRIFT = {  # catalog key path -> value sent (ping 1)
    "counts.issues": "12",
    "counts.merge_requests": True,
    "counts.projects": 1.5e3,
    "counts.todos": {"unexpected": 1},
    "counts.epics": 2 ** 60,
    "counts.ci_builds": -1,
    "counts.environments": -7,
    "counts.feature_flags": 0,
    "counts.remote_mirrors": None,
}
GOOD = [
    envelope(1, uuid="u-1", recorded_at="2026-04-06T03:00:00Z", received_at="2026-04-06T05:00:00Z",
             counts={key.split(".", 1)[1]: value for key, value in DRIFT.items()} | {"not_in_catalog": 5}),
    envelope(2, uuid="u-1", recorded_at="2026-04-13T03:00:00Z", received_at="2026-04-13T05:00:00Z"),
    # re-delivery of ping 2: same instance and recorded_at, later received -> duplicate
    envelope(3, uuid="u-1", recorded_at="2026-04-13T03:00:00Z", received_at="2026-04-14T05:00:00Z"),
    # a 13.x instance: no license_billable_users key
    json.dumps({"id": 4, "received_at": "2026-04-07T05:00:00Z", "source_ip": "192.0.2.124",
                "payload": {k: v for k, v in payload(uuid="u-old", version="13.9.0").items() if k != "license_billable_users"}}),
]
BAD = {  # line -> expected reason
    "this is not json": "invalid_json",
    '{"id": 90, "received_at": "2026-04-06T05:00:00Z", "payload": {"uuid": "tru': "invalid_json",
    "[1, 2, 3]": "not_a_json_object",
    json.dumps({"id": 91, "received_at": "2026-04-06T05:00:00Z", "source_ip": "192.0.2.1"}): "missing_payload",
    json.dumps({"id": 92, "received_at": "2026-04-06T05:00:00Z", "payload": {"hostname": "h"}}): "missing_uuid",
    envelope(93, recorded_at="sometime in April"): "unparseable_recorded_at",
    envelope(94, recorded_at="2026-04-09T03:00:00Z", received_at="2026-04-06T05:00:00Z"): "recorded_at_after_received_at",
    "": "empty_line",
    json.dumps({"id": 95, "received_at": "2026-04-06T05:00:00Z", "payload": "not an object"}): "missing_payload",
    json.dumps({"id": 96, "received_at": "2026-04-06T05:00:00Z", "payload": {"uuid": "u-x"}}): "missing_hostname",
    json.dumps({"received_at": "2026-04-06T05:00:00Z", "payload": payload()}): "missing_or_invalid_id",
    json.dumps({"id": 97, "received_at": "soon", "payload": payload()}): "missing_or_invalid_received_at",
}
MANUAL_COPY = json.dumps(payload(uuid="u-1", recorded_at="2026-04-06T03:00:00Z"))  # same as automatic ping 1
MANUAL_ONLY = json.dumps(payload(uuid="u-airgap", hostname="airgap.example.com", recorded_at="2026-04-20T03:00:00Z"))


@pytest.fixture(scope="module")
def built(dbt_project, tmp_path_factory):
    raw = write_raw_dir(
        tmp_path_factory.mktemp("raw"),
        {"week-1.ndjson": GOOD[:2] + list(BAD), "week-2.ndjson.gz": GOOD[2:]},
        manual_uploads={"copy.json": MANUAL_COPY, "airgap.json": MANUAL_ONLY},
        gz={"week-2.ndjson.gz"},
    )
    result = dbt_project.build(raw_data_dir=raw)
    return dbt_project, result


def test_build_succeeds_despite_bad_lines(built):
    _, result = built
    assert result.success, result.exception


def test_each_bad_line_is_quarantined_with_reason_file_and_line(built):
    project, _ = built
    rows = project.query("select file_name, line_number, quarantine_reason from rpt_pings_quarantined order by line_number")
    expected = [("pings/week-1.ndjson", 3 + index, reason) for index, reason in enumerate(BAD.values())]
    assert rows == expected


def test_lines_reconcile(built):
    project, _ = built
    [(read,)] = project.query("select count(*) from stg_raw__pings")
    [(accepted,)] = project.query("select count(*) from fct_service_ping")
    [(duplicates,)] = project.query("select count(*) from int_service_pings_deduplicated where is_duplicate")
    [(quarantined,)] = project.query("select count(*) from rpt_pings_quarantined")
    assert read == len(GOOD) + len(BAD) + 2
    assert (accepted, duplicates, quarantined) == (4, 2, len(BAD))
    assert read == accepted + duplicates + quarantined


def test_duplicates_keep_the_automatic_then_earliest_copy(built):
    project, _ = built
    rows = project.query("select ping_id, upload_method from fct_service_ping where uuid = 'u-1' order by ping_at")
    assert rows == [(1, "automatic"), (2, "automatic")]
    [(method,)] = project.query("select upload_method from fct_service_ping where uuid = 'u-airgap'")
    assert method == "manual"


def test_billable_users_before_14_stay_null(built):
    project, _ = built
    assert project.query("select billable_users from fct_service_ping where uuid = 'u-old'") == [(None,)]
    assert project.query("select license_utilization from mart_instance_monthly where uuid = 'u-old'") == [(None,)]


def test_license_resolves_to_current_version(built):
    project, _ = built
    rows = project.query("select distinct subscription_id, mapping_source from fct_service_ping where uuid = 'u-1'")
    assert rows == [("sub-v2", "license")]


def test_missing_required_input_names_the_file(dbt_project, tmp_path):
    raw = write_raw_dir(tmp_path / "no-subscriptions", {"week.ndjson": GOOD[:1]}, tables={})
    result = dbt_project.invoke("run", "--select", "stg_raw__subscriptions", raw_data_dir=raw)
    assert not result.success
    assert "subscriptions.csv" in result_messages(result)

    raw = tmp_path / "no-pings"
    raw.mkdir()
    (raw / "subscriptions.csv").write_text("subscription_id\n", encoding="utf-8")
    result = dbt_project.invoke("run", "--select", "stg_raw__pings", raw_data_dir=raw)
    assert not result.success
    assert "pings/" in result_messages(result)


def test_value_drift_is_cast_or_flagged_never_a_failed_build(built):
    project, _ = built
    rows = dict(
        (key, (value, status)) for key, value, status in project.query(
            "select key_path, metric_value, value_status from fct_service_ping_metric where ping_id = 1")
    )
    assert rows["counts.issues"] == (12, "ok")
    assert rows["counts.merge_requests"] == (1, "ok")
    assert rows["counts.projects"] == (1500, "ok")
    assert rows["counts.todos"] == (None, "invalid")
    assert rows["counts.epics"] == (float(2 ** 60), "ok")
    assert rows["counts.ci_builds"] == (None, "failed")
    assert rows["counts.environments"] == (None, "invalid")
    assert rows["counts.feature_flags"] == (0, "ok")
    assert rows["counts.remote_mirrors"] == (None, "not_instrumented")
    assert rows["counts.source_code_pushes"] == (None, "not_instrumented")  # absent from the payload
    assert "counts.not_in_catalog" not in rows


def test_no_accepted_ping_and_no_as_of_date_is_a_clear_error(dbt_project, tmp_path):
    # nothing dates the build: it stops, saying what to set, instead of a NULL as-of date
    raw = write_raw_dir(tmp_path / "only-bad-lines", {"week.ndjson": ["this is not json"]})
    result = dbt_project.build(raw_data_dir=raw)
    assert not result.success
    assert "no accepted ping to take the as-of date from (SPEC 4.9): set var as_of_date" in result_messages(result)
    assert dbt_project.query("select count(*) from rpt_pings_quarantined") == [(1,)]
