"""Benchmark the pipeline against the DuckDB floor, in one run (never a timed test).

    python scripts/bench.py --pings 20000 [--base DIR] [--results FILE]

1. generates the raw data directory (scripts/generate_data.py) unless the base exists; each run
   works on a copy of hard links to it, so the base never sees the appended week;
2. floor: a fresh DuckDB file doing one typed read_json pass over the same ping files: every
   field staging parses (envelope, payload fields, one JSON leaf per catalog metric) read with
   an explicit schema and stored - the least any build that keeps the parsed pings must do;
3. `dbt parse` from scratch (once after a deploy), then the full `dbt build` of the project on
   that directory (fresh database, the parse reused, as scheduled runs of the same code do):
   every model and data test, as a production run does - unit tests test the code, not the
   data, and run in CI (`make test`), as dbt recommends;
4. appends one more week of pings (late pings and manual uploads included) and runs the same
   `dbt build` again (the incremental models read only the new files);
5. the same build on the embedded sample (a few hundred pings, parse reused): dbt's fixed cost
   per build (start-up, ~250 nodes each a query), which no data size changes;
and prints each time, its ratio to the floor and the peak RSS of each step, and writes them to
a JSON results file (the slowest nodes of each build too).
"""

import argparse
import csv
import json
import os
import pathlib
import platform
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DBT = str(pathlib.Path(PYTHON).with_name("dbt"))
CATALOG = ROOT / "seeds" / "reference" / "metrics_catalog.csv"
PAYLOAD_TEXT_FIELDS = [
    "uuid", "hostname", "version", "edition", "installation_type", "recorded_at", "license_md5", "license_sha256",
    "license_id", "license_plan", "license_trial", "license_starts_at", "license_expires_at",
]
PAYLOAD_COUNT_FIELDS = ["license_user_count", "license_billable_users", "historical_max_users", "active_user_count"]


def payload_type():
    """DuckDB STRUCT type of the payload fields staging reads (the metrics catalog's leaves as JSON)."""
    tree = {name: "VARCHAR" for name in PAYLOAD_TEXT_FIELDS}
    tree.update({name: "JSON" for name in PAYLOAD_COUNT_FIELDS})
    tree["licensee"] = {"Name": "VARCHAR", "Email": "VARCHAR", "Company": "VARCHAR"}
    with CATALOG.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            *parents, leaf = row["key_path"].split(".")
            node = tree
            for parent in parents:
                node = node.setdefault(parent, {})
            node[leaf] = "JSON"

    def render(node):
        if isinstance(node, str):
            return node
        return "STRUCT(" + ", ".join(f'"{key}" {render(value)}' for key, value in node.items()) + ")"
    return render(tree)


def floor_script(database, ping_glob):
    settings = (f"set memory_limit = '{os.environ.get('DUCKDB_MEMORY_LIMIT', '8GB')}'; "
                f"set threads = {os.environ.get('DUCKDB_THREADS', '2')};")
    sql = (f"create table pings as select * from read_json('{ping_glob}', format = 'newline_delimited', "
           f"ignore_errors = true, columns = {{id: 'BIGINT', received_at: 'VARCHAR', source_ip: 'VARCHAR', "
           f"payload: '{payload_type()}'}})")
    return f"import duckdb; connection = duckdb.connect({str(database)!r}); connection.execute({settings!r}); " \
           f"connection.execute({sql!r}); print(connection.sql('select count(*) from pings').fetchall())"


def run_measured(command, env=None):
    """Run a command in a child process; return (seconds, peak RSS of that child in MiB)."""
    started = time.perf_counter()
    child = subprocess.run(
        [PYTHON, "-c", "import resource, subprocess, sys; "
                       "code = subprocess.call(sys.argv[1:]); "
                       "print('PEAK_RSS_KB', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
                       "sys.exit(code)", *command],
        env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{child.stdout[-3000:]}\n{child.stderr[-3000:]}")
    peak = [line for line in child.stderr.splitlines() if line.startswith("PEAK_RSS_KB")]
    return seconds, int(peak[-1].split()[1]) / 1024 if peak else None


def dbt_command(verb, target_dir):
    """dbt parse / build of this project (data tests only: unit tests test the code, in CI)."""
    selection = ["--exclude", "test_type:unit"] if verb == "build" else []
    return [DBT, verb, *selection, "--project-dir", str(ROOT), "--target-path", str(target_dir), "--quiet"]


def slowest_nodes(target_dir, count=10):
    results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))["results"]
    ranked = sorted(results, key=lambda result: -result["execution_time"])[:count]
    return {result["unique_id"].split(".", 2)[-1]: round(result["execution_time"], 2) for result in ranked}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pings", type=int, default=20000)
    parser.add_argument("--base", help="raw data directory to benchmark (default target/bench/raw-<pings>)")
    parser.add_argument("--results", help="results file (default target/bench/results-<pings>.json)")
    args = parser.parse_args()
    work = ROOT / "target" / "bench"
    base = pathlib.Path(args.base or work / f"raw-{args.pings}")
    results_file = pathlib.Path(args.results or work / f"results-{args.pings}.json")
    work.mkdir(parents=True, exist_ok=True)
    generate = [PYTHON, str(ROOT / "scripts" / "generate_data.py"), "--pings", str(args.pings)]
    if not (base / "pings").exists():
        subprocess.run([*generate, "--out", str(base)], check=True)
    raw = work / f"run-{args.pings}"
    shutil.rmtree(raw, ignore_errors=True)
    shutil.copytree(base, raw, copy_function=os.link)
    ping_bytes = sum(path.stat().st_size for path in (raw / "pings").glob("*"))

    results = {"pings": args.pings, "ping_megabytes": round(ping_bytes / 1e6, 1), "machine": {
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "duckdb_memory_limit": os.environ.get("DUCKDB_MEMORY_LIMIT", "8GB (default)")}}
    floor_database = work / f"floor-{args.pings}.duckdb"
    floor_database.unlink(missing_ok=True)
    floor_seconds, floor_rss = run_measured([PYTHON, "-c", floor_script(floor_database, raw / "pings" / "*.ndjson*")])
    floor_database.unlink(missing_ok=True)
    results["floor"] = {"seconds": round(floor_seconds, 2), "peak_rss_mib": floor_rss}

    database = work / f"bench-{args.pings}.duckdb"
    for stale in (database, database.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    target_dir = work / f"target-{args.pings}"
    env = {**os.environ, "DUCKDB_PATH": str(database), "DBT_PROFILES_DIR": str(ROOT)}
    build = [*dbt_command("build", target_dir), "--vars", json.dumps({"raw_data_dir": str(raw)})]
    # parsing the project from scratch (once after a deploy) is measured on its own; every build
    # below reuses its parse (partial parsing), as scheduled runs of the same code do
    (target_dir / "partial_parse.msgpack").unlink(missing_ok=True)
    parse_seconds, _ = run_measured([*dbt_command("parse", target_dir), "--vars", json.dumps({"raw_data_dir": str(raw)})], env)
    results["parse_from_scratch"] = {"seconds": round(parse_seconds, 2)}
    full_seconds, full_rss = run_measured(build, env)
    results["full_build"] = {"seconds": round(full_seconds, 2), "ratio_to_floor": round(full_seconds / floor_seconds, 2),
                             "peak_rss_mib": full_rss, "slowest_nodes": slowest_nodes(target_dir)}

    subprocess.run([*generate, "--out", str(raw), "--append-week"], check=True, capture_output=True)
    next_seconds, next_rss = run_measured(build, env)
    results["after_one_more_week"] = {"seconds": round(next_seconds, 2), "ratio_to_floor": round(next_seconds / floor_seconds, 2),
                                      "share_of_full_build": round(next_seconds / full_seconds, 2), "peak_rss_mib": next_rss,
                                      "slowest_nodes": slowest_nodes(target_dir)}

    sample_database = work / "bench-sample.duckdb"
    sample_database.unlink(missing_ok=True)
    # a target directory of its own, so the run results of the builds above stay to be read
    sample_env, sample_target = {**env, "DUCKDB_PATH": str(sample_database)}, work / "target-sample"
    subprocess.run(dbt_command("parse", sample_target), env=sample_env, check=True)
    fixed_seconds, _ = run_measured(dbt_command("build", sample_target), sample_env)
    results["fixed_cost_on_the_sample"] = {"seconds": round(fixed_seconds, 2)}

    results_file.parent.mkdir(parents=True, exist_ok=True)
    results_file.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
