"""The Customer Success app: the portfolio a CSM opens every morning, the account page behind each
row, the month's alerts, and the use cases' adoption curves per term-start cohort. Reads only the published analyst database, read-only, one connection
per request (cs_app.data). Started by `make app`; pages are chosen by the URL (?page=account&account=ID).
"""

import sys
import urllib.parse
from pathlib import Path

import duckdb
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cs_app import charts, data, render  # noqa: E402

PAGES = {"portfolio": "Portfolio", "alerts": "Alerts", "adoption": "Adoption"}
COLOR_CHOICES = ["red", "yellow", "green", "not scored"]
# sort key and whether it sorts from the highest by default (the order a CSM reads first)
SORTS = {
    "Worst first": None,
    "Account name": ("account_name", False),
    "Utilization": ("license_utilization", False),
    "Product usage score": ("product_usage_score", False),
    "Change in score": ("product_usage_score_change", False),
    "Open alerts": ("open_alert_count", True),
    "Licensed seats": ("licensed_seats", True),
}


def link(page, account_id=None):
    return f"?page={page}" + (f"&account={urllib.parse.quote(account_id)}" if account_id else "")


def html(markup):
    st.html(render.render("_page.html.j2", body=markup))


def header(info, title):
    st.set_page_config(page_title=f"{title} - Customer Success", layout="wide")
    nav = " · ".join(f'<a href="{link(page)}" target="_self">{label}</a>' for page, label in PAGES.items())
    html(f'<div class="topbar"><span class="nav">{nav}</span>'
         f'<span class="asof">Data as of <b id="as-of-date">{render.fmt(info["as_of_date"], "date")}</b></span></div>')


def change_marker(row):
    change = row["product_usage_score_change"]
    if change is None:
        return ""
    return "down" if change < 0 else "up" if change > 0 else ""


def portfolio_page(connection):
    rows = data.portfolio(connection)
    plans = sorted({plan for row in rows for plan in (row["plans"] or "").split(", ") if plan})
    deliveries = sorted({value for row in rows for value in (row["deliveries"] or "").split(", ") if value})
    st.title("Portfolio")
    columns = st.columns([2, 2, 2, 1.3, 1.6, 1])
    chosen_plans = columns[0].multiselect("Plan", plans)
    chosen_deliveries = columns[1].multiselect("Delivery", deliveries)
    chosen_colors = columns[2].multiselect("Product usage color", COLOR_CHOICES)
    only_alerts = columns[3].checkbox("Has alerts")
    sort = columns[4].selectbox("Sort by", list(SORTS))
    reverse = columns[5].checkbox("Reverse", value=False, disabled=SORTS[sort] is None)

    def keep(row):
        return ((not chosen_plans or set(chosen_plans) & set((row["plans"] or "").split(", ")))
                and (not chosen_deliveries or set(chosen_deliveries) & set((row["deliveries"] or "").split(", ")))
                and (not chosen_colors or (row["product_usage_color"] or "not scored") in chosen_colors)
                and (not only_alerts or row["open_alert_count"] > 0))

    shown = [row for row in rows if keep(row)]
    if SORTS[sort] is not None:
        key, highest_first = SORTS[sort]
        present = sorted((row for row in shown if row[key] is not None), key=lambda row: row[key],
                         reverse=highest_first != reverse)
        shown = present + [row for row in shown if row[key] is None]  # n/a last either way
    for row in shown:
        row["link"] = link("account", row["account_id"])
        row["change"] = change_marker(row)
    colors = [row["product_usage_color"] or "not scored" for row in shown]
    summary = ", ".join(f"{colors.count(color)} {color}" for color in COLOR_CHOICES if color in colors)
    st.caption(f"{len(shown)} of {len(rows)} accounts ({summary}); {sum(row['open_alert_count'] for row in shown)} "
               "alerts this month. Each account's latest month. Worst first: lowest product usage score, then "
               "lowest utilization; accounts not scored last.")
    html(render.render("portfolio.html.j2", rows=shown))


def account_page(connection, info, account_id):
    try:
        account = data.account(connection, account_id)
    except data.UnknownAccount:
        st.title("Account not found")
        st.warning(f"There is no account {account_id!r} in the analyst database (as of "
                   f"{render.fmt(info['as_of_date'], 'date')}). Pick one from the portfolio.")
        html(f'<p><a id="back-to-portfolio" href="{link("portfolio")}" target="_self">Back to the portfolio</a></p>')
        return
    context = render.account_context(account, info["as_of_date"])
    latest = account["latest"]
    months = [row["month"] for row in account["months"]]
    st.title(context["name"])
    html(render.render("account_summary.html.j2", **context))
    st.subheader("License utilization")
    bands = data.utilization_bands(connection, latest["term_month"])
    st.altair_chart(charts.utilization_chart(account["months"], bands, latest["term_month"]), theme=None)
    st.subheader("Use-case adoption")
    use_case_names = [row["use_case"] for row in account["use_cases"]]
    st.altair_chart(charts.heat_strip(account["adoption"], use_case_names, months), theme=None)
    st.subheader("Measures behind the colors")
    scored_months = sorted({row["month"] for row in account["measures"]}, reverse=True)
    if scored_months:
        month = st.columns([1, 5])[0].selectbox("Month", scored_months,
                                                format_func=lambda value: render.fmt(value, "month"))
        context["measures"] = render.measures_of(account, month)
    html(render.render("account_tables.html.j2", **context))


def alerts_page(connection, info):
    alerts = data.latest_alerts(connection)
    descriptions = data.alert_descriptions(connection)
    st.title("Alerts")
    st.caption(f"{len(alerts)} alerts in {render.fmt(info['as_of_date'], 'month')} (the as-of month), grouped by "
               "type; each links to its account.")
    groups = {}
    for alert in alerts:
        alert["link"] = link("account", alert["account_id"])
        groups.setdefault(alert["alert_type"], []).append(alert)
    html(render.render("alerts.html.j2", groups=groups, descriptions=descriptions))


def adoption_page(connection):
    """The playbooks' time to value (SPEC §4.12): per adoption use case, each term-start cohort's curve."""
    use_cases = data.adoption_use_cases(connection)
    points = data.cohort_curves(connection)
    cohorts = [charts.quarter_label(day) for day in sorted({point["cohort_quarter"] for point in points})]
    st.title("Adoption")
    st.caption("Share of the subscriptions that started their term in the same quarter that were green in a use case "
               "by term month N (month 1 = the month the term starts, onboarding, never scored). A subscription that "
               "has not reached month N yet is left out of month N, so a young cohort's curve is short; DevSecOps "
               "counts Ultimate subscriptions only.")
    columns = st.columns(2)
    for index, use_case in enumerate(use_cases):
        with columns[index % 2]:
            st.altair_chart(charts.cohort_curves(points, use_case, cohorts), theme=None)
    st.subheader("Time to value per term-start cohort")
    rows = data.time_to_value_by_cohort(connection)
    order = {use_case: index for index, use_case in enumerate(use_cases)}
    rows.sort(key=lambda row: (order.get(row["use_case"], len(order)), row["cohort_quarter"]))
    for row in rows:
        row["cohort"] = charts.quarter_label(row["cohort_quarter"])
    st.caption("Subscriptions per use case and term-start quarter (DevSecOps off Ultimate left out); months to yellow "
               "and to green are the mean term month of those that got there.")
    html(render.render("adoption.html.j2", rows=rows))


def main():
    page = st.query_params.get("page", "portfolio")
    account_id = st.query_params.get("account")
    try:
        with data.connect() as connection:
            info = data.build_info(connection)
            header(info, "Account" if page == "account" else PAGES.get(page, "Portfolio"))
            if page == "account":
                if not account_id:
                    st.warning("No account in the URL: add ?page=account&account=ACCOUNT_ID, or pick one from the portfolio.")
                else:
                    account_page(connection, info, account_id)
            elif page == "alerts":
                alerts_page(connection, info)
            elif page == "adoption":
                adoption_page(connection)
            else:
                portfolio_page(connection)
    except data.MissingDatabase as error:
        st.set_page_config(page_title="No analyst database - Customer Success", layout="wide")
        st.title("No analyst database yet")
        st.error(str(error))
        st.code("make build   # then reload this page", language="bash")
    except duckdb.Error as error:
        st.error(f"The analyst database could not be read ({type(error).__name__}: {error}). "
                 "Rebuild it with `make build`.")


main()
