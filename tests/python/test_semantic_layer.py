"""The semantic layer (models/semantic) gives the numbers the marts give: every metric, asked of
`mf query` on the embedded sample, equals the same number computed by hand from the marts.

`mf` runs as an analyst runs it (a subprocess in a dbt project directory). It reads
`<project>/target/semantic_manifest.json`, so it runs in a scratch directory that links the
project's files and uses this module's build as its target. The build runs in a subprocess too:
an in-process dbt run keeps the DuckDB file locked against mf's process."""

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MF = Path(sys.executable).with_name("mf")
DBT = Path(sys.executable).with_name("dbt")


def env_of(project, project_dir=ROOT):
    """This module's databases (the build publishes beside its own, never over target/)."""
    return {**os.environ, "DBT_PROFILES_DIR": str(ROOT), "DBT_PROJECT_DIR": str(project_dir),
            "DUCKDB_PATH": str(project.database), "ANALYTICS_DUCKDB_PATH": str(project.analytics_database),
            "RESTRICTED_DUCKDB_PATH": str(project.restricted_database)}


@pytest.fixture(scope="module")
def sample(dbt_project, tmp_path_factory):
    build = subprocess.run([str(DBT), "build", "--exclude", "test_type:unit", "--target-path", str(dbt_project.target_dir)],
                           cwd=ROOT, env=env_of(dbt_project), capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:]
    project_dir = tmp_path_factory.mktemp("mf_project")
    for name in ("dbt_project.yml", "models", "macros", "seeds", "tests", "analyses", "plugins"):
        (project_dir / name).symlink_to(ROOT / name)
    (project_dir / "target").symlink_to(dbt_project.target_dir)
    return dbt_project, project_dir


def mf_query(sample, metrics, group_by=(), where=None, saved_query=None):
    """Rows of `mf query` as dicts: text values, None for NULL; months as 'YYYY-MM-DD'."""
    project, project_dir = sample
    out = project_dir / "target" / "mf_query.csv"
    command = [str(MF), "query", "--quiet", "--csv", str(out)]
    command += ["--saved-query", saved_query] if saved_query else ["--metrics", ",".join(metrics)]
    if group_by:
        command += ["--group-by", ",".join(group_by)]
    if where:
        command += ["--where", where]
    done = subprocess.run(command, cwd=project_dir, env=env_of(project, project_dir), capture_output=True, text=True)
    assert done.returncode == 0 and out.exists(), done.stdout + done.stderr
    with out.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    out.unlink()
    for row in rows:
        for key, value in row.items():
            if value == "":
                row[key] = None
            elif key.startswith("metric_time"):
                row[key] = value[:10]
    return rows


def number(value):
    return None if value is None else float(value)


def keyed(rows, keys, metrics):
    """{(key values...): (metric values...)} with numbers as floats (None stays None)."""
    return {tuple(str(row[key]) if row[key] is not None else None for key in keys):
            tuple(number(row[metric]) for metric in metrics) for row in rows}


def by_hand(project, sql, key_count):
    return {tuple(str(value) if value is not None else None for value in row[:key_count]):
            tuple(None if value is None else float(value) for value in row[key_count:])
            for row in project.query(sql)}


def assert_same(metric_values, hand_values):
    assert metric_values.keys() == hand_values.keys()
    for key, values in hand_values.items():
        for got, expected in zip(metric_values[key], values):
            if expected is None:
                assert got is None, key  # NULL never turned into 0
            else:
                assert got == pytest.approx(expected, rel=1e-9), key


SUBSCRIPTION_METRICS = ["licensed_seats", "billable_users", "licensed_seats_with_usage_data", "license_utilization",
                        "reporting_seat_share", "active_subscriptions"]

# the same numbers, by hand: active subscriptions only; utilization a ratio of the sums over the
# subscriptions with usage data
SUBSCRIPTION_SQL = """
    select {keys},
        sum(case when is_active then licensed_seats end),
        sum(case when is_active then billable_users end),
        sum(case when is_active and billable_users is not null then licensed_seats end),
        sum(case when is_active then billable_users end)
            / nullif(sum(case when is_active and billable_users is not null then licensed_seats end), 0),
        sum(case when is_active and billable_users is not null then licensed_seats end)
            / nullif(sum(case when is_active then licensed_seats end), 0),
        count(distinct case when is_active then subscription_id end)
    from mart_subscription_monthly
    {where}
    group by {keys}"""


def test_subscription_metrics_per_account_and_month(sample):
    project, _ = sample
    rows = mf_query(sample, SUBSCRIPTION_METRICS, ["account", "metric_time__month"])
    hand = by_hand(project, SUBSCRIPTION_SQL.format(keys="account_id, cast(month as varchar)", where=""), 2)
    assert_same(keyed(rows, ["account", "metric_time__month"], SUBSCRIPTION_METRICS), hand)
    assert any(values[3] is not None for values in hand.values())


def test_subscription_metrics_per_subscription_and_month(sample):
    project, _ = sample
    rows = mf_query(sample, SUBSCRIPTION_METRICS, ["subscription", "metric_time__month"])
    hand = by_hand(project, SUBSCRIPTION_SQL.format(keys="subscription_id, cast(month as varchar)", where=""), 2)
    assert_same(keyed(rows, ["subscription", "metric_time__month"], SUBSCRIPTION_METRICS), hand)


def test_license_utilization_is_a_ratio_of_sums_not_a_mean_of_ratios(sample):
    """Per month over all accounts; the mean of the subscriptions' ratios differs on the sample, so
    a metric defined as avg(license_utilization) would fail the comparison above."""
    project, _ = sample
    rows = mf_query(sample, SUBSCRIPTION_METRICS, ["metric_time__month"])
    hand = by_hand(project, SUBSCRIPTION_SQL.format(keys="cast(month as varchar)", where=""), 1)
    metric = keyed(rows, ["metric_time__month"], SUBSCRIPTION_METRICS)
    assert_same(metric, hand)
    mean_of_ratios = by_hand(project, """
        select cast(month as varchar), avg(license_utilization)
        from mart_subscription_monthly where is_active group by month""", 1)
    differs = [month for month, (mean,) in mean_of_ratios.items()
               if mean is not None and metric[month][3] is not None and abs(mean - metric[month][3]) > 1e-6]
    assert len(differs) >= 3, differs


def test_snapshot_metrics_take_the_last_month_of_a_quarter(sample):
    """Seats and users are not additive over months: a quarter is its last month, and without a
    time grain the latest month (never the sum of the months)."""
    project, _ = sample
    rows = mf_query(sample, SUBSCRIPTION_METRICS, ["metric_time__quarter"])
    hand = by_hand(project, SUBSCRIPTION_SQL.format(
        keys="cast(date_trunc('quarter', month) as date)",
        where="""where month in (select max(month) from mart_subscription_monthly
                                 group by date_trunc('quarter', month))"""), 1)
    assert_same(keyed(rows, ["metric_time__quarter"], SUBSCRIPTION_METRICS), hand)
    [summed] = project.query("select sum(case when is_active then licensed_seats end) from mart_subscription_monthly")
    [latest] = by_hand(project, SUBSCRIPTION_SQL.format(
        keys="1", where="where month = (select max(month) from mart_subscription_monthly)"), 1).values()
    [total] = mf_query(sample, SUBSCRIPTION_METRICS)
    assert tuple(number(total[name]) for name in SUBSCRIPTION_METRICS) == pytest.approx(latest)
    assert number(total["licensed_seats"]) != summed[0]


def test_instance_metrics(sample):
    project, _ = sample
    metrics = ["umau", "reporting_instances"]
    rows = mf_query(sample, metrics, ["metric_time__month"])
    hand = by_hand(project, """
        select cast(month as varchar), sum(umau),
               count(distinct case when not is_trial then uuid || '|' || hostname end)
        from mart_instance_monthly group by month""", 1)
    assert_same(keyed(rows, ["metric_time__month"], metrics), hand)
    # over a quarter an instance counts once (not once per month it reported)
    quarters = keyed(mf_query(sample, ["reporting_instances"], ["metric_time__quarter"]), ["metric_time__quarter"],
                     ["reporting_instances"])
    hand_quarters = by_hand(project, """
        select cast(date_trunc('quarter', month) as date),
               count(distinct case when not is_trial then uuid || '|' || hostname end)
        from mart_instance_monthly group by 1""", 1)
    assert_same(quarters, hand_quarters)
    monthly_sum = sum(values[1] for values in hand.values())
    assert sum(values[0] for values in quarters.values()) < monthly_sum


def test_account_health_metrics(sample):
    project, _ = sample
    metrics = ["accounts", "product_usage_score", "use_cases_adopted"]
    rows = mf_query(sample, metrics, ["metric_time__month"])
    hand = by_hand(project, """
        select cast(month as varchar), count(distinct account_id), avg(product_usage_score),
               sum(use_case_adoption_count)
        from mart_account_health group by month""", 1)
    assert_same(keyed(rows, ["metric_time__month"], metrics), hand)


def test_accounts_per_health_color(sample):
    project, _ = sample
    rows = mf_query(sample, ["accounts"], ["account_month__product_usage_color", "metric_time__month"])
    hand = by_hand(project, """
        select product_usage_color, cast(month as varchar), count(*)
        from mart_account_health group by all""", 2)
    assert_same(keyed(rows, ["account_month__product_usage_color", "metric_time__month"], ["accounts"]), hand)
    colors = ["green_accounts", "yellow_accounts", "red_accounts"]
    by_color = keyed(mf_query(sample, colors, ["metric_time__month"]), ["metric_time__month"], colors)
    for (month,), values in by_color.items():
        expected = tuple(hand.get((color, month), (None,))[0] for color in ("green", "yellow", "red"))
        assert values == expected, month


def test_alerts_by_type(sample):
    project, _ = sample
    rows = mf_query(sample, ["alerts"], ["alert__alert_type", "metric_time__month"])
    hand = by_hand(project, """
        select alert_type, cast(month as varchar), count(*) from mart_usage_alerts group by all""", 2)
    assert_same(keyed(rows, ["alert__alert_type", "metric_time__month"], ["alerts"]), hand)


def test_pings_and_quarantined_lines(sample):
    project, _ = sample
    rows = mf_query(sample, ["pings_received"], ["metric_time__month"])
    hand = by_hand(project, "select cast(ping_month as varchar), count(*) from fct_service_ping group by all", 1)
    assert_same(keyed(rows, ["metric_time__month"], ["pings_received"]), hand)
    rows = mf_query(sample, ["quarantined_lines"], ["quarantined_line__quarantine_reason"])
    hand = by_hand(project, "select quarantine_reason, count(*) from rpt_pings_quarantined group by all", 1)
    assert_same(keyed(rows, ["quarantined_line__quarantine_reason"], ["quarantined_lines"]), hand)
    # the data-quality report counts the same lines
    [(reported,)] = project.query("select numerator from rpt_data_quality where check_name = 'lines_quarantined'")
    assert sum(values[0] for values in hand.values()) == reported


def test_the_marts_the_report_and_app_read_agree_with_the_metrics(sample):
    """The report and the Customer Success app show mart_account_health's headline numbers
    (seats, billable users, utilization, product-usage score, use cases adopted) and
    mart_subscription_monthly's utilization and reporting instances; per account-month and
    subscription-month they are the metrics' numbers (unmapped instances report under no
    subscription)."""
    project, _ = sample
    metrics = ["licensed_seats", "billable_users", "license_utilization", "reporting_seat_share", "product_usage_score",
               "use_cases_adopted"]
    rows = mf_query(sample, metrics, ["account", "metric_time__month"])
    mart = by_hand(project, """
        select account_id, cast(month as varchar), licensed_seats, billable_users, license_utilization,
               reporting_seat_share, product_usage_score, use_case_adoption_count
        from mart_account_health""", 2)
    assert_same(keyed(rows, ["account", "metric_time__month"], metrics), mart)
    rows = mf_query(sample, ["license_utilization"], ["subscription", "metric_time__month"],
                    where="{{ Dimension('subscription_month__is_active') }}")
    mart = by_hand(project, """
        select subscription_id, cast(month as varchar), license_utilization
        from mart_subscription_monthly where is_active""", 2)
    assert_same(keyed(rows, ["subscription", "metric_time__month"], ["license_utilization"]), mart)
    rows = mf_query(sample, ["reporting_instances"], ["subscription", "metric_time__month"])
    mart = by_hand(project, """
        select subscription_id, cast(month as varchar), reporting_instance_count
        from mart_subscription_monthly where reporting_instance_count > 0""", 2)
    metric = keyed(rows, ["subscription", "metric_time__month"], ["reporting_instances"])
    assert_same({key: values for key, values in metric.items() if key[0] is not None}, mart)


def test_saved_queries(sample):
    project, _ = sample
    for name in ("accounts_by_health_color", "alerts_by_type"):
        assert mf_query(sample, [], saved_query=name)
    metrics = ["licensed_seats", "billable_users", "license_utilization"]
    rows = mf_query(sample, [], saved_query="account_utilization_by_month")
    mart = by_hand(project, """
        select account_name, cast(month as varchar), licensed_seats, billable_users, license_utilization
        from mart_account_health""", 2)
    assert_same(keyed(rows, ["account__account_name", "metric_time__month"], metrics), mart)


def test_cohort_adoption_rate_pools_the_cohorts(sample):
    project, _ = sample
    rows = mf_query(sample, ["cohort_adoption_rate"], ["adoption_cohort_point__use_case", "adoption_cohort_point__term_month"])
    hand = by_hand(project, """
        select use_case, cast(term_month as varchar), sum(adopted_by_n) / sum(subscriptions_reached)
        from mart_adoption_cohorts group by 1, 2""", 2)
    assert_same(keyed(rows, ["adoption_cohort_point__use_case", "adoption_cohort_point__term_month"],
                      ["cohort_adoption_rate"]), hand)
    assert len(hand) > 10
