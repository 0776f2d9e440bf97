"""The benchmark: its floor runs with the build's own DuckDB settings, read from profiles.yml, and
dbt's own floor has the project's numbers of nodes."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import bench  # noqa: E402


def test_floor_settings_are_the_profiles_defaults(monkeypatch):
    for name in ("DUCKDB_MEMORY_LIMIT", "DUCKDB_THREADS"):
        monkeypatch.delenv(name, raising=False)
    assert bench.profile_settings() == {
        "memory_limit": "8GB", "threads": "2", "preserve_insertion_order": False, "TimeZone": "UTC"}


def test_floor_settings_follow_the_environment_as_the_build_does(monkeypatch):
    monkeypatch.setenv("DUCKDB_MEMORY_LIMIT", "3GB")
    monkeypatch.setenv("DUCKDB_THREADS", "1")
    settings = bench.profile_settings()
    assert (settings["memory_limit"], settings["threads"]) == ("3GB", "1")


@pytest.mark.parametrize("threads", ["1", "2"])
def test_floor_script_loads_the_pings_with_those_settings(tmp_path, monkeypatch, threads):
    monkeypatch.setenv("DUCKDB_THREADS", threads)
    pings = tmp_path / "pings.ndjson"
    pings.write_text('{"id": 1, "payload": {"uuid": "a"}}\n{"id": 2, "payload": {"uuid": "b"}}\n', encoding="utf-8")
    database = tmp_path / "floor.duckdb"
    script = bench.floor_script(database, [pings], {"id": "BIGINT", "payload": 'STRUCT("uuid" VARCHAR)'})
    printed = subprocess.run([sys.executable, "-c", script + "; print(connection.sql("
                              "\"select current_setting('threads'), current_setting('preserve_insertion_order')\""
                              ").fetchall())"],
                             check=True, capture_output=True, text=True).stdout.splitlines()
    assert printed == ["[(2,)]", f"[({threads}, False)]"]


def test_dbt_floor_project_has_the_projects_numbers_of_nodes(tmp_path):
    counts = {"model": 10, "seed": 3, "test": 27}
    bench.write_dbt_floor_project(tmp_path, counts)
    listed = subprocess.run([bench.DBT, "ls", "--quiet", "--project-dir", str(tmp_path), "--profiles-dir", str(tmp_path),
                             "--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs"),
                             "--output", "json", "--output-keys", "resource_type"],
                            check=True, capture_output=True, text=True).stdout.splitlines()
    found = {kind: sum(f'"{kind}"' in line for line in listed) for kind in counts}
    assert found == counts
