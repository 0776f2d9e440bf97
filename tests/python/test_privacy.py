"""Personal data (source_ip, licensee name and e-mail) never leaves staging (SPEC §3).

The only exceptions: staging models (stg_*), the raw input seeds (raw_*) and
rpt_pings_quarantined, which keeps rejected raw lines so they can be fixed and replayed."""

import csv
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ALLOWED = re.compile(r"^(stg_|raw_)|^rpt_pings_quarantined$")


def personal_values_of_the_sample():
    values = set()
    with (ROOT / "seeds" / "sample" / "raw_pings.csv").open(newline="", encoding="utf-8") as handle:
        documents = [row["line"] for row in csv.DictReader(handle)]
    with (ROOT / "seeds" / "sample" / "raw_manual_uploads.csv").open(newline="", encoding="utf-8") as handle:
        documents += ['{"payload": %s}' % row["content"] for row in csv.DictReader(handle)]
    for text in documents:
        try:
            document = json.loads(text)
        except json.JSONDecodeError:
            continue
        if not isinstance(document, dict):
            continue
        if document.get("source_ip"):
            values.add(document["source_ip"])
        licensee = (document.get("payload") or {}).get("licensee") or {}
        values.update(value for key, value in licensee.items() if key in ("Name", "Email") and value)
    with (ROOT / "seeds" / "sample" / "raw_license_usage.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            values.update(line.split(",", 1)[1] for line in row["content"].splitlines() if line.startswith("Email,"))
    return values


def leaks(project, values):
    """{relation: number of rows containing any of the values} for relations outside staging."""
    pattern = "|".join(re.escape(value) for value in sorted(values))
    found = {}
    for relation in project.relations():
        if ALLOWED.search(relation):
            continue
        [(count,)] = project.query(
            f"select count(*) from {relation} as row_value "
            f"where regexp_matches(cast(row_value as varchar), '{pattern.replace(chr(39), chr(39) * 2)}')"
        )
        if count:
            found[relation] = count
    return found


@pytest.fixture(scope="module")
def sample_build(dbt_project):
    result = dbt_project.build()
    assert result.success, result.exception
    return dbt_project


def test_sample_has_personal_data_to_protect():
    values = personal_values_of_the_sample()
    assert any("@" in value for value in values)
    assert any(re.fullmatch(r"\d+\.\d+\.\d+\.\d+", value) for value in values)
    assert len(values) >= 10


def test_no_personal_data_outside_staging_on_the_sample(sample_build):
    values = personal_values_of_the_sample()
    assert leaks(sample_build, values) == {}


def test_the_check_finds_personal_data_where_it_is(sample_build):
    # the test must be able to fail: staging does hold the values
    values = personal_values_of_the_sample()
    pattern = "|".join(re.escape(value) for value in sorted(values))
    [(count,)] = sample_build.query(
        f"select count(*) from stg_raw__pings as row_value where regexp_matches(cast(row_value as varchar), '{pattern}')"
    )
    assert count > 0
