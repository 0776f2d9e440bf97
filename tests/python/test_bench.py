"""The benchmark's floor runs with the build's own DuckDB settings, read from profiles.yml."""

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
