"""The offline account report, rendered from the marts and checked in a real headless browser."""

import shutil
import sys
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "ACC-0001"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def report(dbt_project, tmp_path_factory):
    result = dbt_project.build()
    assert result.success, result.exception
    sys.path.insert(0, str(ROOT / "scripts"))
    import report as report_module

    path = tmp_path_factory.mktemp("reports") / f"{ACCOUNT}.html"
    connection = duckdb.connect(str(dbt_project.analytics_database), read_only=True)  # what analysts get
    try:
        path.write_text(report_module.render(report_module.account_data(connection, ACCOUNT)), encoding="utf-8")
    finally:
        connection.close()
    return path, dbt_project


def test_report_is_self_contained(report):
    path, _ = report
    text = path.read_text(encoding="utf-8")
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text and "<script" not in text


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is installed by `make test` (make browser)")
def test_report_in_a_headless_browser(report, tmp_path):
    from playwright.sync_api import sync_playwright

    path, project = report
    [latest] = project.query(f"""
        select licensed_seats, billable_users, license_utilization, product_usage_color, reporting_seat_share
        from mart_account_health where account_id = '{ACCOUNT}' order by month desc limit 1""")
    [(month_count,)] = project.query(f"select count(*) from mart_account_health where account_id = '{ACCOUNT}'")
    [(instance_count,)] = project.query(f"select count(*) from dim_instance where account_id = '{ACCOUNT}'")
    [(as_of,)] = project.query("select as_of_date from int_as_of_date")

    errors = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        metric = lambda name: page.locator(f'[data-metric="{name}"]').inner_text().strip()

        assert metric("licensed_seats") == f"{latest[0]:,}"
        assert metric("billable_users") == f"{latest[1]:,}"
        assert metric("license_utilization") == f"{latest[2] * 100:.0f} %"
        assert metric("product_usage_color").startswith(latest[3])
        assert metric("reporting_seat_share") == f"{latest[4] * 100:.0f} %"
        assert page.locator("#as-of-date").inner_text() == as_of.isoformat()

        chart = page.locator("#utilization-chart")
        box = chart.bounding_box()
        assert box["width"] > 100 and box["height"] > 100
        assert page.locator("#utilization-chart .point").count() >= 6
        assert page.locator("#use-case-strip .cell").count() == 5 * month_count
        assert page.locator('#use-case-strip .cell[data-color="green"]').count() > 0
        assert page.locator("table").nth(1).locator("tbody tr").count() == instance_count

        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert errors == []
