"""Read the published analyst database (read-only): one connection per request, closed at once, so
a rebuild's rename over the file is picked up by the next request and a reader never blocks a build."""

import contextlib
import os
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = "target/analytics.duckdb"
BUILD_HINT = ("Build it with `make build` in the project directory (it publishes target/analytics.duckdb), "
              "or point ANALYTICS_DUCKDB_PATH at a published analyst database.")


class MissingDatabase(Exception):
    """No analyst database at the configured path (or not one this app can read)."""


class UnknownAccount(Exception):
    """The account id is not in mart_account_health."""


def database_path():
    """ANALYTICS_DUCKDB_PATH, else target/analytics.duckdb under the project root."""
    path = Path(os.environ.get("ANALYTICS_DUCKDB_PATH") or DEFAULT_PATH)
    return path if path.is_absolute() else ROOT / path


@contextlib.contextmanager
def connect(path=None):
    path = Path(path) if path is not None else database_path()
    if not path.is_file():
        raise MissingDatabase(f"No analyst database at {path}. {BUILD_HINT}")
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise MissingDatabase(f"The analyst database at {path} could not be opened ({error}). {BUILD_HINT}") from error
    try:
        yield connection
    finally:
        connection.close()


def fetch(connection, sql, *params):
    cursor = connection.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def build_info(connection):
    [info] = fetch(connection, "select as_of_date, published_at from build_info")
    return info


def use_cases(connection):
    """The use cases the marts score (from the data), in dim_use_case's order, with whether each is
    an adoption use case (user engagement is a health component only)."""
    listed = fetch(connection, "select use_case, is_adoption_use_case from dim_use_case order by display_order")
    seed = {row["use_case"]: (index, row["is_adoption_use_case"]) for index, row in enumerate(listed)}
    scored = [row["use_case"] for row in fetch(connection, "select distinct use_case from mart_use_case_adoption")]
    return [{"use_case": use_case, "is_adoption_use_case": seed.get(use_case, (0, True))[1]}
            for use_case in sorted(scored, key=lambda name: (seed.get(name, (len(seed), True))[0], name))]


PORTFOLIO_SQL = """
with

health as (
    select * from mart_account_health
),

subscription_months as (
    select * from mart_subscription_monthly
),

alerts as (
    select * from mart_usage_alerts
),

latest as (
    select account_id, max(month) as month from health group by account_id
),

current_months as (
    select health.*
    from health
    inner join latest on health.account_id = latest.account_id and health.month = latest.month
),

plans as (
    select
        account_id,
        month,
        string_agg(distinct plan, ', ' order by plan) as plans,
        string_agg(distinct delivery, ', ' order by delivery) as deliveries
    from subscription_months
    where is_active
    group by account_id, month
),

-- this month's alerts: those of the as-of month (an account without a subscription this month still has them)
open_alerts as (
    select account_id, count(*) as open_alert_count
    from alerts
    where month = (select date_trunc('month', as_of_date) from build_info)
    group by account_id
)

select
    current_months.account_id,
    current_months.account_name,
    current_months.month,
    plans.plans,
    plans.deliveries,
    current_months.licensed_seats,
    current_months.billable_users,
    current_months.license_utilization,
    current_months.license_utilization_color,
    current_months.product_usage_score,
    current_months.product_usage_color,
    current_months.use_case_adoption_count,
    coalesce(open_alerts.open_alert_count, 0) as open_alert_count,
    current_months.license_utilization - previous.license_utilization as license_utilization_change,
    current_months.product_usage_score - previous.product_usage_score as product_usage_score_change,
    current_months.previous_product_usage_color,
    current_months.is_downgrade
from current_months
left join health as previous
    on current_months.account_id = previous.account_id
    and previous.month = current_months.month - interval 1 month
left join plans
    on current_months.account_id = plans.account_id and current_months.month = plans.month
left join open_alerts on current_months.account_id = open_alerts.account_id
-- worst first: the lowest product usage score, then the lowest utilization; not scored last
order by
    current_months.product_usage_score asc nulls last,
    current_months.license_utilization asc nulls last,
    current_months.account_id
"""


def portfolio(connection):
    """One row per account, its latest month, worst first."""
    return fetch(connection, PORTFOLIO_SQL)


def account(connection, account_id):
    months = fetch(connection, "select * from mart_account_health where account_id = ? order by month", account_id)
    if not months:
        raise UnknownAccount(account_id)
    latest = months[-1]
    return {
        "account_id": account_id,
        "months": months,
        "latest": latest,
        "use_cases": use_cases(connection),
        # the heat strip: the scored (largest active) subscription's use cases, as mart_account_health scores them
        "adoption": fetch(connection, """
            select adoption.month, adoption.use_case, adoption.scoring_status, adoption.score, adoption.color
            from mart_account_health as health
            inner join mart_use_case_adoption as adoption
                on health.scored_subscription_id = adoption.subscription_id and health.month = adoption.month
            where health.account_id = ?
            order by adoption.month, adoption.use_case""", account_id),
        "measures": fetch(connection, """
            select measures.month, measures.use_case, measures.measure, measures.scoring_status, measures.numerator,
                measures.denominator_type, measures.denominator, measures.ratio, measures.yellow_from,
                measures.yellow_inclusive, measures.green_from, measures.color
            from mart_account_health as health
            inner join mart_use_case_measures as measures
                on health.scored_subscription_id = measures.subscription_id and health.month = measures.month
            where health.account_id = ?
            order by measures.month, measures.use_case, measures.measure""", account_id),
        "subscriptions": fetch(connection, """
            select subscription_id, subscription_name, plan, delivery, licensed_seats, status,
                term_start_date, term_end_date, subscription_id = ? as is_scored
            from dim_subscription where account_id = ? order by status = 'Active' desc, subscription_name""",
                               latest["scored_subscription_id"], account_id),
        "instances": fetch(connection, """
            select instances.uuid, instances.hostname, instances.namespace_id, instances.subscription_name,
                instances.delivery, instances.instance_type, instances.instance_type_source,
                instances.gitlab_version, instances.last_ping_at,
                coalesce(monthly.is_primary_instance, false) as is_primary_instance
            from dim_instance as instances
            left join mart_instance_monthly as monthly
                on instances.uuid = monthly.uuid and instances.hostname = monthly.hostname
                and monthly.month = (select max(month) from mart_instance_monthly as latest
                                     where latest.uuid = instances.uuid and latest.hostname = instances.hostname)
            where instances.account_id = ?
            order by instances.delivery, instances.uuid, instances.hostname""", account_id),
        "alerts": fetch(connection, """
            select alerts.month, alerts.alert_type, alerts.subscription_id, subscriptions.subscription_name,
                alerts.hostname, alerts.details, alerts.metric_value, alerts.threshold
            from mart_usage_alerts as alerts
            left join dim_subscription as subscriptions on alerts.subscription_id = subscriptions.subscription_id
            where alerts.account_id = ?
            order by alerts.month desc, alerts.alert_type, alerts.subject""", account_id),
    }


def utilization_bands(connection, term_month):
    """The license-utilization color bands of a term month (none in term month 1), low to high:
    each band from its lower bound to the next one's."""
    if term_month is None:
        return []
    matching = [band for band in fetch(connection, "select * from dim_license_utilization_band")
                if band["term_month_from"] <= term_month
                and (band["term_month_to"] is None or term_month <= band["term_month_to"])]
    matching.sort(key=lambda band: float(band["utilization_from"]))
    bands = []
    for index, band in enumerate(matching):
        upper = float(matching[index + 1]["utilization_from"]) if index + 1 < len(matching) else None
        if bands and bands[-1]["color"] == band["color"]:
            bands[-1]["to"] = upper
        else:
            bands.append({"from": float(band["utilization_from"]), "to": upper, "color": band["color"]})
    return bands


def latest_alerts(connection):
    """This month's (the as-of month's) alerts across accounts, with the account and subscription names."""
    return fetch(connection, """
        with alerts as (
            select * from mart_usage_alerts where month = (select date_trunc('month', as_of_date) from build_info)
        ),

        names as (
            select account_id, max(account_name) as account_name from mart_account_health group by account_id
        )

        select alerts.month, alerts.alert_type, alerts.account_id, names.account_name, subscriptions.subscription_name,
            alerts.hostname, alerts.details, alerts.metric_value, alerts.threshold
        from alerts
        left join names on alerts.account_id = names.account_id
        left join dim_subscription as subscriptions on alerts.subscription_id = subscriptions.subscription_id
        order by alerts.alert_type, alerts.account_id, alerts.subject""")


def alert_descriptions(connection):
    return {rule["alert_type"]: rule["description"]
            for rule in fetch(connection, "select alert_type, description from dim_alert_rule")}


def adoption_use_cases(connection):
    """The adoption use cases (dim_use_case, the use_cases seed), in its order."""
    return [row["use_case"] for row in fetch(
        connection, "select use_case from dim_use_case where is_adoption_use_case order by display_order, use_case")]


def cohort_curves(connection):
    """Every point of mart_adoption_cohorts: the share of a term-start cohort green in a use case by term month."""
    return fetch(connection, """
        select cohort_quarter, use_case, term_month, cohort_subscriptions, subscriptions_reached, adopted_by_n,
            adoption_rate
        from mart_adoption_cohorts
        order by use_case, cohort_quarter, term_month""")


def time_to_value_by_cohort(connection):
    """Per use case and cohort: members (not_applicable left out), how many adopted, are adopting or not yet,
    and the mean term months to yellow and to green of those that got there."""
    return fetch(connection, """
        select
            use_case,
            cohort_quarter,
            count(*) as subscriptions,
            count(case when status = 'adopted' then 1 end) as adopted,
            count(case when status = 'adopting' then 1 end) as adopting,
            count(case when status = 'not_yet' then 1 end) as not_yet,
            avg(months_to_yellow) as mean_months_to_yellow,
            avg(months_to_green) as mean_months_to_green
        from mart_use_case_time_to_value
        where status <> 'not_applicable'
        group by use_case, cohort_quarter
        order by use_case, cohort_quarter""")
