"""Benchmark the pipeline against the DuckDB floor, in one run (never a timed test).

    python scripts/bench.py --pings 20000 [--dir target/bench/raw-20000] [--results target/bench/results.json]

1. generates the raw data directory (scripts/generate_data.py) unless it exists;
2. floor: a fresh DuckDB doing one typed read_json pass over the same ping files;
3. full `dbt build` of the project on that directory (fresh database);
4. appends one more week of pings and runs `dbt build` again (the incremental case);
and prints each time, its ratio to the floor and the peak RSS of each step, and writes them
to a JSON results file.
"""

import argparse
import json
import os
import pathlib
import platform
import resource
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DBT = str(pathlib.Path(PYTHON).with_name("dbt"))

FLOOR_SQL = """
select count(*), count(payload.uuid), max(received_at)
from read_json('{glob}', format = 'newline_delimited', ignore_errors = true,
    columns = {{id: 'BIGINT', received_at: 'TIMESTAMP', source_ip: 'VARCHAR', payload: 'JSON'}})
"""


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pings", type=int, default=20000)
    parser.add_argument("--dir", help="raw data directory (default target/bench/raw-<pings>)")
    parser.add_argument("--results", default=str(ROOT / "target" / "bench" / "results.json"))
    args = parser.parse_args()
    raw = pathlib.Path(args.dir or ROOT / "target" / "bench" / f"raw-{args.pings}")
    work = ROOT / "target" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    if not (raw / "pings").exists():
        subprocess.run([PYTHON, str(ROOT / "scripts" / "generate_data.py"), "--out", str(raw), "--pings", str(args.pings)],
                       check=True)
    ping_bytes = sum(path.stat().st_size for path in (raw / "pings").glob("*"))

    results = {"pings": args.pings, "ping_megabytes": round(ping_bytes / 1e6, 1), "machine": {
        "cpus": os.cpu_count(), "python": platform.python_version()}}
    floor_sql = FLOOR_SQL.format(glob=str(raw / "pings" / "*.ndjson*"))
    floor_seconds, floor_rss = run_measured([PYTHON, "-c", f"import duckdb; print(duckdb.connect().sql({floor_sql!r}).fetchall())"])
    results["floor"] = {"seconds": round(floor_seconds, 2), "peak_rss_mib": floor_rss}

    database = work / f"bench-{args.pings}.duckdb"
    for stale in (database, database.with_suffix(".duckdb.wal")):
        stale.unlink(missing_ok=True)
    env = {**os.environ, "DUCKDB_PATH": str(database), "DBT_PROFILES_DIR": str(ROOT)}
    build = [DBT, "build", "--project-dir", str(ROOT), "--vars", json.dumps({"raw_data_dir": str(raw)}), "--quiet"]
    full_seconds, full_rss = run_measured(build, env)
    results["full_build"] = {"seconds": round(full_seconds, 2), "ratio_to_floor": round(full_seconds / floor_seconds, 2),
                             "peak_rss_mib": full_rss}

    subprocess.run([PYTHON, str(ROOT / "scripts" / "generate_data.py"), "--out", str(raw), "--pings", str(args.pings),
                    "--append-week"], check=True, capture_output=True)
    next_seconds, next_rss = run_measured(build, env)
    results["after_one_more_week"] = {"seconds": round(next_seconds, 2), "ratio_to_floor": round(next_seconds / floor_seconds, 2),
                                      "share_of_full_build": round(next_seconds / full_seconds, 2), "peak_rss_mib": next_rss}

    pathlib.Path(args.results).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args.results).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
