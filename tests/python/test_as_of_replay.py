"""As-of replay and determinism (SPEC §4.9): the marts as they would have looked on a date,
and the same inputs give byte-identical marts."""

import pytest

from conftest import DbtProject

MARTS = ["dim_subscription", "dim_instance", "fct_service_ping", "mart_instance_monthly", "mart_subscription_monthly",
         "mart_use_case_measures", "mart_use_case_adoption", "mart_account_health", "mart_usage_alerts",
         "rpt_unmapped_licenses", "rpt_saas_namespace_links", "rpt_pings_quarantined"]
AS_OF = "2026-06-10"


def export(project, directory):
    directory.mkdir(parents=True, exist_ok=True)
    for mart in MARTS:
        project.query(f"copy (select * from {mart} order by all) to '{directory / mart}.csv' (header)")
    return {mart: (directory / f"{mart}.csv").read_bytes() for mart in MARTS}


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    base = tmp_path_factory.mktemp("as-of")
    runs = []
    for run in ("first", "second"):
        project = DbtProject(base / f"{run}.duckdb", base / f"target-{run}")
        result = project.build(variables={"as_of_date": AS_OF})
        assert result.success, result.exception
        runs.append((project, export(project, base / f"export-{run}")))
    return runs


def test_same_inputs_give_byte_identical_marts(replayed):
    (_, first), (_, second) = replayed
    assert [mart for mart in MARTS if first[mart] != second[mart]] == []
    assert all(len(content) > 0 for content in first.values())


def test_nothing_after_the_as_of_date(replayed):
    project, _ = replayed[0]
    assert project.query("select as_of_date, as_of_source from int_as_of_date")[0][1] == "var"
    [(late_pings,)] = project.query(f"select count(*) from fct_service_ping where received_at >= date '{AS_OF}' + 1")
    [(late_months,)] = project.query(f"select count(*) from mart_subscription_monthly where month > date '{AS_OF}'")
    assert (late_pings, late_months) == (0, 0)


def test_labels_as_of_the_date(replayed):
    # dev.umbrella.example was relabelled Production on 2026-06-15: on 2026-06-10 it was Non-Production
    project, _ = replayed[0]
    assert project.query(
        "select instance_type, instance_type_source from dim_instance where hostname = 'dev.umbrella.example'"
    ) == [("Non-Production", "csm_label")]


@pytest.fixture(scope="module")
def after_the_data(tmp_path_factory):
    """The sample replayed four weeks after its last ping: every production instance has stopped
    reporting, the sample's unmapped ones (licenses no subscription owns) included."""
    base = tmp_path_factory.mktemp("after-the-data")
    project = DbtProject(base / "after.duckdb", base / "target")
    result = project.build(variables={"as_of_date": "2026-11-22"})
    assert result.success, result.exception
    return project


def test_an_unmapped_production_instance_that_stops_reporting_is_alerted_on(after_the_data):
    # the instance alert keeps the instance's NULL subscription and account (no customer is known),
    # and the build does not fail on it
    unmapped = after_the_data.query(
        "select uuid, hostname from dim_instance where is_production and account_id is null order by all")
    assert len(unmapped) >= 1
    alerted = after_the_data.query(
        "select uuid, hostname from mart_usage_alerts where alert_type = 'stopped_reporting'"
        " and account_id is null and subscription_id is null order by all")
    assert alerted == unmapped
    [(mapped_alerts,)] = after_the_data.query(
        "select count(*) from mart_usage_alerts where alert_type = 'stopped_reporting' and account_id is not null")
    assert mapped_alerts >= 1


def test_before_the_first_ping_the_build_counts_zero_not_null(tmp_path):
    # a replay before any ping arrived (a new deployment, too): no accepted ping, every layer
    # empty; the data-quality counts are 0 and the lines read are the quarantined ones
    project = DbtProject(tmp_path / "before.duckdb", tmp_path / "target")
    result = project.build(variables={"as_of_date": "2025-01-01"})
    assert result.success, result.exception
    assert project.query("select count(*) from fct_service_ping") == [(0,)]
    counts = dict(project.query("select check_name, numerator from rpt_data_quality"))
    assert counts["raw_lines_read"] == counts["lines_quarantined"]
    assert {name: counts[name] for name in ("measurements_accepted", "metric_values", "metric_values_failed", "instances")} \
        == {"measurements_accepted": 0, "metric_values": 0, "metric_values_failed": 0, "instances": 0}
