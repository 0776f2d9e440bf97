"""Spark against DuckDB on one raw data directory, in one run: the full build and the next week.

    .venv-spark/bin/python scripts/bench_spark.py --base DIR                      # local session (spark)
    .venv-spark/bin/python scripts/bench_spark.py --base DIR --append-week-pings N
    .venv-spark/bin/python scripts/spark_cluster.py run -- \\
        .venv-spark/bin/python scripts/bench_spark.py --spark-target thrift --base DIR --append-week-pings N

1. copies the base directory by hard links into --work (the base never sees the appended week);
2. the full `dbt build` (models and data tests, as scripts/bench.py's builds) on DuckDB (a fresh
   file), then on Spark (`--full-refresh`), then every mart compared (scripts/parity.py);
3. with --append-week-pings N (the --pings the base was generated with): appends the next week
   (scripts/generate_data.py --append-week) and runs both builds again, then compares again;
and writes, per engine and build, the wall time, the CPU time (user + system) and the peak RSS,
and the slowest nodes of its run_results.json, to a JSON file (--results).

CPU time: DuckDB's is the dbt process's. Spark's on the local session (method session) is dbt's
and its pyspark JVM's: this process adopts orphaned descendants (a child subreaper), so the JVM is
reaped here and counted. Through the Thrift server (method thrift) the work runs in the cluster's
JVMs (Thrift server = driver, executors under the worker): their CPU is read from /proc before and
after the build, over the process sessions scripts/spark_cluster.py recorded (--cluster-dir), and
added to dbt's; their peak RSS is each JVM's high-water mark since the cluster started.
"""

from __future__ import annotations

import argparse
import ctypes
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PR_SET_CHILD_SUBREAPER = 36
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def become_subreaper() -> None:
    """Orphaned descendants (the JVM pyspark leaves running when dbt exits) are reparented here."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def reap_orphans(timeout: float = 120) -> None:
    """Wait for the adopted descendants to exit, so that their CPU time counts as this process's children's."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if time.monotonic() > deadline:
                return
            time.sleep(0.2)


def stat_fields(stat_text: str) -> list[str]:
    """The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses)."""
    return stat_text[stat_text.rindex(")") + 2:].split()


def session_cpu(sessions: set[int], proc: Path = Path("/proc")) -> tuple[float, dict[int, float]]:
    """CPU seconds (user + system, with reaped children's) of every process whose session is one of
    `sessions`, and each process's peak RSS in MiB (VmHWM)."""
    total, peaks = 0.0, {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = stat_fields((entry / "stat").read_text())
            status = (entry / "status").read_text()
        except OSError:  # exited meanwhile
            continue
        # fields[0] is the state (stat field 3): session is field 6, utime..cstime fields 14-17
        if int(fields[3]) not in sessions:
            continue
        total += sum(int(value) for value in fields[11:15]) / CLOCK_TICKS
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                peaks[int(entry.name)] = int(line.split()[1]) / 1024
    return total, peaks


def cluster_sessions(cluster_dir: Path) -> set[int]:
    """The sessions of the processes scripts/spark_cluster.py started (each leads its own)."""
    pid_file = cluster_dir / "pids"
    if not pid_file.exists():
        sys.exit(f"no running cluster recorded in {pid_file} (start one with scripts/spark_cluster.py run)")
    return {int(line.split()[0]) for line in pid_file.read_text().splitlines() if line.strip()}


def slowest_nodes(run_results: Path, count: int = 10) -> dict[str, float]:
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    ranked = sorted(results, key=lambda result: -result["execution_time"])[:count]
    return {result["unique_id"].split(".", 2)[-1]: round(result["execution_time"], 2) for result in ranked}


def node_time_by_layer(run_results: Path) -> dict[str, float]:
    """Node execution time summed by kind: each model layer (stg, int, dim/fct, mart/rpt), tests, seeds."""
    sums: dict[str, float] = {}
    for result in json.loads(run_results.read_text(encoding="utf-8"))["results"]:
        kind, _, name = result["unique_id"].split(".", 2)
        if kind == "model":
            kind = name.split(".")[-1].split("_", 1)[0]
        sums[kind] = round(sums.get(kind, 0.0) + result["execution_time"], 2)
    return dict(sorted(sums.items(), key=lambda item: -item[1]))


def dbt_build(engine: str, env: dict[str, str], target_dir: Path, raw: Path, full_refresh: bool,
              sessions: set[int]) -> dict:
    command = [str(Path(sys.executable).parent / "dbt"), "build", "--exclude", "test_type:unit",
               "--target-path", str(target_dir), "--log-path", str(target_dir / "logs"), "--quiet",
               "--vars", json.dumps({"raw_data_dir": str(raw)}), *(["--full-refresh"] if full_refresh else [])]
    print(f"{dt.datetime.now(dt.timezone.utc):%H:%M:%S} {engine}: $ {' '.join(command)}", flush=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cluster_before, _ = session_cpu(sessions) if sessions else (0.0, {})
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    reap_orphans()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cluster_after, peaks = session_cpu(sessions) if sessions else (0.0, {})
    user, system = after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime
    row = {"seconds": round(seconds, 1), "cpu_seconds": round(user + system + cluster_after - cluster_before, 1),
           "dbt_process_cpu_seconds": round(user + system, 1)}
    if sessions:
        row["cluster_cpu_seconds"] = round(cluster_after - cluster_before, 1)
        row["cluster_peak_rss_mib"] = {str(pid): round(peak) for pid, peak in sorted(peaks.items())}
    else:  # the largest process reaped so far (the JVM on Spark)
        row["peak_rss_mib"] = round(after.ru_maxrss / 1024)
    statuses: dict[str, int] = {}
    run_results = target_dir / "run_results.json"
    if run_results.exists():
        for node in json.loads(run_results.read_text())["results"]:
            statuses[node["status"]] = statuses.get(node["status"], 0) + 1
        row["slowest_nodes"] = slowest_nodes(run_results)
        row["node_seconds_by_kind"] = node_time_by_layer(run_results)
    row["statuses"] = statuses
    row["returncode"] = result.returncode
    print(f"  {engine}: {seconds:.1f} s wall, {row['cpu_seconds']} s CPU, {statuses}", flush=True)
    if result.returncode:
        print(result.stdout[-4000:], result.stderr[-2000:], sep="\n", flush=True)
    return row


def compare_marts(work: Path, duckdb_path: Path, spark_target: str) -> dict:
    """scripts/parity.py --no-build on the two builds (its own process: a pyspark session's JVM
    lives as long as the Python that started it)."""
    command = [sys.executable, str(ROOT / "scripts" / "parity.py"), "--no-build", "--target-dir", str(work),
               "--duckdb-path", str(duckdb_path), "--spark-target", spark_target]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    reap_orphans()
    lines = result.stdout.splitlines()
    print("\n".join(line for line in lines if not line.startswith("OK")), flush=True)
    summary = [line for line in lines if line.endswith("marts identical")]
    return {"returncode": result.returncode, "summary": summary[-1] if summary else result.stderr[-2000:],
            "differing": [line for line in lines if line.startswith("DIFF")]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--base", required=True, help="the raw data directory (never written to)")
    parser.add_argument("--append-week-pings", type=int,
                        help="then append the next week (generate_data.py --pings N --append-week) and build again")
    parser.add_argument("--spark-target", default="spark", choices=["spark", "thrift"])
    parser.add_argument("--cluster-dir", default=os.environ.get("SPARK_CLUSTER_DIR", str(ROOT / "target" / "spark-cluster")),
                        help="thrift: the work dir of scripts/spark_cluster.py (its pid file)")
    parser.add_argument("--work", default=str(ROOT / "target" / "bench-spark"))
    parser.add_argument("--results", help="results file (default WORK/results-<base name>-<target>.json)")
    parser.add_argument("--engines", default="duckdb,spark", help="comma-separated; both: marts compared")
    parser.add_argument("--next-week-only", action="store_true",
                        help="only step 3, on the builds and raw copy an earlier run left in --work "
                             "(the full build and the next week measured in two sittings)")
    args = parser.parse_args()
    engines = args.engines.split(",")
    become_subreaper()
    base, work = Path(args.base).resolve(), Path(args.work).resolve()
    raw = work / "raw"
    if not args.next_week_only:
        shutil.rmtree(raw, ignore_errors=True)
        work.mkdir(parents=True, exist_ok=True)
        shutil.copytree(base, raw, copy_function=os.link)
    sessions = cluster_sessions(Path(args.cluster_dir)) if args.spark_target == "thrift" else set()
    duckdb_path = work / "bench.duckdb"
    for stale in (duckdb_path, duckdb_path.with_suffix(".duckdb.wal")) if not args.next_week_only else ():
        stale.unlink(missing_ok=True)
    env = dict(os.environ, DBT_PROFILES_DIR=str(ROOT), DBT_PROJECT_DIR=str(ROOT))
    environments = {
        "duckdb": dict(env, DBT_TARGET="duckdb", DUCKDB_PATH=str(duckdb_path),
                       ANALYTICS_DUCKDB_PATH=str(work / "bench.analytics.duckdb"),
                       RESTRICTED_DUCKDB_PATH=str(work / "bench.restricted.duckdb")),
        "spark": dict(env, DBT_TARGET=args.spark_target)}
    # the directories scripts/parity.py --no-build reads
    targets = {engine: work / f"parity-{engine}" for engine in environments}
    ping_bytes = sum(path.stat().st_size for path in (raw / "pings").glob("*"))
    results: dict = {"base": str(base), "ping_files": len(list((raw / "pings").glob("*"))),
                     "ping_megabytes": round(ping_bytes / 1e6, 1), "spark_target": args.spark_target,
                     "started": f"{dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC",
                     "load_average_at_start": os.getloadavg(),
                     "spark_memory": {"driver": os.environ.get("SPARK_DRIVER_MEMORY", "4g"),
                                      "executor": os.environ.get("SPARK_EXECUTOR_MEMORY", "4g (thrift only)")},
                     "builds": {}}
    steps = [("full_build", True)] + ([("next_week", False)] if args.append_week_pings else [])
    if args.next_week_only:
        if not args.append_week_pings:
            sys.exit("--next-week-only needs --append-week-pings")
        steps = steps[1:]
    suffix = "-next-week" if args.next_week_only else ""
    results_file = Path(args.results or work / f"results-{base.name}-{args.spark_target}{suffix}.json")
    failed = False
    for step, full in steps:
        if not full:
            subprocess.run([sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--out", str(raw),
                            "--pings", str(args.append_week_pings), "--append-week"], check=True, capture_output=True)
        builds = results["builds"].setdefault(step, {})
        for engine in engines:
            builds[engine] = dbt_build(engine, environments[engine], targets[engine], raw, full,
                                       sessions if engine == "spark" else set())
            builds[engine]["load_average_after"] = os.getloadavg()
            # after every build: what a run cut short (a time limit) measured stays
            results_file.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        if all(builds[engine]["returncode"] == 0 for engine in engines):
            if len(engines) == 2:
                builds["cpu_ratio_spark_to_duckdb"] = round(builds["spark"]["cpu_seconds"] / builds["duckdb"]["cpu_seconds"], 2)
                builds["wall_ratio_spark_to_duckdb"] = round(builds["spark"]["seconds"] / builds["duckdb"]["seconds"], 2)
                builds["parity"] = compare_marts(work, duckdb_path, args.spark_target)
                failed |= builds["parity"]["returncode"] != 0
        else:
            failed = True
            break
    results_file.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=2))
    print(f"results: {results_file}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
