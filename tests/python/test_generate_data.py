"""The data generator is deterministic and the committed demo seeds are its output."""

import csv
import json
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


def test_scaled_fleet_has_realistic_payloads_and_appends_one_week(tmp_path):
    _run("--out", str(tmp_path), "--pings", "600")
    files = sorted((tmp_path / "pings").glob("*.ndjson"))
    lines = [line for path in files for line in path.read_text(encoding="utf-8").splitlines()]
    good = [ping for ping in map(_parse, lines) if isinstance(ping, dict) and "license_md5" in ping.get("payload", {})]
    assert 550 <= len(good) <= 650
    assert min(_leaves(ping["payload"]) for ping in good) >= 1000

    _run("--out", str(tmp_path), "--pings", "600", "--append-week")
    new_files = sorted(set((tmp_path / "pings").glob("*.ndjson")) - set(files))
    assert len(new_files) == 1
    new_pings = [json.loads(line) for line in new_files[0].read_text(encoding="utf-8").splitlines()]
    instances = {(ping["payload"]["uuid"], ping["payload"]["hostname"]) for ping in good}
    assert {(ping["payload"]["uuid"], ping["payload"]["hostname"]) for ping in new_pings} == instances
