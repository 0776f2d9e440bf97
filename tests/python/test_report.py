"""The offline account report, rendered from the analyst database and checked in a real headless
browser: the same numbers as the marts (and the app), charts as inline SVG, nothing fetched."""

import sys
from pathlib import Path

import pytest

from browser_support import CHROMIUM, CHROMIUM_FLAGS, query

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "ACC-0001"


@pytest.fixture(scope="module")
def report(dbt_project, tmp_path_factory):
    result = dbt_project.build()
    assert result.success, result.exception
    sys.path.insert(0, str(ROOT / "scripts"))
    import report as report_module
    from cs_app import data

    analyst_db = dbt_project.analytics_database  # published by the build: what analysts get
    path = tmp_path_factory.mktemp("reports") / f"{ACCOUNT}.html"
    with data.connect(analyst_db) as connection:
        page = report_module.render_page(report_module.account_data(connection, ACCOUNT))
        again = report_module.render_page(report_module.account_data(connection, ACCOUNT))
    path.write_text(page, encoding="utf-8")
    return path, analyst_db, page == again


def test_report_is_self_contained_and_the_same_each_run(report):
    path, _, same = report
    text = path.read_text(encoding="utf-8")
    for namespace in ('xmlns="http://www.w3.org/2000/svg"', 'xmlns:xlink="http://www.w3.org/1999/xlink"'):
        text = text.replace(namespace, "")
    assert "http://" not in text
    assert "https://" not in text and "<script" not in text
    assert same


@pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is installed by `make test` (make browser)")
def test_report_in_a_headless_browser(report, tmp_path):
    from playwright.sync_api import sync_playwright

    path, analyst_db, _ = report
    [latest] = query(analyst_db, f"""
        select licensed_seats, billable_users, license_utilization, product_usage_color, scored_subscription_id, month,
            reporting_seat_share
        from mart_account_health where account_id = '{ACCOUNT}' order by month desc limit 1""")
    [(month_count,)] = query(analyst_db, f"select count(*) from mart_account_health where account_id = '{ACCOUNT}'")
    [(instance_count,)] = query(analyst_db, f"select count(*) from dim_instance where account_id = '{ACCOUNT}'")
    [(measure_count,)] = query(analyst_db, f"""
        select count(*) from mart_use_case_measures
        where subscription_id = '{latest[4]}' and month = '{latest[5]}'""")
    [(as_of,)] = query(analyst_db, "select as_of_date from build_info")

    errors, requests = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(path.as_uri())
        metric = lambda name: page.locator(f'[data-metric="{name}"]').inner_text().strip()

        assert metric("licensed_seats") == f"{latest[0]:,}"
        assert metric("billable_users") == f"{latest[1]:,}"
        assert metric("license_utilization") == f"{latest[2] * 100:.0f} %"
        assert metric("product_usage_color").startswith(latest[3])
        assert metric("reporting_seat_share") == f"{latest[6] * 100:.0f} %"
        assert page.locator("#as-of-date").inner_text() == as_of.isoformat()

        chart = page.locator("#utilization-chart svg")
        box = chart.bounding_box()
        assert box["width"] > 100 and box["height"] > 100
        axis = chart.locator(".role-axis-label text").evaluate_all("texts => texts.map(text => text.textContent)")
        assert "100%" in axis and "0%" in axis, "the utilization axis carries its values"
        assert chart.locator(".role-mark path").count() >= 1
        cells = page.locator("#use-case-strip svg .role-mark path")
        assert cells.count() >= month_count
        assert page.locator("#measures tbody tr").count() == measure_count
        assert page.locator("#instances tbody tr").count() == instance_count

        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        browser.close()
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert errors == []
    assert requests == [path.as_uri()]
