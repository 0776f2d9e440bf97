"""The Customer Success app in a real headless browser: started like `make app` (streamlit, headless,
on a free localhost port) against an analyst database, its numbers checked against the marts, no
request leaving the machine; and the app's answers to a missing database and an unknown account."""

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from browser_support import CHROMIUM, CHROMIUM_FLAGS, query

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "ACC-0001"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}
SCREENSHOTS = ROOT / "target"


@pytest.fixture(scope="module")
def analyst_db(dbt_project):
    result = dbt_project.build()
    assert result.success, result.exception
    return dbt_project.analytics_database  # published by the build


def free_port():
    with socket.socket() as probe:
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(analyst_db):
    port = free_port()
    env = dict(os.environ, ANALYTICS_DUCKDB_PATH=str(analyst_db))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "cs_app/streamlit_app.py", "--server.port", str(port),
         "--server.headless", "true", "--server.address", "localhost", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            assert server.poll() is None, server.stdout.read().decode()
            assert time.monotonic() < deadline, "streamlit did not start"
            time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        pytest.skip("Debian chromium is installed by `make test` (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def guard_requests(page):
    """Route every request: a host other than this machine is blocked and recorded."""
    outside = []

    def guard(route):
        host = urllib.parse.urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", guard)
    page.on("websocket", lambda socket_: None if urllib.parse.urlsplit(socket_.url).hostname in LOCAL_HOSTS
            else outside.append(socket_.url))
    return outside


@pytest.fixture
def page(browser):
    """A page on which no request may leave the machine and no script error may happen."""
    context = browser.new_context(viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    outside, errors = guard_requests(page), []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert outside == [], f"requests left the machine: {outside}"
    assert errors == []


def test_the_guard_catches_a_request_that_leaves_the_machine(app_url, browser):
    context = browser.new_context()
    page = context.new_page()
    outside = guard_requests(page)
    page.goto(app_url)
    page.evaluate("fetch('https://example.com/beacon').catch(() => null)")
    page.wait_for_timeout(500)
    context.close()
    assert outside == ["https://example.com/beacon"]


def expect(locator):
    """Playwright's retrying assertion (the app redraws while it loads), patient on a loaded machine."""
    from playwright.sync_api import expect as playwright_expect

    playwright_expect.set_options(timeout=30_000)
    return playwright_expect(locator)


def open_page(page, url):
    page.goto(url)
    page.wait_for_selector("#as-of-date", timeout=60_000)


def percent(value):
    return "n/a" if value is None else f"{value * 100:.0f} %"


def test_portfolio_shows_the_marts_numbers_worst_first(app_url, analyst_db, page):
    expected = query(analyst_db, """
        with latest as (select account_id, max(month) as month from mart_account_health group by 1)
        select health.account_id, health.licensed_seats, health.billable_users, health.license_utilization,
            health.product_usage_color, health.product_usage_score,
            (select count(*) from mart_usage_alerts as alerts
             where alerts.account_id = health.account_id
                and alerts.month = (select date_trunc('month', as_of_date) from build_info)) as alert_count
        from mart_account_health as health
        inner join latest on health.account_id = latest.account_id and health.month = latest.month
        order by health.product_usage_score nulls last, health.license_utilization nulls last, health.account_id""")
    [(as_of,)] = query(analyst_db, "select as_of_date from build_info")
    open_page(page, app_url)
    page.wait_for_selector("#portfolio")
    assert page.locator("#as-of-date").inner_text() == as_of.isoformat()
    rows = page.locator("#portfolio tbody tr")
    expect(rows).to_have_count(len(expected))
    cell = lambda row, column: row.locator(f'[data-column="{column}"]').inner_text().strip()
    for index, (account_id, seats, billable, utilization, color, score, alerts) in enumerate(expected):
        row = rows.nth(index)
        assert row.get_attribute("data-account") == account_id, "worst first: lowest product usage score first"
        assert cell(row, "licensed_seats") == ("n/a" if seats is None else f"{seats:,}")
        assert cell(row, "billable_users") == ("n/a" if billable is None else f"{billable:,}")
        assert cell(row, "license_utilization") == percent(utilization)
        assert cell(row, "product_usage") == (color or "not scored") + ("" if score is None else f" ({score:.0f})")
        assert cell(row, "open_alert_count") == str(alerts)
    page.set_viewport_size({"width": 1400, "height": 960})
    page.screenshot(path=str(SCREENSHOTS / "app_portfolio.png"))

    # sortable: by licensed seats, the largest first, n/a last
    by_seats = sorted((row for row in expected if row[1] is not None), key=lambda row: -row[1])
    page.get_by_test_id("stSelectbox").filter(has_text="Sort by").locator("input").click()
    page.get_by_role("option", name="Licensed seats").click()
    expect(page.locator('#portfolio [data-column="licensed_seats"]')).to_have_text(
        [f"{row[1]:,}" for row in by_seats] + ["n/a"] * (len(expected) - len(by_seats)))

    # the "has alerts" filter keeps the accounts with alerts this month
    page.get_by_text("Has alerts").click()
    with_alerts = [row for row in expected if row[-1] > 0]
    page.wait_for_function(f"document.querySelectorAll('#portfolio tbody tr').length === {len(with_alerts)}")
    assert 0 < len(with_alerts) < len(expected)

    # each row links to its account page
    first = with_alerts[0][0]
    page.locator(f'#portfolio tr[data-account="{first}"] a').click()
    page.wait_for_selector("#account-id", timeout=60_000)
    assert page.locator("#account-id").inner_text() == first


def test_account_page_shows_the_marts_numbers(app_url, analyst_db, page):
    [latest] = query(analyst_db, f"""
        select licensed_seats, billable_users, license_utilization, product_usage_color, account_name,
            reporting_seat_share
        from mart_account_health where account_id = '{ACCOUNT}' order by month desc limit 1""")
    [(instance_count,)] = query(analyst_db, f"select count(*) from dim_instance where account_id = '{ACCOUNT}'")
    [(alert_count,)] = query(analyst_db, f"select count(*) from mart_usage_alerts where account_id = '{ACCOUNT}'")
    names = {name for (name,) in query(analyst_db, f"""
        select distinct subscriptions.subscription_name from mart_usage_alerts as alerts
        inner join dim_subscription as subscriptions on alerts.subscription_id = subscriptions.subscription_id
        where alerts.account_id = '{ACCOUNT}'""")}
    subscription_ids = [sid for (sid,) in query(analyst_db, f"select subscription_id from dim_subscription where account_id = '{ACCOUNT}'")]

    open_page(page, f"{app_url}/?page=account&account={ACCOUNT}")
    expect(page.locator("#instances tbody tr")).to_have_count(instance_count)
    metric = lambda name: page.locator(f'[data-metric="{name}"]').inner_text().strip()
    assert page.locator("h1").first.inner_text().strip() == latest[4]
    assert metric("licensed_seats") == f"{latest[0]:,}"
    assert metric("billable_users") == f"{latest[1]:,}"
    assert metric("license_utilization") == percent(latest[2])
    assert metric("product_usage_color").startswith(latest[3])
    assert metric("reporting_seat_share") == percent(latest[5])
    assert page.locator("#instances tbody tr").count() == instance_count
    alerts = page.locator("#alerts")
    assert alerts.locator("tbody tr").count() == alert_count > 0
    shown = set(alerts.locator('[data-column="subscription_name"]').all_inner_texts())
    assert shown == names and not any(sid in alerts.inner_text() for sid in subscription_ids)

    # two charts, drawn in the browser, the utilization axis labelled in percent
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg')
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() == 2
    assert "100%" in charts.first.locator("svg").inner_html()
    page.set_viewport_size({"width": 1400, "height": 2150})
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "app_account.png"))


def test_alerts_page_groups_the_latest_month(app_url, analyst_db, page):
    this_month = "(select date_trunc('month', as_of_date) from build_info)"
    counts = dict(query(analyst_db, f"select alert_type, count(*) from mart_usage_alerts where month = {this_month} group by 1"))
    [(with_account,)] = query(analyst_db, f"select count(account_id) from mart_usage_alerts where month = {this_month}")
    open_page(page, f"{app_url}/?page=alerts")
    expect(page.locator("table.alerts tbody tr")).to_have_count(sum(counts.values()))
    for alert_type, count in counts.items():
        assert page.locator(f'table[data-alert-type="{alert_type}"] tbody tr').count() == count
    # an alert on an instance mapped to no account has no account page to link to
    assert page.locator("table.alerts a").count() == with_account
    assert "None" not in page.locator("table.alerts").all_inner_texts()[0]
    page.set_viewport_size({"width": 1400, "height": 1300})
    page.screenshot(path=str(SCREENSHOTS / "app_alerts.png"))


def test_unknown_account_gets_a_clear_message(app_url, page):
    open_page(page, f"{app_url}/?page=account&account=NO-SUCH-ACCOUNT")
    page.get_by_text("There is no account 'NO-SUCH-ACCOUNT'").wait_for(timeout=60_000)
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Error" not in text


def test_no_analyst_database_says_how_to_build_one(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ANALYTICS_DUCKDB_PATH", str(tmp_path / "missing.duckdb"))
    app = AppTest.from_file(str(ROOT / "cs_app" / "streamlit_app.py"), default_timeout=60).run()
    assert not app.exception
    assert "No analyst database at" in app.error[0].value and "make build" in app.error[0].value


def test_unknown_account_without_a_browser(analyst_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ANALYTICS_DUCKDB_PATH", str(analyst_db))
    app = AppTest.from_file(str(ROOT / "cs_app" / "streamlit_app.py"), default_timeout=60)
    app.query_params["page"] = "account"
    app.query_params["account"] = "ACC-404"
    app.run()
    assert not app.exception
    assert "There is no account 'ACC-404'" in app.warning[0].value


def test_a_rebuild_renamed_over_the_file_is_read_by_the_next_request(tmp_path, monkeypatch):
    import duckdb

    sys.path.insert(0, str(ROOT))
    from cs_app import data

    def publish(as_of):
        beside = tmp_path / "analytics.duckdb.new"
        connection = duckdb.connect(str(beside))
        connection.execute(f"create table build_info as select date '{as_of}' as as_of_date, now() as published_at")
        connection.close()
        os.replace(beside, tmp_path / "analytics.duckdb")

    monkeypatch.setenv("ANALYTICS_DUCKDB_PATH", str(tmp_path / "analytics.duckdb"))
    publish("2026-09-30")
    with data.connect() as reader:
        assert str(data.build_info(reader)["as_of_date"]) == "2026-09-30"
        publish("2026-10-31")  # a build publishes while a page is being read: not blocked
        assert str(data.build_info(reader)["as_of_date"]) == "2026-09-30"
    with data.connect() as reader:
        assert str(data.build_info(reader)["as_of_date"]) == "2026-10-31"


def test_adoption_page_shows_the_cohort_curves_per_use_case(app_url, analyst_db, page):
    use_cases = [name for (name,) in query(analyst_db, """
        select use_case from dim_use_case where is_adoption_use_case order by display_order, use_case""")]
    expected = query(analyst_db, """
        select use_case, cohort_quarter, count(*), count(case when status = 'adopted' then 1 end),
            count(case when status = 'not_yet' then 1 end)
        from mart_use_case_time_to_value where status <> 'not_applicable'
        group by all order by all""")
    [(curve_points,)] = query(analyst_db, "select count(*) from mart_adoption_cohorts")
    assert len(use_cases) >= 4 and curve_points > 0
    open_page(page, f"{app_url}/?page=adoption")
    expect(page.locator("#time-to-value tbody tr")).to_have_count(len(expected))
    for use_case, cohort, members, adopted, not_yet in expected:
        row = page.locator(f'#time-to-value tr[data-use-case="{use_case}"]'
                           f'[data-cohort="{cohort.year} Q{(cohort.month - 1) // 3 + 1}"]')
        assert row.locator('[data-column="subscriptions"]').inner_text() == str(members)
        assert row.locator('[data-column="adopted"]').inner_text() == str(adopted)
        assert row.locator('[data-column="not_yet"]').inner_text() == str(not_yet)
    # one chart per adoption use case (the use_cases seed), titled by it, drawn in the browser
    page.wait_for_selector('[data-testid="stVegaLiteChart"] svg')
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    expect(charts).to_have_count(len(use_cases))
    titles = {charts.nth(index).locator("svg .role-title-text").text_content().strip() for index in range(len(use_cases))}
    assert titles == set(use_cases)
    assert "100%" in charts.first.locator("svg").inner_html()
    page.set_viewport_size({"width": 1400, "height": 1500})
    page.wait_for_timeout(500)
    page.screenshot(path=str(SCREENSHOTS / "app_adoption.png"))
