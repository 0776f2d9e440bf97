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


def test_every_xmau_metric_of_the_dictionary_is_in_the_catalog_with_its_stage_and_group():
    """SPEC §4.11: the 11 xMAU metrics of the dictionary, their indicator types, group and stage."""
    with (catalog.SHARED / "metrics_dictionary.csv").open(newline="", encoding="utf-8") as handle:
        xmau = {row["key_path"]: row for row in csv.DictReader(handle)
                if set(row["performance_indicator_type"].split("|")) & catalog.XMAU_TYPES}
    assert len(xmau) == 11
    rows = {row["key_path"]: row for row in _seed_rows()}
    assert set(xmau) <= set(rows)
    for key_path, known in xmau.items():
        row = rows[key_path]
        assert row["performance_indicator_type"] == known["performance_indicator_type"], row
        assert row["product_stage"] == key_path.split(".")[1], row
        assert row["product_group"] and not row["product_group"].startswith("group::"), row
    assert rows["usage_activity_by_stage_monthly.create.merge_requests_users"]["product_group"] == "code_review"
    assert rows["usage_activity_by_stage_monthly.manage.events"]["performance_indicator_type"] == "umau"
    # outside the stage trees there is no stage
    assert rows["counts_monthly.deployments"]["product_stage"] == ""
