"""Adding a use case is one seed row plus its measures (docs/analysts.md): in a copy of the project,
a use_cases row and a use_case_measures row, then the one generate command, and the new use case
flows through the SQL (adoption, account health's enforced contract), the report and the app's
use-case list with no other edit. The contract check names what is out of date until then."""

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NEW = "package"
# the measure: projects' package registry use per seat, a catalog metric the sample reports
USE_CASE_ROW = [NEW, "false", "true", "Package registry (Package stage), a use case added by this test", "6"]
MEASURE_ROW = [NEW, "package_uses_per_seat", "packages_28d", "licensed_seats", "0.05", "true", "0.10", "1"]


def _append(path: Path, row: list[str]) -> None:
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerow(row)


def _run(command, project: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def project_with_new_use_case(tmp_path_factory):
    base = tmp_path_factory.mktemp("add_use_case")
    project = base / "project"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "target", "logs", "dbt_packages", "__pycache__", ".pytest_cache"))
    env = {**os.environ, "DBT_PROFILES_DIR": str(project), "DBT_PROJECT_DIR": str(project),
           "DUCKDB_PATH": str(base / "work.duckdb"), "ANALYTICS_DUCKDB_PATH": str(base / "analytics.duckdb"),
           "RESTRICTED_DUCKDB_PATH": str(base / "restricted.duckdb"), "DUCKDB_TEMP_DIR": str(base / "tmp")}

    _append(project / "seeds" / "reference" / "use_cases.csv", USE_CASE_ROW)
    _append(project / "seeds" / "reference" / "use_case_measures.csv", MEASURE_ROW)
    stale = _run([sys.executable, "scripts/generate_mart_contracts.py", "--check"], project, env)
    generated = _run([sys.executable, "scripts/generate_mart_contracts.py"], project, env)
    assert generated.returncode == 0, generated.stdout + generated.stderr
    build = _run([str(BIN / "dbt"), "build", "--exclude", "test_type:unit"], project, env)
    assert build.returncode == 0, build.stdout[-4000:] + build.stderr[-2000:]
    return project, base, env, stale


def test_the_contract_check_names_the_file_to_generate(project_with_new_use_case):
    _, _, _, stale = project_with_new_use_case
    assert stale.returncode == 1
    assert "models/marts/usage/_mart_account_health.yml is out of date" in stale.stdout
    assert "scripts/generate_mart_contracts.py" in stale.stdout


def test_the_new_use_case_flows_through_the_marts(project_with_new_use_case):
    import duckdb

    _, base, _, _ = project_with_new_use_case
    connection = duckdb.connect(str(base / "analytics.duckdb"), read_only=True)
    try:
        scored = connection.execute(
            "select count(*), count(score) from mart_use_case_adoption where use_case = ?", [NEW]).fetchone()
        columns = [name for (name,) in connection.execute(
            "select column_name from information_schema.columns where table_name = 'mart_account_health'"
        ).fetchall()]
        health = connection.execute(
            f"select count({NEW}_color), count({NEW}_score) from mart_account_health").fetchone()
        listed = connection.execute("select use_case from dim_use_case order by display_order").fetchall()
    finally:
        connection.close()
    assert scored[0] > 0 and scored[1] > 0
    assert {f"{NEW}_color", f"{NEW}_score", f"previous_{NEW}_color"} <= set(columns)
    assert health[0] > 0 and health[1] > 0
    assert listed[-1] == (NEW,)


def test_the_new_use_case_is_in_the_app_and_the_report(project_with_new_use_case):
    project, base, env, _ = project_with_new_use_case
    # the copy's own app and report code, in a process of their own
    script = (
        "import sys; sys.path[:0] = ['scripts', '.']\n"
        "import report\n"
        "from cs_app import data\n"
        f"with data.connect({str(base / 'analytics.duckdb')!r}) as connection:\n"
        "    account = report.account_data(connection, 'ACC-0001')\n"
        "    print([row['use_case'] for row in data.use_cases(connection)])\n"
        "    print(report.render_page(account).count('package'))\n"
    )
    shown = _run([sys.executable, "-c", script], project, env)
    assert shown.returncode == 0, shown.stderr[-3000:]
    use_cases, mentions = shown.stdout.strip().splitlines()[-2:]
    assert f"'{NEW}'" in use_cases
    assert int(mentions) > 0
