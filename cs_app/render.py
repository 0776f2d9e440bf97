"""HTML of the account views from Jinja2 templates, with the formatting shared by app and report,
so both show the same numbers the same way."""

import datetime as dt
from pathlib import Path

import jinja2

COLORS = {"green": "#2e9e5b", "yellow": "#e8b317", "red": "#d64545", None: "#d9d9d9"}

# (title, key, kind) of each table's columns
SUBSCRIPTION_COLUMNS = [
    ("subscription", "subscription_name", "text"), ("plan", "plan", "text"), ("delivery", "delivery", "text"),
    ("seats", "licensed_seats", "number"), ("status", "status", "text"), ("term start", "term_start_date", "date"),
    ("term end", "term_end_date", "date"), ("scored", "is_scored", "bool"),
]
INSTANCE_COLUMNS = [
    ("subscription", "subscription_name", "text"), ("delivery", "delivery", "text"), ("hostname", "hostname", "text"),
    ("uuid / namespace", "uuid", "text"), ("type", "instance_type", "text"), ("rule", "instance_type_source", "text"),
    ("version", "gitlab_version", "text"), ("last ping", "last_ping_at", "date"), ("primary", "is_primary_instance", "bool"),
]
ALERT_COLUMNS = [
    ("month", "month", "month"), ("alert", "alert_type", "text"), ("subscription", "subscription_name", "text"),
    ("instance", "hostname", "text"), ("why", "details", "text"), ("value", "metric_value", "decimal"),
    ("threshold", "threshold", "decimal"),
]
MEASURE_COLUMNS = [
    ("use case", "use_case", "text"), ("measure", "measure", "text"), ("status", "scoring_status", "text"),
    ("numerator", "numerator", "decimal"), ("denominator", "denominator", "decimal"), ("per", "denominator_type", "text"),
    ("ratio", "ratio", "ratio"), ("yellow from", "yellow_from", "ratio"), ("green from", "green_from", "ratio"),
    ("color", "color", "color"),
]


def fmt(value, kind="number"):
    """A value as shown: NULL is 'n/a', never 0."""
    if value is None:
        return "n/a"
    if kind == "bool" or isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "percent":
        return f"{value * 100:.0f} %"
    if kind == "change_pp":
        return f"{value * 100:+.0f} pp"
    if kind == "change":
        return f"{value:+.0f}"
    if kind == "score":
        return f"{value:.0f}"
    if kind == "ratio":
        return f"{value:.3f}".rstrip("0").rstrip(".")
    if kind == "decimal":
        return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    if kind == "month":
        return value.strftime("%Y-%m") if isinstance(value, (dt.date, dt.datetime)) else str(value)
    if kind == "date":
        return value.strftime("%Y-%m-%d") if isinstance(value, (dt.date, dt.datetime)) else str(value)
    if kind == "number" and isinstance(value, int):
        return f"{value:,}"
    return str(value)


def color_of(value):
    return COLORS.get(value, COLORS[None])


ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True, trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
)
ENVIRONMENT.filters["fmt"] = fmt
ENVIRONMENT.filters["swatch"] = color_of


def render(template, **context):
    return ENVIRONMENT.get_template(template).render(
        subscription_columns=SUBSCRIPTION_COLUMNS, instance_columns=INSTANCE_COLUMNS,
        alert_columns=ALERT_COLUMNS, measure_columns=MEASURE_COLUMNS, **context)


def tiles(latest, alert_count, adoption_use_case_count, next_term_end=None):
    """The account's summary tiles: (label, metric, shown value, color or None)."""
    score = latest["product_usage_score"]
    adopted = latest["use_case_adoption_count"]
    return [
        ("Licensed seats", "licensed_seats", fmt(latest["licensed_seats"]), None),
        ("Billable users", "billable_users", fmt(latest["billable_users"]), None),
        ("License utilization", "license_utilization", fmt(latest["license_utilization"], "percent"),
         latest["license_utilization_color"] or "none"),
        # SPEC §4.13: utilization is over the seats that report; no color unless all do
        ("Seats reporting", "reporting_seat_share", fmt(latest["reporting_seat_share"], "percent"), None),
        ("Product usage", "product_usage_color",
         (latest["product_usage_color"] or "not scored") + (f" ({score:.0f})" if score is not None else ""),
         latest["product_usage_color"] or "none"),
        ("Use cases adopted", "use_case_adoption_count",
         "n/a" if adopted is None else f"{adopted} of {adoption_use_case_count}", None),
        ("Alerts this month", "open_alert_count", fmt(alert_count), None),
        ("Term month", "term_month", fmt(latest["term_month"]), None),
        ("Next term end", "next_term_end_date", fmt(next_term_end, "date"), None),
    ]


def measures_of(account, month):
    """The measures behind a month's colors, in the heat strip's use-case order."""
    order = {row["use_case"]: index for index, row in enumerate(account["use_cases"])}
    return sorted((row for row in account["measures"] if row["month"] == month),
                  key=lambda row: (order.get(row["use_case"], len(order)), row["measure"]))


def account_context(account, as_of_date):
    """What the account page shows (app and report alike), from data.account()."""
    latest = account["latest"]
    month_alerts = [alert for alert in account["alerts"] if alert["month"] == as_of_date.replace(day=1)]
    adoption_use_cases = [row["use_case"] for row in account["use_cases"] if row["is_adoption_use_case"]]
    return {
        "account_id": account["account_id"],
        "name": latest["account_name"] or account["account_id"],
        "as_of_date": as_of_date,
        "latest": latest,
        "tiles": tiles(latest, len(month_alerts), len(adoption_use_cases), min(
            (row["term_end_date"] for row in account["subscriptions"]
             if row["status"] == "Active" and row["term_end_date"] is not None), default=None)),
        "measures": measures_of(account, latest["month"]),
        "subscriptions": account["subscriptions"],
        "instances": account["instances"],
        "alerts": account["alerts"],
    }
