"""The data generator is deterministic and the committed demo seeds are its output."""

import csv
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_data.py"
SEEDS = ROOT / "seeds" / "sample"


def _run(*args):
    subprocess.run([sys.executable, str(SCRIPT), *args], cwd=ROOT, check=True, capture_output=True, text=True)


def _leaves(node):
    if isinstance(node, dict):
        return sum(_leaves(value) for value in node.values())
    return 1


def _parse(line):
    try:
        return json.loads(line)
    except json.JSONDecodeError:
        return None


def test_committed_seeds_are_the_generator_output(tmp_path):
    _run("--seeds", str(tmp_path))
    for generated in sorted(tmp_path.glob("*.csv")):
        assert generated.read_bytes() == (SEEDS / generated.name).read_bytes(), generated.name


def test_raw_directory_holds_the_same_lines_as_the_seeds(tmp_path):
    _run("--out", str(tmp_path))
    with (SEEDS / "raw_pings.csv").open(newline="", encoding="utf-8") as handle:
        seed_lines = [(row["file_name"], row["line"]) for row in csv.DictReader(handle)]
    raw_lines = [
        (str(path.relative_to(tmp_path)), line)
        for path in sorted((tmp_path / "pings").glob("*.ndjson"))
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    assert raw_lines == seed_lines
    assert (tmp_path / "subscriptions.csv").read_bytes() == (SEEDS / "subscriptions.csv").read_bytes()


def _time(text):
    return dt.datetime.fromisoformat(text)


def test_scaled_fleet_has_realistic_payloads_and_appends_one_week(tmp_path):
    _run("--out", str(tmp_path), "--pings", "600")
    files = sorted((tmp_path / "pings").glob("*.ndjson"))
    lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    good = [ping for ping in map(_parse, lines) if isinstance(ping, dict) and "license_md5" in ping.get("payload", {})]
    assert 550 <= len(good) <= 650
    assert min(_leaves(ping["payload"]) for ping in good) >= 1000
    assert not (tmp_path / "manual_uploads").exists()

    _run("--out", str(tmp_path), "--pings", "600", "--append-week")
    new_files = sorted(set((tmp_path / "pings").glob("*.ndjson")) - set(files))
    assert len(new_files) == 1
    new_pings = [json.loads(line) for line in new_files[0].read_text(encoding="utf-8").splitlines()]
    last_id = max(ping["id"] for ping in good if ping["id"] < 990000)  # 9900xx: the deliberate bad lines
    assert [ping["id"] for ping in new_pings] == list(range(last_id + 1, last_id + 1 + len(new_pings)))

    # late pings: recorded two to five weeks earlier, for weeks the instance had not reported
    week_start = _time(new_files[0].stem + "T00:00:00+00:00")
    reported = {(ping["payload"]["uuid"], _time(ping["payload"]["recorded_at"]).date()) for ping in good}
    lags = [_time(ping["received_at"]) - _time(ping["payload"]["recorded_at"]) for ping in new_pings]
    late = [ping for ping, lag in zip(new_pings, lags) if lag >= dt.timedelta(weeks=2)]
    assert 3 <= len(late) <= 9
    assert all(lag < dt.timedelta(days=1) or dt.timedelta(weeks=2) <= lag <= dt.timedelta(weeks=5) for lag in lags)
    assert not {(ping["payload"]["uuid"], _time(ping["payload"]["recorded_at"]).date()) for ping in late} & reported

    # manual uploads: bare payloads of the new week, from instances that did not ping that week
    uploads = [json.loads(path.read_text(encoding="utf-8")) for path in (tmp_path / "manual_uploads").glob("*.json")]
    assert 1 <= len(uploads) <= 2
    pinged = {(ping["payload"]["uuid"], ping["payload"]["hostname"]) for ping in new_pings}
    for upload in uploads:
        assert "payload" not in upload and _leaves(upload) >= 1000
        assert week_start <= _time(upload["recorded_at"]) < week_start + dt.timedelta(weeks=1)
        assert (upload["uuid"], upload["hostname"]) not in pinged
    instances = {(ping["payload"]["uuid"], ping["payload"]["hostname"]) for ping in good}
    assert pinged | {(upload["uuid"], upload["hostname"]) for upload in uploads} == instances


def test_scaled_fleet_is_deterministic(tmp_path):
    for run in ("a", "b"):
        _run("--out", str(tmp_path / run), "--pings", "200")
        _run("--out", str(tmp_path / run), "--pings", "200", "--append-week")
    files = sorted(path.relative_to(tmp_path / "a") for path in (tmp_path / "a").rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(tmp_path / "b") for path in (tmp_path / "b").rglob("*") if path.is_file())
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def _snapshot(directory):
    return {path.relative_to(directory): path.read_bytes() for path in directory.rglob("*") if path.is_file()}


def test_append_week_creates_new_files_only(tmp_path):
    base, run = tmp_path / "base", tmp_path / "run"
    _run("--out", str(base), "--pings", "200")
    before = _snapshot(base)
    shutil.copytree(base, run, copy_function=os.link)  # as the benchmark does
    _run("--out", str(run), "--pings", "200", "--append-week")
    assert _snapshot(base) == before
    appended = _snapshot(run)
    assert appended.items() > before.items() and len(appended) > len(before)

    again = subprocess.run([sys.executable, str(SCRIPT), "--out", str(run), "--pings", "200", "--append-week"],
                           cwd=ROOT, capture_output=True, text=True)
    assert again.returncode != 0 and "exists" in again.stderr
    assert _snapshot(run) == appended and _snapshot(base) == before
