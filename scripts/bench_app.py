"""Read time of the Customer Success app's pages against the DuckDB floor, in the same run.

    python scripts/bench_app.py [ANALYST_DB] [--runs 15]

Each page's request as the app makes it (open the analyst database read-only, read build_info and
the page's data, close) against the floor (open read-only, select 1, close): the median of the
runs, and the ratio to the floor.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cs_app import data  # noqa: E402


def median_seconds(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def request(*readers):
    def run():
        with data.connect() as connection:
            data.build_info(connection)
            for reader in readers:
                reader(connection)
    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", nargs="?", help="analyst database (default: as the app)")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    if args.database:
        os.environ["ANALYTICS_DUCKDB_PATH"] = str(Path(args.database).resolve())
    with data.connect() as connection:
        worst = data.portfolio(connection)[0]["account_id"]
        [(accounts, months, alerts)] = connection.execute("""
            select count(distinct account_id), count(*), (select count(*) from mart_usage_alerts)
            from mart_account_health""").fetchall()
    print(f"{data.database_path()}: {data.database_path().stat().st_size / 1e6:.0f} MB, {accounts} accounts, "
          f"{months} account-months, {alerts} alerts")

    def floor():
        with data.connect() as connection:
            connection.execute("select 1").fetchall()

    base = median_seconds(floor, args.runs)
    print(f"floor (open, select 1, close): {base * 1000:.1f} ms")
    pages = {"portfolio": request(data.portfolio), "account": request(lambda c: data.account(c, worst)),
             "alerts": request(data.latest_alerts)}
    for name, run in pages.items():
        seconds = median_seconds(run, args.runs)
        print(f"{name}: {seconds * 1000:.1f} ms, {seconds / base:.1f} x floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
