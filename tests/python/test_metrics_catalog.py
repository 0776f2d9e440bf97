"""The metrics catalog seed is what scripts/build_metrics_catalog.py generates, and is sound."""

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

import build_metrics_catalog as catalog  # noqa: E402


def _seed_rows():
    with catalog.TARGET.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_seed_is_generated_from_the_reference_files():
    assert catalog.TARGET.read_text(encoding="utf-8") == catalog.render(catalog.build_rows())


def test_keys_and_column_names_are_unique_identifiers():
    rows = _seed_rows()
    assert len({row["key_path"] for row in rows}) == len(rows)
    assert len({row["column_name"] for row in rows}) == len(rows)
    for row in rows:
        assert re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", row["column_name"]), row
        assert row["column_name"] not in catalog.RESERVED


def test_health_metrics_use_case_numerators_and_umau_are_present():
    key_paths = {row["key_path"] for row in _seed_rows()}
    with (catalog.SHARED / "health_score_metrics.csv").open(newline="", encoding="utf-8") as handle:
        health = {row["metric_name"] for row in csv.DictReader(handle)}
    assert len(health) == 161
    assert health <= key_paths
    assert set(catalog.EXTRA_METRICS) <= key_paths


def test_use_case_numerators_name_catalog_columns():
    columns = {row["column_name"] for row in _seed_rows()}
    with (ROOT / "seeds" / "reference" / "use_case_measures.csv").open(newline="", encoding="utf-8") as handle:
        numerators = {row["numerator_column"] for row in csv.DictReader(handle)}
    assert numerators <= columns


def test_enumerations():
    for row in _seed_rows():
        assert row["time_frame"] in {"7d", "28d", "all", "none"}, row
        assert row["data_category"] in {"subscription", "operational", "optional", "standard"}, row
