"""The generated mart_instance_monthly contract agrees with the metrics catalog."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_mart_instance_monthly_contract_matches_catalog():
    result = subprocess.run(
        [sys.executable, "scripts/generate_mart_contracts.py", "--check"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_catalog_metric_is_a_contract_column():
    sys.path.insert(0, str(ROOT / "scripts"))
    import csv

    import yaml
    from generate_mart_contracts import CATALOG, TARGET

    with CATALOG.open(newline="", encoding="utf-8") as handle:
        catalog_columns = [row["column_name"] for row in csv.DictReader(handle)]
    model = yaml.safe_load(TARGET.read_text(encoding="utf-8"))["models"][0]
    contract_columns = [column["name"] for column in model["columns"]]
    assert contract_columns[-len(catalog_columns):] == catalog_columns
    assert len(set(contract_columns)) == len(contract_columns)
