"""Conventions SQL tests cannot see, checked on the parsed manifest (STYLE.md)."""

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def manifest(dbt_project):
    result = dbt_project.invoke("parse")
    assert result.success, result.exception
    return json.loads((dbt_project.target_dir / "manifest.json").read_text(encoding="utf-8"))


def _models(manifest):
    return [node for node in manifest["nodes"].values() if node["resource_type"] == "model"]


def _layer(node):
    return node["original_file_path"].split("/")[1]


def test_every_model_and_column_is_documented(manifest):
    missing = []
    for node in _models(manifest):
        if len(node["description"].strip()) < 40:
            missing.append(node["name"])
        missing += [f"{node['name']}.{name}" for name, column in node["columns"].items() if not column["description"].strip()]
    assert missing == []


def test_every_model_has_a_primary_key_test(manifest):
    tested = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        model = node.get("attached_node") or ""
        name = node["test_metadata"]["name"]
        column = node.get("column_name")
        tested.setdefault(model, set()).add((name, column))
    without = []
    for node in _models(manifest):
        tests = tested.get(node["unique_id"], set())
        single = {column for name, column in tests if name == "unique"} & {column for name, column in tests if name == "not_null"}
        keyed = any(name in ("primary_key", "unique_combination_of_columns") for name, _ in tests)
        if not single and not keyed:
            without.append(node["name"])
    assert without == []


def test_a_key_is_tested_once(manifest):
    """A primary_key test checks its columns for NULLs and repeats in one scan: no not_null on a
    key column, and no unique or unique_combination_of_columns on the same key, repeats it on the
    same rows; a unique_combination_of_columns whose every column is tested not_null is a
    primary_key."""
    keys, not_null, others = {}, {}, []
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        kwargs = node["test_metadata"].get("kwargs") or {}
        rows = (node.get("attached_node"), node["config"].get("where"))
        name = node["test_metadata"]["name"]
        if name == "primary_key":
            keys.setdefault(rows, []).append(frozenset(kwargs.get("columns") or [node.get("column_name")]))
        elif name == "not_null":
            not_null.setdefault(rows, set()).add(node.get("column_name"))
        elif name == "not_null_columns" and isinstance(kwargs.get("columns"), list):
            not_null.setdefault(rows, set()).update(kwargs["columns"])
        elif name == "unique":
            others.append((rows, name, frozenset([node.get("column_name")])))
        elif name == "unique_combination_of_columns":
            others.append((rows, name, frozenset(kwargs.get("combination_of_columns") or [])))
    repeated = [f"{rows[0]}: not_null on key column {column}" for rows, columns in not_null.items()
                for column in sorted(columns) if any(column in key for key in keys.get(rows, []))]
    for rows, name, columns in others:
        if columns in keys.get(rows, []):
            repeated.append(f"{rows[0]}: {name} on {sorted(columns)}, its primary_key")
        elif columns <= not_null.get(rows, set()):
            repeated.append(f"{rows[0]}: {name} on {sorted(columns)} and not_null on each: a primary_key")
    assert repeated == []


def test_layers_read_the_right_inputs(manifest):
    nodes = manifest["nodes"]
    problems = []
    for node in _models(manifest):
        parents = [nodes[parent] for parent in node["depends_on"]["nodes"] if parent in nodes]
        layer = _layer(node)
        for parent in parents:
            parent_layer = _layer(parent) if parent["resource_type"] == "model" else parent["resource_type"]
            # the raw file inventory tells the line readers how to read each file
            if layer == "staging" and parent_layer == "staging" and parent["name"] != "stg_raw__files":
                problems.append(f"{node['name']} (staging) reads {parent['name']} (staging)")
            # the quarantine reports show the rejected input itself
            quarantine = node["name"] in ("rpt_pings_quarantined", "rpt_license_usage_rejected", "rpt_input_rejected")
            if layer == "marts" and parent_layer == "staging" and not quarantine:
                problems.append(f"{node['name']} (mart) reads {parent['name']} (staging)")
        if layer == "marts" and node["depends_on"]["nodes"] and any(p.startswith("source.") for p in node["depends_on"]["nodes"]):
            problems.append(f"{node['name']} (mart) reads a source")
    assert problems == []


def test_marts_enforce_contracts(manifest):
    assert [n["name"] for n in _models(manifest) if _layer(n) == "marts" and not n["config"]["contract"]["enforced"]] == []


def test_no_warehouse_locked_syntax_in_models():
    offenders = []
    for path in (ROOT / "models").rglob("*.sql"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\bqualify\b", text, re.IGNORECASE) or re.search(r"\w::\w", text):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_personal_columns_stay_in_staging(manifest):
    personal = {"source_ip", "licensee_name", "licensee_email"}
    leaking = [
        f"{node['name']}.{column}"
        for node in _models(manifest)
        if _layer(node) != "staging"
        for column in node["columns"]
        if column in personal
    ]
    assert leaking == []


def test_every_mart_is_classified_and_every_metric_column_categorized(manifest):
    problems = []
    for node in _models(manifest):
        if _layer(node) != "marts":
            continue
        if node["config"]["meta"].get("data_classification") not in {"ORANGE", "YELLOW"}:
            problems.append(f"{node['name']}: no data_classification")
    catalog = (ROOT / "seeds" / "reference" / "metrics_catalog.csv").read_text(encoding="utf-8").splitlines()[1:]
    metric_columns = {line.split(",")[1] for line in catalog}
    monthly = next(node for node in _models(manifest) if node["name"] == "mart_instance_monthly")
    for column in metric_columns:
        meta = monthly["columns"].get(column, {}).get("meta", {})
        if meta.get("data_category") not in {"subscription", "operational", "optional", "standard"}:
            problems.append(f"mart_instance_monthly.{column}: no data_category")
    assert problems == []


def test_every_source_has_freshness_or_says_why_not(manifest):
    sources = list(manifest["sources"].values())
    assert sources
    assert [
        f"{s['source_name']}.{s['name']}" for s in sources
        if not (s.get("freshness") or {}).get("error_after", {}).get("count") and not s["meta"].get("no_freshness")
    ] == []


def test_staging_is_organized_per_source_system(manifest):
    """staging/<system>/ reads the sources of <system> (through macro raw_source), and every
    source is read by a staging model of its own system's folder."""
    problems, read = [], set()
    for node in _models(manifest):
        if _layer(node) != "staging":
            continue
        folder = node["original_file_path"].split("/")[2]
        for source_name, table in node["sources"]:
            read.add((source_name, table))
            if source_name != folder:
                problems.append(f"{node['name']} in staging/{folder} reads source {source_name}")
    problems += [f"source {s['source_name']}.{s['name']} is read by no staging model"
                 for s in manifest["sources"].values() if (s["source_name"], s["name"]) not in read]
    assert problems == []


def test_data_flows_one_way(manifest):
    """staging -> intermediate -> marts: no intermediate model reads a mart, and a mart that reads
    another mart is built on it and says so (its description's **Built on** line names it)."""
    nodes = manifest["nodes"]
    problems = []
    for node in _models(manifest):
        layer = _layer(node)
        parents = [nodes[parent] for parent in node["depends_on"]["nodes"] if parent in nodes]
        marts = sorted(parent["name"] for parent in parents if parent["resource_type"] == "model" and _layer(parent) == "marts")
        if layer in ("staging", "intermediate") and marts:
            problems.append(f"{node['name']} ({layer}) reads {', '.join(marts)} (marts)")
        built_on = re.search(r"\*\*Built on\*\*[^:]*:([^\n]*)", node["description"])
        named = set(re.findall(r"\w+", built_on.group(1))) if built_on else set()
        if layer == "marts" and set(marts) - named:
            problems.append(f"{node['name']} reads {', '.join(sorted(set(marts) - named))} without a **Built on** line naming it")
        if layer == "marts" and named - set(marts):
            problems.append(f"{node['name']}'s **Built on** line names {', '.join(sorted(named - set(marts)))}, which it does not read")
    assert problems == []


def test_every_public_macro_is_documented(manifest):
    """macros/_macros.yml describes every macro but the dispatched engine variants (duckdb__,
    spark__, default__) and the generic tests' own macros (documented where they are defined)."""
    undocumented = [
        macro["name"]
        for macro in manifest["macros"].values()
        if macro["package_name"] == "usage_analytics"
        and not re.match(r"(duckdb|spark|default)__|test_", macro["name"])
        and len(macro["description"].strip()) < 20
    ]
    assert undocumented == []


def test_shared_descriptions_are_doc_blocks():
    """A column description written out more than twice is a doc block (models/docs/), used by
    every column it describes."""
    import collections

    import yaml

    counts = collections.Counter()
    for path in (ROOT / "models").rglob("*.yml"):
        for model in yaml.safe_load(path.read_text(encoding="utf-8")).get("models") or []:
            for column in model.get("columns") or []:
                description = (column.get("description") or "").strip()
                if description and "{{ doc(" not in description:
                    counts[description] += 1
    assert [description for description, count in counts.items() if count > 2] == []
