"""The build's timestamps do not depend on the machine's time zone: a timestamp sent without an
offset is read as UTC (profiles.yml sets DuckDB's TimeZone), one with an offset is converted."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
SQL = ("select cast({{ parse_timestamp_utc(\"'2026-04-30 23:30:00'\") }} as varchar) as naive, "
       "cast({{ parse_timestamp_utc(\"'2026-05-01T01:30:00+02:00'\") }} as varchar) as with_offset")


@pytest.mark.parametrize("machine_time_zone", ["America/New_York", "Asia/Tokyo"])
def test_a_timestamp_without_offset_is_utc_on_any_machine(tmp_path, machine_time_zone):
    shown = subprocess.run(
        [DBT, "show", "--inline", SQL, "--output", "json", "--log-format", "json", "--quiet",
         "--project-dir", str(ROOT), "--profiles-dir", str(ROOT), "--target-path", str(tmp_path / "target")],
        env={**os.environ, "TZ": machine_time_zone, "DUCKDB_PATH": str(tmp_path / "tz.duckdb")},
        capture_output=True, text=True, check=True).stdout
    rows = json.loads(json.loads(shown.splitlines()[-1])["data"]["preview"])
    assert rows == [{"naive": "2026-04-30 23:30:00", "with_offset": "2026-04-30 23:30:00"}]
