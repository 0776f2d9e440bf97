"""Offline account report for Customer Success: one self-contained HTML page per account.

    python scripts/report.py --account ACC-0001 [--database PATH] [--out target/reports]
    python scripts/report.py --all

Reads only the analyst database that `dbt build` publishes ($ANALYTICS_DUCKDB_PATH, default
target/analytics.duckdb): the marts and build_info. The page needs no network to
build or to view: CSS is inline and the charts are inline SVG drawn here. Hand-drawn SVG was
chosen over a charting library because the two charts are simple (a line and a heat strip), the
output is deterministic and tiny, and nothing has to be downloaded or executed to render it.
"""

import argparse
import datetime as dt
import html
import os
import pathlib
import sys

import duckdb
from tqdm import tqdm

COLORS = {"green": "#2e9e5b", "yellow": "#e8b317", "red": "#d64545", None: "#d9d9d9"}
USE_CASES = ["scm", "ci", "cd", "devsecops", "user_engagement"]


def fetch(connection, sql, *params):
    cursor = connection.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def account_data(connection, account_id):
    months = fetch(connection, "select * from mart_account_health where account_id = ? order by month", account_id)
    if not months:
        raise SystemExit(f"no account {account_id!r} in mart_account_health")
    return {
        "account_id": account_id,
        "as_of_date": fetch(connection, "select as_of_date from build_info")[0]["as_of_date"],
        "months": months,
        "latest": months[-1],
        "subscriptions": fetch(connection, """
            select subscription_id, subscription_name, plan, delivery, licensed_seats, status, term_start_date, term_end_date
            from dim_subscription where account_id = ? order by subscription_name""", account_id),
        "instances": fetch(connection, """
            select instances.uuid, instances.hostname, instances.delivery, instances.instance_type,
                instances.instance_type_source, instances.gitlab_version, instances.last_ping_at,
                coalesce(monthly.is_primary_instance, false) as is_primary_instance
            from dim_instance as instances
            left join mart_instance_monthly as monthly
                on instances.uuid = monthly.uuid and instances.hostname = monthly.hostname
                and monthly.month = (select max(month) from mart_instance_monthly as latest
                                     where latest.uuid = instances.uuid and latest.hostname = instances.hostname)
            where instances.account_id = ?
            order by instances.delivery, instances.uuid, instances.hostname""", account_id),
        "alerts": fetch(connection, """
            select alert_type, subscription_id, uuid, hostname, month, details, metric_value, threshold
            from mart_usage_alerts where account_id = ? order by month desc, alert_type, subject""", account_id),
    }


def fmt(value, kind="number"):
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind == "percent":
        return f"{value * 100:.0f} %"
    if kind == "date":
        return value.strftime("%Y-%m-%d") if isinstance(value, (dt.date, dt.datetime)) else str(value)
    return f"{value:,}" if isinstance(value, int) else str(value)


def utilization_chart(months, width=640, height=220, pad=36):
    """Line chart of license utilization per month, with the 100 % line; gaps where NULL."""
    values = [row["license_utilization"] for row in months]
    top = max([1.0] + [value for value in values if value is not None]) * 1.1
    step = (width - 2 * pad) / max(1, len(months) - 1)
    x = lambda index: pad + index * step
    y = lambda value: height - pad - (value / top) * (height - 2 * pad)
    parts = [f'<svg class="chart" id="utilization-chart" role="img" aria-label="License utilization by month" '
             f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f'<line x1="{pad}" y1="{y(1.0):.1f}" x2="{width - pad}" y2="{y(1.0):.1f}" stroke="#999" stroke-dasharray="4 4"/>',
             f'<text x="{width - pad}" y="{y(1.0) - 4:.1f}" text-anchor="end" font-size="11" fill="#666">100 % of seats</text>']
    segment = []
    for index, value in enumerate(values + [None]):
        if value is not None:
            segment.append(f"{x(index):.1f},{y(value):.1f}")
        elif segment:
            parts.append(f'<polyline class="series" fill="none" stroke="#3366cc" stroke-width="2.5" points="{" ".join(segment)}"/>')
            segment = []
    for index, (row, value) in enumerate(zip(months, values)):
        if value is not None:
            parts.append(f'<circle class="point" cx="{x(index):.1f}" cy="{y(value):.1f}" r="3.5" fill="#3366cc">'
                         f'<title>{row["month"]:%Y-%m}: {value * 100:.0f} %</title></circle>')
        parts.append(f'<text x="{x(index):.1f}" y="{height - pad + 16}" text-anchor="middle" font-size="10" fill="#444">{row["month"]:%b}</text>')
    parts.append("</svg>")
    return "".join(parts)


def heat_strip(months, cell=34, label_width=120):
    """One row per use case, one cell per month, colored red/yellow/green (grey: not scored)."""
    width, height = label_width + cell * len(months), cell * len(USE_CASES) + 22
    parts = [f'<svg class="chart" id="use-case-strip" role="img" aria-label="Use-case colors by month" '
             f'xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for row_index, use_case in enumerate(USE_CASES):
        y = row_index * cell
        parts.append(f'<text x="0" y="{y + cell * 0.62:.1f}" font-size="12" fill="#222">{use_case}</text>')
        for column, month in enumerate(months):
            color = month[f"{use_case}_color"]
            parts.append(f'<rect class="cell" data-use-case="{use_case}" data-month="{month["month"]:%Y-%m}" '
                         f'data-color="{color or ""}" x="{label_width + column * cell}" y="{y}" width="{cell - 3}" '
                         f'height="{cell - 3}" rx="3" fill="{COLORS[color]}"><title>{use_case} {month["month"]:%Y-%m}: '
                         f'{color or "not scored"}</title></rect>')
    for column, month in enumerate(months):
        parts.append(f'<text x="{label_width + column * cell + cell / 2 - 1.5:.1f}" y="{height - 6}" text-anchor="middle" '
                     f'font-size="10" fill="#444">{month["month"]:%b}</text>')
    parts.append("</svg>")
    return "".join(parts)


def tile(label, value, metric, color=None):
    swatch = f'<span class="swatch" style="background:{COLORS[color]}"></span>' if color is not None or metric.endswith("color") else ""
    return (f'<div class="tile"><div class="label">{html.escape(label)}</div>'
            f'<div class="value" data-metric="{metric}">{swatch}{html.escape(value)}</div></div>')


def table(rows, columns):
    head = "".join(f"<th>{html.escape(title)}</th>" for title, _key, _kind in columns)
    body = "".join(
        "<tr>" + "".join(f'<td data-column="{key}">{html.escape(fmt(row[key], kind))}</td>' for _t, key, kind in columns) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body or '<tr><td>none</td></tr>'}</tbody></table>"


def render(data):
    latest = data["latest"]
    name = html.escape(latest["account_name"] or data["account_id"])
    tiles = "".join([
        tile("Licensed seats", fmt(latest["licensed_seats"]), "licensed_seats"),
        tile("Billable users", fmt(latest["billable_users"]), "billable_users"),
        tile("License utilization", fmt(latest["license_utilization"], "percent"), "license_utilization",
             latest["license_utilization_color"]),
        # SPEC §4.13: utilization is over the seats that report; no color unless all do
        tile("Seats reporting", fmt(latest["reporting_seat_share"], "percent"), "reporting_seat_share"),
        tile("Product usage", f'{latest["product_usage_color"] or "not scored"}'
             + (f' ({latest["product_usage_score"]:.0f})' if latest["product_usage_score"] is not None else ""),
             "product_usage_color", latest["product_usage_color"]),
        tile("Use cases adopted", fmt(latest["use_case_adoption_count"]), "use_case_adoption_count"),
    ])
    instances = table(data["instances"], [
        ("uuid", "uuid", "text"), ("hostname", "hostname", "text"), ("delivery", "delivery", "text"),
        ("type", "instance_type", "text"), ("rule", "instance_type_source", "text"),
        ("version", "gitlab_version", "text"), ("last ping", "last_ping_at", "date"), ("primary", "is_primary_instance", "text"),
    ])
    subscriptions = table(data["subscriptions"], [
        ("subscription", "subscription_name", "text"), ("plan", "plan", "text"), ("delivery", "delivery", "text"),
        ("seats", "licensed_seats", "number"), ("status", "status", "text"), ("term end", "term_end_date", "date"),
    ])
    alerts = table(data["alerts"], [
        ("month", "month", "date"), ("alert", "alert_type", "text"), ("subscription", "subscription_id", "text"),
        ("instance", "hostname", "text"), ("why", "details", "text"),
    ])
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{name} - product usage</title>
<style>
body {{ font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #222; }}
h1 {{ margin-bottom: 0; }} .asof {{ color: #666; margin-top: 4px; }}
.tiles {{ display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }}
.tile {{ border: 1px solid #ddd; border-radius: 8px; padding: 10px 14px; min-width: 150px; }}
.tile .label {{ font-size: 12px; color: #666; }} .tile .value {{ font-size: 22px; font-weight: 600; }}
.swatch {{ display: inline-block; width: 14px; height: 14px; border-radius: 3px; margin-right: 6px; }}
table {{ border-collapse: collapse; font-size: 13px; margin-bottom: 18px; }}
th, td {{ border-bottom: 1px solid #eee; padding: 4px 10px; text-align: left; }}
</style></head>
<body>
<h1 id="account-name">{name}</h1>
<p class="asof">Account {html.escape(data["account_id"])} - data as of <span id="as-of-date">{fmt(data["as_of_date"], "date")}</span>,
month {latest["month"]:%Y-%m}</p>
<div class="tiles">{tiles}</div>
<h2>License utilization</h2>{utilization_chart(data["months"])}
<h2>Use-case adoption</h2>{heat_strip(data["months"])}
<h2>Subscriptions</h2>{subscriptions}
<h2>Instances and namespaces</h2>{instances}
<h2>Alerts</h2>{alerts}
</body></html>
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--account", help="account_id to report on")
    which.add_argument("--all", action="store_true", help="every account in mart_account_health")
    parser.add_argument("--database", default=os.environ.get("ANALYTICS_DUCKDB_PATH") or "target/analytics.duckdb")
    parser.add_argument("--out", default="target/reports", help="output directory")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(args.database, read_only=True)
    try:
        accounts = ([args.account] if args.account else
                    [row["account_id"] for row in fetch(connection, "select distinct account_id from mart_account_health order by 1")])
        for account_id in tqdm(accounts, desc="accounts", unit="report", disable=len(accounts) == 1):
            path = out / f"{account_id}.html"
            path.write_text(render(account_data(connection, account_id)), encoding="utf-8")
            if args.account:
                print(path)
    finally:
        connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
