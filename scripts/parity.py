"""Parity of the two engines: build the embedded sample on DuckDB and on Spark, compare every mart.

    .venv-spark/bin/python scripts/parity.py                 # both builds, then the comparison
    .venv-spark/bin/python scripts/parity.py --no-build      # compare the last two builds again
    .venv-spark/bin/python scripts/parity.py --raw-data-dir DIR         # both built from raw files
    .venv-spark/bin/python scripts/parity.py --write-raw-dir DIR [--pings N]  # write a test directory
    .venv-spark/bin/python scripts/parity.py --spark-target thrift   # Spark through a Thrift server
    .venv-spark/bin/python scripts/parity.py --raw-data-dir DIR --incremental-from 2026-06-29

--raw-data-dir builds both engines with `--vars '{raw_data_dir: DIR}'`. --write-raw-dir writes a
raw data directory that exercises every reader: scripts/generate_data.py's output for --pings N
(or, with --pings 0, the embedded sample's own files), every other ping file gzipped, one with a
byte-order mark and CRLF line ends, plus manual uploads and the sample's license usage exports.
--incremental-from DATE checks Spark's incremental path: both engines build from a copy of the
raw directory, whose first ping file of DATE or later also carries two late copies of pings
stored before it (add_late_copies); Spark first without the ping and SaaS files of DATE and later,
the manual uploads of DATE's month and later, and with three inputs as they were before a
correction (before_corrections: a license mapping and a label added, a subscription's start
moved later), then again with them all (an incremental build, as a weekly run does), and DuckDB
once from everything.

DuckDB builds into a temporary file (or --duckdb-path), Spark into the `spark` target of
profiles.yml (its session settings are read from there, so both sides see the same warehouse), or
with --spark-target thrift into a running Thrift server (SPARK_THRIFT_HOST, SPARK_THRIFT_PORT;
scripts/spark_cluster.py starts one), whose marts are then read through it.
Every model under models/marts is compared row by row on its primary key (the primary_key /
unique_combination_of_columns / unique test of the manifest): keys on one side only, and values that
differ (floats within 1e-9, timestamps normalized to UTC). Prints OK or DIFF per mart with a
sample of differences; exits 1 on any difference or failed build. A mart of more than
--sql-compare-rows rows (the per-ping metric view grows with pings x metrics) is not fetched into
Python: Spark writes it as Parquet into --export-dir (a directory both engines reach: a local
session, or a cluster on this machine) and DuckDB compares it there in SQL, with the same rules.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import gzip
import io
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import jinja2
import yaml

csv.field_size_limit(sys.maxsize)

ROOT = Path(__file__).resolve().parent.parent
FLOAT_TOLERANCE = 1e-9
# Unit tests that cannot run on Spark for an adapter reason (see README "Running at scale with Spark").
SPARK_EXCLUDES: list[str] = []
SAMPLE = ROOT / "seeds" / "sample"


def seed_rows(name: str) -> list[dict[str, str]]:
    with open(SAMPLE / f"{name}.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_raw_dir(out: Path, pings: int) -> None:
    """A raw data directory (SPEC §2) for the parity check: every reader and its edge cases."""
    if out.exists() and any(out.iterdir()):
        sys.exit(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[tuple[int, str]]] = {}
    if pings:
        subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--out", str(out), "--pings", str(pings)], check=True)
    else:  # the embedded sample as the files it was made from
        for seed in ("raw_pings", "raw_saas_usage"):
            for row in seed_rows(seed):
                files.setdefault(row["file_name"], []).append((int(row["line_number"]), row["line"]))
        for name, lines in files.items():
            numbered = dict(lines)
            text = "".join(numbered.get(number, "") + "\n" for number in range(1, max(numbered) + 1))
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_text(text, encoding="utf-8", newline="")
        for seed in ("subscriptions", "licenses", "license_md5_to_subscription_mapping", "instance_types"):
            (out / f"{seed}.csv").write_bytes((SAMPLE / f"{seed}.csv").read_bytes())
    # the sample's license usage exports; manual uploads: the sample's, or (generated data, whose
    # fleet they would not belong to) the payloads of three generated pings, also sent by hand
    for seed in ("raw_license_usage",) if pings else ("raw_manual_uploads", "raw_license_usage"):
        for row in seed_rows(seed):
            (out / row["file_name"]).parent.mkdir(parents=True, exist_ok=True)
            (out / row["file_name"]).write_text(row["content"], encoding="utf-8", newline="")
    ping_files = sorted((out / "pings").glob("*.ndjson"))
    if pings:
        (out / "manual_uploads").mkdir(exist_ok=True)
        lines = ping_files[-1].read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines[:3], start=1):
            payload = json.loads(line)["payload"]
            (out / "manual_uploads" / f"upload-{number}.json").write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    for path in ping_files[1::2]:  # every other file gzipped
        path.with_name(path.name + ".gz").write_bytes(gzip.compress(path.read_bytes(), mtime=0))
        path.unlink()
    first = ping_files[0]  # a byte-order mark and CRLF line ends
    first.write_bytes(b"\xef\xbb\xbf" + first.read_bytes().replace(b"\n", b"\r\n"))
    print(f"wrote {out}: {sum(1 for _ in out.rglob('*') if _.is_file())} files")


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
    """Model name -> its primary key columns, from the primary_key / unique_combination / unique tests."""
    manifest = json.loads(manifest_path.read_text())
    keys: dict[str, list[str]] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("attached_node"):
            continue
        model = node["attached_node"].split(".")[-1]
        metadata = node.get("test_metadata") or {}
        kwargs = metadata.get("kwargs") or {}
        arguments = kwargs.get("arguments") or {}
        if metadata.get("name") == "primary_key":
            columns = kwargs.get("columns") or arguments.get("columns") or [kwargs.get("column_name") or node.get("column_name")]
            if all(columns):
                keys[model] = list(columns)
        elif metadata.get("name") == "unique_combination_of_columns" and model not in keys:
            columns = kwargs.get("combination_of_columns") or arguments.get("combination_of_columns")
            if columns:
                keys[model] = list(columns)
        elif metadata.get("name") == "unique" and model not in keys and kwargs.get("column_name"):
            keys.setdefault(model, [kwargs["column_name"]])
    return keys


def model_schemas(manifest_path: Path) -> dict[str, str]:
    """Model name -> its schema (each layer has its own: macros/generate_schema_name.sql)."""
    manifest = json.loads(manifest_path.read_text())
    return {node["name"]: node["schema"] for node in manifest["nodes"].values() if node["resource_type"] == "model"}


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


class ThriftTables:
    """The marts read through the Thrift server the `thrift` target builds into (PyHive)."""

    def __init__(self):
        from pyhive import hive

        self.connection = hive.connect(host=os.environ.get("SPARK_THRIFT_HOST", "127.0.0.1"),
                                       port=int(os.environ.get("SPARK_THRIFT_PORT", "10000")),
                                       username=os.environ.get("SPARK_THRIFT_USER", "dbt"))
        cursor = self.connection.cursor()
        cursor.execute("set spark.sql.session.timeZone = UTC")
        cursor.close()

    def export(self, table: str, directory: Path) -> None:
        cursor = self.connection.cursor()
        cursor.execute(f"insert overwrite directory '{directory}' using parquet select * from {table}")
        cursor.close()

    def rows(self, table: str) -> tuple[list[str], list[tuple]]:
        cursor = self.connection.cursor()
        cursor.execute(f"select * from {table}")
        description = cursor.description
        rows = cursor.fetchall()
        cursor.close()
        # PyHive types decimals and timestamps; a date comes as its text
        dates = [index for index, column in enumerate(description) if column[1] == "DATE_TYPE"]
        if dates:
            rows = [tuple(dt.date.fromisoformat(value) if index in dates and isinstance(value, str) else value
                          for index, value in enumerate(row)) for row in rows]
        return [column[0].split(".")[-1] for column in description], [tuple(row) for row in rows]

    def stop(self):
        self.connection.close()


class SessionTables:
    def __init__(self):
        self.session, _ = spark_session()

    def export(self, table: str, directory: Path) -> None:
        self.session.sql(f"insert overwrite directory '{directory}' using parquet select * from {table}")

    def rows(self, table: str) -> tuple[list[str], list[tuple]]:
        frame = self.session.table(table)
        return frame.columns, [tuple(row) for row in frame.collect()]

    def stop(self):
        self.session.stop()


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


def compare_in_duckdb(connection, duck_table: str, parquet_dir: Path, key: list[str], sample: int) -> list[str]:
    """compare()'s rules in DuckDB SQL, for a mart too big to fetch: the Spark side is its
    Parquet export. Keys on one side only, duplicate keys, and rows whose values differ (floats
    within FLOAT_TOLERANCE, timestamps as UTC instants without zone)."""
    spark_table = f"read_parquet('{parquet_dir}/*.parquet')"
    duck_relation = connection.sql(f"select * from {duck_table} limit 0")
    duck_types = dict(zip(duck_relation.columns, map(str, duck_relation.types)))
    spark_relation = connection.sql(f"select * from {spark_table} limit 0")
    spark_types = dict(zip(spark_relation.columns, map(str, spark_relation.types)))
    problems = []
    if list(duck_types) != list(spark_types):
        problems.append(f"columns differ: duckdb {list(duck_types)} vs spark {list(spark_types)}")
    common = [column for column in duck_types if column in spark_types]
    key = [column for column in key if column in common] or common

    def numeric(column):
        return any(kind.split("(")[0] in ("DOUBLE", "FLOAT", "DECIMAL") for kind in (duck_types[column], spark_types[column]))

    def value(side, column):
        if numeric(column):
            return f'cast({side}."{column}" as double)'
        if "TIMESTAMP" in duck_types[column] or "TIMESTAMP" in spark_types[column]:
            return f'cast({side}."{column}" as timestamp)'
        return f'{side}."{column}"'

    def same_sql(column):
        left, right = value("d", column), value("s", column)
        if numeric(column):
            # NULL on one side only is a difference (the comparisons below are then NULL, not false)
            return (f"(({left} is null and {right} is null) or coalesce(isnan({left}) and isnan({right}) or "
                    f"abs({left} - {right}) <= {FLOAT_TOLERANCE} * greatest(1, abs({left}), abs({right})), false))")
        return f"{left} is not distinct from {right}"

    on = " and ".join(f"{value('d', column)} is not distinct from {value('s', column)}" for column in key)
    key_list = ", ".join(f'"{column}"' for column in key)
    connection.execute("set TimeZone = 'UTC'")
    counts = connection.sql(f"select (select count(*) from {duck_table}), (select count(*) from {spark_table}), "
                            f"(select count(*) from (select distinct {key_list} from {duck_table})), "
                            f"(select count(*) from (select distinct {key_list} from {spark_table}))").fetchall()[0]
    if counts[0] != counts[1]:
        problems.append(f"row counts: duckdb {counts[0]} vs spark {counts[1]}")
    if counts[0] != counts[2] or counts[1] != counts[3]:
        problems.append(f"duplicate keys {key}: duckdb {counts[0] - counts[2]}, spark {counts[1] - counts[3]}")
    for name, left, right in (("duckdb", duck_table, spark_table), ("spark", spark_table, duck_table)):
        other = f"select {key_list} from {right}"
        (only,), = connection.sql(f"select count(*) from (select {key_list} from {left} except {other})").fetchall()
        if only:
            examples = connection.sql(f"select {key_list} from {left} except {other} limit {sample}").fetchall()
            problems.append(f"{only} keys only in {name}, e.g. {[dict(zip(key, row)) for row in examples]}")
    differing = " or ".join(f"not ({same_sql(column)})" for column in common if column not in key) or "false"
    joined = f"from {duck_table} as d inner join {spark_table} as s on {on} where {differing}"
    (count,), = connection.sql(f"select count(*) {joined}").fetchall()
    if count:
        examples = connection.sql(f"select {', '.join(f'd.{chr(34)}{column}{chr(34)}' for column in key)} {joined} limit {sample}").fetchall()
        problems.append(f"{count} rows with differing values, e.g. keys {[dict(zip(key, row)) for row in examples]}")
    return problems


def files_from(raw_dir: Path, date: str) -> list[Path]:
    """The weekly ping and SaaS files of `date` and later (named <YYYY-MM-DD>.ndjson[.gz]) and the
    manual uploads of its month and later (named <hostname>-<YYYY-MM[-DD]>.json): what a raw
    directory receives after that date."""
    weekly = [path for folder in ("pings", "saas_usage") for path in sorted((raw_dir / folder).glob("*.ndjson*"))
              if path.name.split(".")[0] >= date]
    manual = [path for path in sorted((raw_dir / "manual_uploads").glob("*.json"))
              if (found := re.search(r"(\d{4}-\d{2})(-\d{2})?$", path.stem)) and found.group(1) >= date[:7]]
    return weekly + manual


# a manual upload of the sample (and of generate_data.py's default output) whose automatic copy
# the collector sends later: the automatic copy is kept from then on (SPEC §4.13)
AUTOMATIC_COPY_OF = "gitlab.hooli.internal-2026-05.json"
# the inputs a correction adds a row to, at their end: a manual license mapping, a CSM label
ADDED_TO = ("license_md5_to_subscription_mapping.csv", "instance_types.csv")


def _read_lines(path: Path) -> list[str]:
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    return data.decode("utf-8-sig").splitlines()


def _write_lines(path: Path, lines: list[str]) -> None:
    """Write a file anew (a hard link to another directory's file is replaced, never written into)."""
    data = "".join(line + "\n" for line in lines).encode("utf-8")
    path.unlink(missing_ok=True)
    path.write_bytes(gzip.compress(data, mtime=0) if path.suffix == ".gz" else data)


def _later(timestamp: str, delta: dt.timedelta) -> str:
    """An ISO 8601 UTC timestamp (`...Z`), `delta` later, in the same form."""
    moved = dt.datetime.fromisoformat(timestamp.replace("Z", "+00:00")) + delta
    return moved.strftime("%Y-%m-%dT%H:%M:%SZ")


def add_late_copies(raw_dir: Path, week: Path) -> None:
    """Append to `week`, a ping file received after the others, two pings stored before it: the
    first ping of the first ping file, sent again a week after its first copy (a duplicate that
    its dedupe group ranks again), and the automatic copy of the manual upload AUTOMATIC_COPY_OF
    (the copy kept from then on: the manual one's ping is no longer kept)."""
    [first_file] = sorted((raw_dir / "pings").glob("*.ndjson*"))[:1]
    resent = json.loads(_read_lines(first_file)[0])
    resent["received_at"] = _later(resent["received_at"], dt.timedelta(days=7))
    uploaded = json.loads((raw_dir / "manual_uploads" / AUTOMATIC_COPY_OF).read_text(encoding="utf-8"))
    automatic_copy = {"id": 10**9, "received_at": _later(uploaded["recorded_at"], dt.timedelta(hours=1)),
                      "payload": uploaded}
    _write_lines(week, _read_lines(week) + [json.dumps(resent), json.dumps(automatic_copy)])


def before_corrections(raw_dir: Path) -> dict[Path, list[str]]:
    """The corrected inputs as they were before three corrections, by file: the manual license
    mapping and the CSM labels without their last row (a row added), and the subscriptions with
    the last row's term starting three months earlier (a start date corrected: the subscription-
    months before the corrected start are no longer there)."""
    earlier = {path: _read_lines(path)[:-1] for name in ADDED_TO if (path := raw_dir / name).exists()}
    subscriptions = raw_dir / "subscriptions.csv"
    lines = _read_lines(subscriptions)
    header, last = next(csv.reader(lines[:1])), next(csv.reader(lines[-1:]))
    column = header.index("term_start_date")
    start = dt.date.fromisoformat(last[column])
    months = start.year * 12 + start.month - 1 - 3
    last[column] = dt.date(months // 12, months % 12 + 1, min(start.day, 28)).isoformat()
    row = io.StringIO()
    csv.writer(row, lineterminator="").writerow(last)
    earlier[subscriptions] = lines[:-1] + [row.getvalue()]
    return earlier


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-build", action="store_true", help="compare the existing builds (needs --duckdb-path)")
    parser.add_argument("--duckdb-path", help="DuckDB file (default: a temporary file)")
    parser.add_argument("--sample", type=int, default=5, help="differences shown per mart")
    parser.add_argument("--raw-data-dir", help="build both engines from this raw data directory (SPEC §2)")
    parser.add_argument("--write-raw-dir", help="write a test raw data directory here and stop")
    parser.add_argument("--incremental-from", metavar="DATE",
                        help="with --raw-data-dir: Spark builds first without the files of DATE and later, then "
                             "incrementally with them")
    parser.add_argument("--pings", type=int, default=1000, help="with --write-raw-dir: generated pings (0: the sample)")
    parser.add_argument("--target-dir", default=str(ROOT / "target"),
                        help="where the two builds' dbt target directories go (parity-duckdb, parity-spark)")
    parser.add_argument("--spark-target", default="spark", choices=["spark", "thrift"],
                        help="the profile output Spark builds with (thrift: a running Thrift server)")
    parser.add_argument("--sql-compare-rows", type=int, default=500_000,
                        help="marts with more rows on DuckDB are compared in DuckDB SQL on Spark's Parquet export")
    parser.add_argument("--export-dir", help="where Spark writes those marts (default TARGET_DIR/parity-export; "
                                             "a path the Spark driver and executors and this machine share)")
    args = parser.parse_args()
    if args.write_raw_dir:
        write_raw_dir(Path(args.write_raw_dir).resolve(), args.pings)
        return 0

    tmp = Path(tempfile.mkdtemp(prefix="parity-"))
    duckdb_path = Path(args.duckdb_path) if args.duckdb_path else tmp / "parity.duckdb"
    env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT))
    duck_target_path = Path(args.target_dir).resolve() / "parity-duckdb"
    spark_target_path = Path(args.target_dir).resolve() / "parity-spark"
    timings: dict[str, float] = {}
    if args.incremental_from and not args.raw_data_dir:
        sys.exit("--incremental-from needs --raw-data-dir")
    raw_dir = Path(args.raw_data_dir).resolve() if args.raw_data_dir else None
    held_back = []
    if args.incremental_from and not args.no_build:
        # a copy (hard links) whose path stays the same across the builds: another raw directory
        # would start every incremental model again
        raw_dir = tmp / "raw"
        shutil.copytree(Path(args.raw_data_dir).resolve(), raw_dir, copy_function=os.link)
        held_back = files_from(raw_dir, args.incremental_from)
        weeks = [path for path in held_back if path.parent.name == "pings"]
        if not weeks:
            sys.exit(f"no ping file of {args.incremental_from} or later in {args.raw_data_dir}")
        add_late_copies(raw_dir, weeks[0])
    if not args.no_build:
        raw_vars = ["--vars", json.dumps({"raw_data_dir": str(raw_dir)})] if raw_dir else []
        # what the build publishes goes beside its database, not over the project's analyst files
        duck_env = dict(env, DBT_TARGET="duckdb", DUCKDB_PATH=str(duckdb_path), DBT_PROJECT_DIR=str(ROOT),
                        ANALYTICS_DUCKDB_PATH=str(duckdb_path.with_name(f"{duckdb_path.stem}.analytics.duckdb")),
                        RESTRICTED_DUCKDB_PATH=str(duckdb_path.with_name(f"{duckdb_path.stem}.restricted.duckdb")))
        timings["duckdb"] = dbt(["build", *raw_vars], duck_env, duck_target_path)
        spark_env = dict(env, DBT_TARGET=args.spark_target)
        excludes = ["--exclude", *SPARK_EXCLUDES] if SPARK_EXCLUDES else []
        # from scratch: the incremental staging model would keep rows of an earlier build
        if held_back:
            aside = tmp / "held-back"
            for path in held_back:
                (aside / path.relative_to(raw_dir)).parent.mkdir(parents=True, exist_ok=True)
                path.rename(aside / path.relative_to(raw_dir))
            earlier = before_corrections(raw_dir)
            for path, lines in earlier.items():
                _write_lines(path, lines)
            timings["spark, before the held-back files"] = dbt(["build", "--full-refresh", *raw_vars, *excludes],
                                                               spark_env, spark_target_path)
            for path in held_back:
                (aside / path.relative_to(raw_dir)).rename(path)
            for path in earlier:  # the corrected inputs: the original files, linked again
                path.unlink()
                os.link(Path(args.raw_data_dir).resolve() / path.relative_to(raw_dir), path)
            print(f"{len(held_back)} held-back files back in place, {len(earlier)} inputs corrected: "
                  "Spark builds incrementally", flush=True)
            timings["spark, incremental"] = dbt(["build", *raw_vars, *excludes], spark_env, spark_target_path)
        else:
            timings["spark"] = dbt(["build", "--full-refresh", *raw_vars, *excludes], spark_env, spark_target_path)

    keys = primary_keys(duck_target_path / "manifest.json")
    duck_schemas = model_schemas(duck_target_path / "manifest.json")
    spark_manifest = spark_target_path / "manifest.json"
    spark_schemas = model_schemas(spark_manifest) if spark_manifest.exists() else duck_schemas
    spark = ThriftTables() if args.spark_target == "thrift" else SessionTables()
    connection = duckdb.connect(str(duckdb_path), read_only=True)
    failed = 0
    export_root = Path(args.export_dir or Path(args.target_dir) / "parity-export").resolve()
    for name in mart_names():
        duck_table = f"{duck_schemas[name]}.{name}"
        (row_count,), = connection.sql(f"select count(*) from {duck_table}").fetchall()
        if row_count > args.sql_compare_rows:
            directory = export_root / name
            spark.export(f"{spark_schemas[name]}.{name}", directory)
            problems = compare_in_duckdb(connection, duck_table, directory, keys.get(name, []), args.sample)
            how = ", compared in DuckDB SQL"
        else:
            duck_result = connection.sql(f"select * from {duck_table}")
            duck_columns, duck_rows = duck_result.columns, duck_result.fetchall()
            spark_columns, spark_rows = spark.rows(f"{spark_schemas[name]}.{name}")
            problems = compare(name, keys.get(name, []), duck_columns, duck_rows, spark_columns, spark_rows, args.sample)
            if len(duck_rows) != len(spark_rows):
                problems.insert(0, f"row counts: duckdb {len(duck_rows)} vs spark {len(spark_rows)}")
            how = ""
        status = "DIFF" if problems else "OK"
        failed += bool(problems)
        print(f"{status:4} {name} ({row_count} rows, key {keys.get(name, 'all columns')}{how})", flush=True)
        for problem in problems:
            print(f"       {problem}")
    spark.stop()
    print(f"{len(mart_names()) - failed} of {len(mart_names())} marts identical")
    if timings:
        print("dbt build wall time: " + ", ".join(f"{engine} {seconds:.1f} s" for engine, seconds in timings.items()))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
