"""Offline account report for Customer Success: one self-contained HTML page per account.

    python scripts/report.py --account ACC-0001 [--database PATH] [--out target/reports]
    python scripts/report.py --all

Reads the published analyst database ($ANALYTICS_DUCKDB_PATH, default target/analytics.duckdb)
through the same code as the Customer Success app (cs_app), so both show the same numbers. The
charts are the app's Altair charts rendered offline to inline SVG (vl-convert); the HTML comes
from cs_app/templates/report.html.j2. The page needs no network to build or to view.
"""

import argparse
import pathlib
import sys

from tqdm import tqdm

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from cs_app import charts, data, render  # noqa: E402


def account_data(connection, account_id):
    """Everything the page shows, read from an open analyst database connection."""
    account = data.account(connection, account_id)
    account["as_of_date"] = data.build_info(connection)["as_of_date"]
    account["utilization_bands"] = data.utilization_bands(connection, account["latest"]["term_month"])
    return account


def render_page(account):
    context = render.account_context(account, account["as_of_date"])
    latest = account["latest"]
    months = [row["month"] for row in account["months"]]
    context["utilization_svg"] = charts.to_svg(charts.utilization_chart(
        account["months"], account["utilization_bands"], latest["term_month"]))
    context["heat_strip_svg"] = charts.to_svg(charts.heat_strip(
        account["adoption"], [row["use_case"] for row in account["use_cases"]], months))
    return render.render("report.html.j2", **context)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--account", help="account_id to report on")
    which.add_argument("--all", action="store_true", help="every account in mart_account_health")
    parser.add_argument("--database", default=None, help="analyst database (default: $ANALYTICS_DUCKDB_PATH "
                                                         "or target/analytics.duckdb)")
    parser.add_argument("--out", default="target/reports", help="output directory")
    args = parser.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    try:
        with data.connect(args.database) as connection:
            accounts = ([args.account] if args.account else
                        [row["account_id"] for row in data.fetch(
                            connection, "select distinct account_id from mart_account_health order by 1")])
            for account_id in tqdm(accounts, desc="accounts", unit="report", disable=len(accounts) == 1):
                path = out / f"{account_id}.html"
                path.write_text(render_page(account_data(connection, account_id)), encoding="utf-8")
                if args.account:
                    print(path)
    except data.MissingDatabase as error:
        raise SystemExit(str(error)) from None
    except data.UnknownAccount as error:
        raise SystemExit(f"no account {error.args[0]!r} in mart_account_health") from None
    return 0


if __name__ == "__main__":
    sys.exit(main())
