"""scripts/bench_spark.py counts the CPU of the processes that do Spark's work: orphans it adopts,
and the cluster's process sessions read from /proc."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import bench_spark  # noqa: E402

BURN = "import time\nend = time.process_time() + 0.6\nwhile time.process_time() < end: pass\n"


def test_stat_fields_survive_a_command_name_with_spaces_and_parentheses():
    stat = "4242 (java (spark) x) S 1 4242 4242 0 -1 4194560 10 0 0 0 150 30 7 3 20 0 40 0"
    fields = bench_spark.stat_fields(stat)
    assert fields[0] == "S" and fields[3] == "4242"  # state, session
    assert fields[11:15] == ["150", "30", "7", "3"]  # utime, stime, cutime, cstime


def test_session_cpu_counts_only_the_given_sessions(tmp_path):
    def burner(name):
        done = tmp_path / name
        process = subprocess.Popen([sys.executable, "-c", BURN + f"open({str(done)!r}, 'w').close()\ntime.sleep(60)"],
                                   start_new_session=True)
        return process, done

    (busy, busy_done), (other, other_done) = burner("busy"), burner("other")
    try:
        deadline = time.monotonic() + 30
        while not (busy_done.exists() and other_done.exists()) and time.monotonic() < deadline:
            time.sleep(0.1)
        # both burners now sleep, so their counts stay put; /proc counts in clock ticks, each truncated
        cpu, peaks = bench_spark.session_cpu({busy.pid})
        assert cpu >= 0.55  # its burn
        assert list(peaks) == [busy.pid] and peaks[busy.pid] > 1
        other_cpu = bench_spark.session_cpu({other.pid})[0]
        assert other_cpu >= 0.55
        assert abs(bench_spark.session_cpu({busy.pid, other.pid})[0] - (cpu + other_cpu)) < 0.005  # both, once each
    finally:
        for process in (busy, other):
            process.kill()
            process.wait()


def test_an_orphaned_grandchild_is_reaped_and_counted_as_a_child(tmp_path):
    # the child starts a CPU-burning grandchild and exits at once, as dbt leaves pyspark's JVM
    (tmp_path / "burn.py").write_text(BURN)
    (tmp_path / "child.py").write_text(f"import subprocess, sys\nsubprocess.Popen([sys.executable, {str(tmp_path / 'burn.py')!r}])\n")
    # a fresh interpreter: the subreaper setting stays on the process that sets it
    (tmp_path / "bench.py").write_text(
        "import resource, subprocess, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'scripts')!r})\n"
        "import bench_spark\n"
        "bench_spark.become_subreaper()\n"
        f"subprocess.run([sys.executable, {str(tmp_path / 'child.py')!r}], check=True)\n"
        "bench_spark.reap_orphans(30)\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(usage.ru_utime + usage.ru_stime)\n")
    cpu = float(subprocess.run([sys.executable, str(tmp_path / "bench.py")], check=True, capture_output=True, text=True).stdout)
    assert cpu >= 0.6


def test_node_time_by_kind_sums_models_by_layer_prefix(tmp_path):
    run_results = tmp_path / "run_results.json"
    run_results.write_text(json.dumps({"results": [
        {"unique_id": "model.usage_analytics.stg_raw__pings", "execution_time": 30.0},
        {"unique_id": "model.usage_analytics.stg_licenses", "execution_time": 1.5},
        {"unique_id": "model.usage_analytics.mart_account_health", "execution_time": 2.0},
        {"unique_id": "test.usage_analytics.unique_stg_raw__pings_id.abc", "execution_time": 4.0},
        {"unique_id": "seed.usage_analytics.instance_types", "execution_time": 0.5}]}))
    assert bench_spark.node_time_by_layer(run_results) == {"stg": 31.5, "test": 4.0, "mart": 2.0, "seed": 0.5}
    assert list(bench_spark.slowest_nodes(run_results, 2)) == ["stg_raw__pings",
                                                               "unique_stg_raw__pings_id.abc"]


def test_cluster_sessions_need_a_running_cluster(tmp_path):
    (tmp_path / "pids").write_text(f"{os.getpid()} master\n12 worker\n")
    assert bench_spark.cluster_sessions(tmp_path) == {os.getpid(), 12}
    (tmp_path / "pids").unlink()
    try:
        bench_spark.cluster_sessions(tmp_path)
    except SystemExit as stopped:
        assert "no running cluster" in str(stopped)
    else:
        raise AssertionError("no pid file must stop the benchmark")
