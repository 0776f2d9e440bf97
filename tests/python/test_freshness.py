"""dbt source freshness on the collector's pings: warn after 8 days, error after 15, configurable."""

import datetime as dt

import pytest

from conftest import envelope, write_raw_dir


def _raw_dir_received(base, days_ago):
    received = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recorded = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days_ago + 1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    return write_raw_dir(base, {"latest.ndjson": ["not json", envelope(1, received_at=received, recorded_at=recorded)]})


@pytest.mark.parametrize(("days_ago", "variables", "status"), [
    (2, {}, "pass"),
    (10, {}, "warn"),
    (20, {}, "error"),
    (10, {"pings_warn_after_days": 11, "pings_error_after_days": 30}, "pass"),
])
def test_ping_freshness(dbt_project, tmp_path, days_ago, variables, status):
    raw = _raw_dir_received(tmp_path, days_ago)
    result = dbt_project.invoke("source", "freshness", raw_data_dir=raw, variables=variables)
    sources = [node for node in result.result.results if node.node.resource_type == "source"]
    assert [str(getattr(node, "status", "")) for node in sources] == [status]
