"""A local Spark cluster as a company runs one: a standalone master, a worker and the Thrift
server (HiveThriftServer2, the JDBC/ODBC endpoint dbt-spark's `thrift` method talks to), all
started from the jars of the installed pyspark, on free ports of 127.0.0.1.

    .venv-spark/bin/python scripts/spark_cluster.py test      # make spark-cluster-test
    .venv-spark/bin/python scripts/spark_cluster.py run -- CMD ARGS...   # any command against it

`test` runs scripts/parity.py through the Thrift server: the embedded sample, then a generated
raw data directory (--pings, default 1000). `run` starts the cluster, runs the command with
DBT_TARGET=thrift, SPARK_THRIFT_HOST and SPARK_THRIFT_PORT set, and stops the cluster. Either
way the processes started here, and only those, are stopped at the end (their process ids are
recorded in <work dir>/pids), also when the command fails or is interrupted; `stop` stops the
ones a killed run left behind.

Memory: SPARK_DRIVER_MEMORY for the Thrift server (the driver: plans, broadcasts, results),
SPARK_EXECUTOR_MEMORY for the one executor (the scans, joins and aggregations), SPARK_WORKER_CORES
its cores. The warehouse and the Derby metastore live in the work dir (SPARK_CLUSTER_DIR,
default target/spark-cluster), which the Thrift server owns while it runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
THRIFT_SERVER = "org.apache.spark.sql.hive.thriftserver.HiveThriftServer2"
# pip's pyspark ships the Thrift server but not hive-llap-common, whose LlapSigner interface Hive's
# function registry needs when a session closes on a new server thread (NoClassDefFoundError
# LlapSigner$Signable, and dbt's connection close fails). Only the LLAP get_splits function uses
# it, which Spark never calls: unless HIVE_LLAP_COMMON_JAR names the real jar, this stand-in of
# the interface is compiled (javac) onto the server's class path.
LLAP_SIGNER = """package org.apache.hadoop.hive.llap.security;
public interface LlapSigner {
  interface Signable { void setSignInfo(int masterKeyId); byte[] serialize() throws java.io.IOException; }
  class SignedMessage { public byte[] message, signature; }
  <T extends Signable> SignedMessage serializeAndSign(T message) throws java.io.IOException;
  void checkSignature(byte[] message, byte[] signature, int keyId);
}
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, name: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited ({process.returncode}); see {log}:\n{tail(log)}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(1)
    raise RuntimeError(f"{name} not listening on port {port} after {timeout:.0f} s; see {log}:\n{tail(log)}")


def tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""


class Cluster:
    def __init__(self, work: Path):
        self.work = work
        self.logs = work / "logs"
        self.pid_file = work / "pids"
        self.processes: list[subprocess.Popen] = []
        self.thrift_port = free_port()

    def launch(self, name: str, command: list[str], env: dict[str, str]) -> tuple[subprocess.Popen, Path]:
        log = self.logs / f"{name}.log"
        handle = open(log, "wb")
        # its own process group: the launcher script execs java, which is then the recorded pid
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, env=env, cwd=self.work,
                                   start_new_session=True)
        self.processes.append(process)
        with open(self.pid_file, "a") as pids:
            pids.write(f"{process.pid} {name}\n")
        print(f"started {name} (pid {process.pid}), log {log}", flush=True)
        return process, log

    def start(self) -> None:
        stop_recorded(self.pid_file)
        for sub in ("logs", "work", "local"):
            (self.work / sub).mkdir(parents=True, exist_ok=True)
        env = dict(os.environ, SPARK_LOG_DIR=str(self.logs), SPARK_LOCAL_DIRS=str(self.work / "local"),
                   SPARK_LOCAL_IP="127.0.0.1", SPARK_NO_DAEMONIZE="1")
        import pyspark  # the launchers run from pyspark's own directory (its jars, conf)

        env["SPARK_HOME"] = str(Path(pyspark.__file__).parent)
        master_port, worker_memory = free_port(), os.environ.get("SPARK_WORKER_MEMORY", "6g")
        master, log = self.launch("master", [str(BIN / "spark-class"), "org.apache.spark.deploy.master.Master",
                                             "--host", "127.0.0.1", "--port", str(master_port),
                                             "--webui-port", str(free_port())], env)
        wait_for_port(master_port, master, "master", log, 120)
        url = f"spark://127.0.0.1:{master_port}"
        worker_port = free_port()
        worker, log = self.launch("worker", [str(BIN / "spark-class"), "org.apache.spark.deploy.worker.Worker", url,
                                             "--host", "127.0.0.1", "--port", str(worker_port),
                                             "--webui-port", str(free_port()),
                                             "--cores", os.environ.get("SPARK_WORKER_CORES", "2"),
                                             "--memory", worker_memory, "--work-dir", str(self.work / "work")], env)
        wait_for_port(worker_port, worker, "worker", log, 120)
        warehouse, metastore = self.work / "warehouse", self.work / "metastore"
        conf = {
            "spark.executor.memory": os.environ.get("SPARK_EXECUTOR_MEMORY", "4g"),
            "spark.driver.memory": os.environ.get("SPARK_DRIVER_MEMORY", "4g"),
            "spark.sql.warehouse.dir": str(warehouse),
            "spark.driver.extraJavaOptions": f"-Dderby.system.home={self.work}",
            "spark.sql.shuffle.partitions": os.environ.get("SPARK_SHUFFLE_PARTITIONS", "4"),
            "spark.sql.files.maxPartitionBytes": os.environ.get("SPARK_MAX_PARTITION_BYTES", "128m"),
            "spark.ui.enabled": "false",
        }
        command = [str(BIN / "spark-submit"), "--master", url, "--class", THRIFT_SERVER,
                   "--name", "Thrift JDBC/ODBC Server", "--driver-class-path", self.llap_class_path()]
        for key, value in conf.items():
            command += ["--conf", f"{key}={value}"]
        command += ["spark-internal",
                    "--hiveconf", "hive.server2.thrift.bind.host=127.0.0.1",
                    "--hiveconf", f"hive.server2.thrift.port={self.thrift_port}",
                    "--hiveconf", f"javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName={metastore};create=true"]
        thrift, log = self.launch("thriftserver", command, env)
        wait_for_port(self.thrift_port, thrift, "Thrift server", log, 300)
        print(f"cluster up: master {url}, Thrift server 127.0.0.1:{self.thrift_port} "
              f"(driver {conf['spark.driver.memory']}, executor {conf['spark.executor.memory']})", flush=True)

    def llap_class_path(self) -> str:
        if os.environ.get("HIVE_LLAP_COMMON_JAR"):
            return os.environ["HIVE_LLAP_COMMON_JAR"]
        source = self.work / "llap-stand-in" / "org" / "apache" / "hadoop" / "hive" / "llap" / "security" / "LlapSigner.java"
        classes = self.work / "llap-stand-in" / "classes"
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_text(LLAP_SIGNER)
        subprocess.run(["javac", "-d", str(classes), str(source)], check=True)
        return str(classes)

    def stop(self) -> None:
        for process in reversed(self.processes):
            for sig, wait in ((signal.SIGTERM, 30), (signal.SIGKILL, None)):
                try:
                    os.killpg(process.pid, sig)
                except ProcessLookupError:
                    pass
                try:
                    process.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        self.processes.clear()
        self.pid_file.unlink(missing_ok=True)

    def env(self) -> dict[str, str]:
        return dict(os.environ, DBT_PROFILES_DIR=str(ROOT), DBT_TARGET="thrift", SPARK_THRIFT_HOST="127.0.0.1",
                    SPARK_THRIFT_PORT=str(self.thrift_port))


def stop_process(pid: int) -> None:
    """SIGTERM to a process another run started (and its group, which it leads), SIGKILL after 30 s."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except ProcessLookupError:
            return
        for _ in range(60):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.5)


def stop_recorded(pid_file: Path) -> None:
    """Stops what an earlier run recorded and did not stop (a killed run), if it still runs."""
    if not pid_file.exists():
        return
    for line in pid_file.read_text().splitlines():
        pid, name = line.split(" ", 1)
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"org.apache.spark" in command:  # the pid was not reused by something else
            print(f"stopping {name} (pid {pid}) left by an earlier run", flush=True)
            stop_process(int(pid))
    pid_file.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["test", "run", "stop"])
    parser.add_argument("--pings", type=int, default=1000, help="test: generated pings of the raw directory")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="run: the command (after --)")
    args = parser.parse_args()
    work = Path(os.environ.get("SPARK_CLUSTER_DIR", ROOT / "target" / "spark-cluster")).resolve()
    if args.action == "stop":
        stop_recorded(work / "pids")
        return 0
    cluster = Cluster(work)
    # a SIGTERM (a CI timeout) stops the cluster as a failure does
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        cluster.start()
        env = cluster.env()
        if args.action == "run":
            command = args.command[1:] if args.command[:1] == ["--"] else args.command
            return subprocess.run(command, cwd=ROOT, env=env).returncode
        parity = [sys.executable, str(ROOT / "scripts" / "parity.py"), "--spark-target", "thrift",
                  "--target-dir", str(work), "--duckdb-path", str(work / "parity.duckdb")]
        if subprocess.run(parity, cwd=ROOT, env=env).returncode:
            return 1
        raw = work / "raw"
        shutil.rmtree(raw, ignore_errors=True)
        subprocess.run([sys.executable, str(ROOT / "scripts" / "parity.py"), "--write-raw-dir", str(raw),
                        "--pings", str(args.pings)], cwd=ROOT, env=env, check=True)
        return subprocess.run([*parity, "--raw-data-dir", str(raw)], cwd=ROOT, env=env).returncode
    finally:
        cluster.stop()
        print("cluster stopped", flush=True)


if __name__ == "__main__":
    sys.exit(main())
