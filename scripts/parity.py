"""Parity of the two engines: build the embedded sample on DuckDB and on Spark, compare every mart.

    .venv-spark/bin/python scripts/parity.py                 # both builds, then the comparison
    .venv-spark/bin/python scripts/parity.py --no-build      # compare the last two builds again

DuckDB builds into a temporary file (or --duckdb-path), Spark into the `spark` target of
profiles.yml (its session settings are read from there, so both sides see the same warehouse).
Every model under models/marts is compared row by row on its primary key (the unique /
unique_combination_of_columns test of the manifest): keys on one side only, and values that
differ (floats within 1e-9, timestamps normalized to UTC). Prints OK or DIFF per mart with a
sample of differences; exits 1 on any difference or failed build.
"""

from __future__ import annotations

import argparse
import datetime as dt
import decimal
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import jinja2
import yaml

ROOT = Path(__file__).resolve().parent.parent
FLOAT_TOLERANCE = 1e-9
# Unit tests that cannot run on Spark for an adapter reason (see README "Running at scale with Spark").
SPARK_EXCLUDES: list[str] = [
    # empties the metrics catalog: the select list ends in a trailing comma, which DuckDB accepts and Spark rejects
    "dedupe_keeps_automatic_then_earliest_then_lowest_id",
]


def dbt(args: list[str], env: dict[str, str], target_path: Path) -> float:
    """Run the venv's dbt with args; print its results by status; return the wall time in seconds (exit on failure)."""
    command = [str(Path(sys.executable).parent / "dbt"), *args, "--target-path", str(target_path)]
    print("$", " ".join(command), flush=True)
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.monotonic() - started
    statuses: dict[str, int] = {}
    if (target_path / "run_results.json").exists():
        for node in json.loads((target_path / "run_results.json").read_text())["results"]:
            statuses[node["status"]] = statuses.get(node["status"], 0) + 1
            if node["status"] in ("error", "fail"):
                print(f"  {node['status']}: {node['unique_id']}: {(node.get('message') or '')[:300]}")
    print(f"  {statuses} in {elapsed:.1f} s", flush=True)
    if result.returncode != 0:
        print(result.stdout[-5000:])
        sys.exit(f"dbt {' '.join(args)} failed (exit {result.returncode})")
    return elapsed


def mart_names() -> list[str]:
    return sorted(path.stem for path in (ROOT / "models" / "marts").rglob("*.sql"))


def primary_keys(manifest_path: Path) -> dict[str, list[str]]:
    """Model name -> its primary key columns, from the unique / unique_combination tests."""
    manifest = json.loads(manifest_path.read_text())
    keys: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        model = node["attached_node"].split(".")[-1]
        metadata = node.get("test_metadata") or {}
        kwargs = metadata.get("kwargs") or {}
        if metadata.get("name") == "unique_combination_of_columns":
            columns = kwargs.get("combination_of_columns") or (kwargs.get("arguments") or {}).get("combination_of_columns")
            if columns:
                keys[model] = list(columns)
        elif metadata.get("name") == "unique" and model not in keys and kwargs.get("column_name"):
            keys.setdefault(model, [kwargs["column_name"]])
    return keys


def spark_session():
    """A pyspark session on the spark target's warehouse and metastore (profiles.yml)."""
    os.environ["TZ"] = "UTC"  # pyspark converts timestamps to the Python process's local time
    time.tzset()
    from pyspark.sql import SparkSession

    profile = yaml.safe_load((ROOT / "profiles.yml").read_text())["usage_analytics"]["outputs"]["spark"]
    render = jinja2.Environment().from_string
    builder = SparkSession.builder.enableHiveSupport()
    for key, value in profile.get("server_side_parameters", {}).items():
        builder = builder.config(key, render(str(value)).render(env_var=lambda name, default=None: os.environ.get(name, default)))
    schema = render(str(profile["schema"])).render(env_var=lambda name, default=None: os.environ.get(name, default))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session, schema


def normalize(value):
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value
    return value


def same(left, right) -> bool:
    if left is None or right is None:
        return left is None and right is None
    numbers = (int, float)
    if isinstance(left, numbers) and isinstance(right, numbers) and not isinstance(left, bool) and not isinstance(right, bool):
        if isinstance(left, float) or isinstance(right, float):
            if math.isnan(left) or math.isnan(right):
                return math.isnan(left) and math.isnan(right)
            return math.isclose(left, right, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
        return left == right
    return left == right


def compare(name: str, key: list[str], duck_columns, duck_rows, spark_columns, spark_rows, sample: int) -> list[str]:
    problems = []
    if list(duck_columns) != list(spark_columns):
        problems.append(f"columns differ: duckdb {list(duck_columns)} vs spark {list(spark_columns)}")
        common = [column for column in duck_columns if column in spark_columns]
    else:
        common = list(duck_columns)
    key = [column for column in key if column in common] or common

    def index(columns, rows):
        positions = [list(columns).index(column) for column in common]
        key_positions = [list(columns).index(column) for column in key]
        table: dict[tuple, tuple] = {}
        duplicates = 0
        for row in rows:
            values = tuple(normalize(row[position]) for position in positions)
            row_key = tuple(normalize(row[position]) for position in key_positions)
            duplicates += row_key in table
            table[row_key] = values
        return table, duplicates

    duck, duck_duplicates = index(duck_columns, duck_rows)
    spark, spark_duplicates = index(spark_columns, spark_rows)
    if duck_duplicates or spark_duplicates:
        problems.append(f"duplicate keys {key}: duckdb {duck_duplicates}, spark {spark_duplicates}")
    only_duck = [row_key for row_key in duck if row_key not in spark]
    only_spark = [row_key for row_key in spark if row_key not in duck]
    for row_key in only_duck[:sample]:
        problems.append(f"only in duckdb: {dict(zip(key, row_key))}")
    for row_key in only_spark[:sample]:
        problems.append(f"only in spark: {dict(zip(key, row_key))}")
    if len(only_duck) > sample or len(only_spark) > sample:
        problems.append(f"... {len(only_duck)} keys only in duckdb, {len(only_spark)} only in spark")
    value_diffs = []
    for row_key, duck_values in duck.items():
        spark_values = spark.get(row_key)
        if spark_values is None:
            continue
        for column, left, right in zip(common, duck_values, spark_values):
            if not same(left, right):
                value_diffs.append(f"{dict(zip(key, row_key))} {column}: duckdb {left!r} vs spark {right!r}")
    problems.extend(value_diffs[:sample])
    if len(value_diffs) > sample:
        problems.append(f"... {len(value_diffs)} differing values in all")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-build", action="store_true", help="compare the existing builds (needs --duckdb-path)")
    parser.add_argument("--duckdb-path", help="DuckDB file (default: a temporary file)")
    parser.add_argument("--sample", type=int, default=5, help="differences shown per mart")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="parity-"))
    duckdb_path = Path(args.duckdb_path) if args.duckdb_path else tmp / "parity.duckdb"
    env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT))
    duck_target_path = ROOT / "target" / "parity-duckdb"
    spark_target_path = ROOT / "target" / "parity-spark"
    timings: dict[str, float] = {}
    if not args.no_build:
        duck_env = dict(env, DBT_TARGET="duckdb", DUCKDB_PATH=str(duckdb_path))
        timings["duckdb"] = dbt(["build"], duck_env, duck_target_path)
        spark_env = dict(env, DBT_TARGET="spark")
        excludes = ["--exclude", *SPARK_EXCLUDES] if SPARK_EXCLUDES else []
        # from scratch: the incremental staging model would keep rows of an earlier build
        timings["spark"] = dbt(["build", "--full-refresh", *excludes], spark_env, spark_target_path)

    keys = primary_keys(duck_target_path / "manifest.json")
    session, schema = spark_session()
    connection = duckdb.connect(str(duckdb_path), read_only=True)
    failed = 0
    for name in mart_names():
        duck_result = connection.sql(f"select * from {name}")
        duck_columns, duck_rows = duck_result.columns, duck_result.fetchall()
        spark_frame = session.table(f"{schema}.{name}")
        spark_columns, spark_rows = spark_frame.columns, [tuple(row) for row in spark_frame.collect()]
        problems = compare(name, keys.get(name, []), duck_columns, duck_rows, spark_columns, spark_rows, args.sample)
        if len(duck_rows) != len(spark_rows):
            problems.insert(0, f"row counts: duckdb {len(duck_rows)} vs spark {len(spark_rows)}")
        status = "DIFF" if problems else "OK"
        failed += bool(problems)
        print(f"{status:4} {name} ({len(duck_rows)} rows, key {keys.get(name, 'all columns')})", flush=True)
        for problem in problems:
            print(f"       {problem}")
    session.stop()
    print(f"{len(mart_names()) - failed} of {len(mart_names())} marts identical")
    if timings:
        print("dbt build wall time: " + ", ".join(f"{engine} {seconds:.1f} s" for engine, seconds in timings.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
