"""Stand-in for the analyst database that #18 publishes (target/analytics.duckdb), until it lands:
copies the published models (dim_, fct_, mart_ and non-restricted rpt_) of a working database into
a new file, with the one-row build_info table of the agreed interface.

    .venv/bin/python tests/python/analyst_standin.py [WORKING_DB] [ANALYST_DB]
"""

import sys
from pathlib import Path

import duckdb

RESTRICTED = {"rpt_pings_quarantined", "rpt_license_usage_rejected"}  # quarantines keeping input as received


def write_standin(working_db, analyst_db, connection=None):
    analyst_db = Path(analyst_db)
    analyst_db.unlink(missing_ok=True)
    source = connection or duckdb.connect(str(working_db))
    try:
        source.execute(f"attach '{analyst_db}' as analyst")
        tables = [name for (name,) in source.execute("""
            select table_name from information_schema.tables
            where table_catalog = current_database()
                and regexp_matches(table_name, '^(dim|fct|mart|rpt)_')
            order by 1""").fetchall() if name not in RESTRICTED]
        for name in tables:
            source.execute(f"create table analyst.main.{name} as select * from {name}")
        source.execute("""
            create table analyst.main.build_info as
            select as_of_date, cast(now() at time zone 'UTC' as timestamp) as published_at,
                'standin' as dbt_invocation_id, 'dev' as target_name
            from int_as_of_date""")
        source.execute("detach analyst")
    finally:
        if connection is None:
            source.close()
    return tables


if __name__ == "__main__":
    working = sys.argv[1] if len(sys.argv) > 1 else "target/usage_analytics.duckdb"
    analyst = sys.argv[2] if len(sys.argv) > 2 else "target/analytics.duckdb"
    print(len(write_standin(working, analyst)), "tables ->", analyst)
