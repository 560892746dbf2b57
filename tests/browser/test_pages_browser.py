"""The pages in a real browser: the demo figures on the home page, an enterprise filing a
report through the portal, and the language switch."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_home_and_dashboard_show_the_demo_figures(visit, settings):
    from zonedesk_demo.investment import DEMO_PASSWORD, build_demo

    settings.DEMO_MODE = True
    build_demo()
    page = visit.page

    visit.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    # Pick the zone, then the year, from the lists (they submit themselves).
    with page.expect_navigation():
        page.select_option("#scope-zone", "HHTP")
    with page.expect_navigation():
        page.select_option("#scope-year", "2023")
    assert "zone=HHTP" in page.url and "year=2023" in page.url

    expect(page.locator('[data-figure="projects"]')).to_have_text("109")
    expect(page.locator(".figures")).to_contain_text("95 trong nước · 14 có vốn nước ngoài")
    capital = page.locator('[data-figure="registered-capital"]').inner_text()
    assert re.fullmatch(r"115\.5\d\d(,\d)? tỷ đồng", capital), capital  # 115,5xx billion VND, Vietnamese style
    expect(page.locator('[data-figure="workers"]')).to_have_text("14.500")
    expect(page.locator('[data-figure="revenue"]')).to_contain_text("30.000")
    expect(page.locator(".zone-table tfoot")).to_contain_text("Tất cả các khu")
    expect(page.locator(".badge-synthetic").first).to_be_visible()

    # The three charts are drawn by Chart.js from the json_script data.
    expect(page.locator("canvas[data-chart]")).to_have_count(3)
    page.wait_for_function("document.querySelectorAll('canvas[data-chart][data-drawn]').length === 3")
    assert page.evaluate("Object.keys(window.Chart.instances).length") == 3
    visit.shot("home")

    # The board's dashboard, after logging in through the form.
    visit.login("bql", DEMO_PASSWORD, "/dashboard/?zone=HHTP")
    expect(page.locator("h1")).to_have_text("Bảng điều hành")
    expect(page.locator("#behind-title")).to_be_visible()
    expect(page.locator("#late-title")).to_be_visible()
    expect(page.locator("table.targets meter").first).to_be_visible()
    page.wait_for_function("document.querySelectorAll('canvas[data-chart][data-drawn]').length === 3")
    visit.shot("dashboard")

    assert visit.errors == []
    assert visit.foreign_requests() == []
    assert any("/static/vendor/chartjs/chart.umd.js" in u for u in visit.requests)


def test_an_enterprise_files_a_report_in_the_portal(visit, enterprise_user, project):
    page = visit.page
    visit.login(enterprise_user.username, PASSWORD, "/portal/")
    assert page.url.endswith("/portal/")
    expect(page.locator("h1")).to_contain_text(project.enterprise.name)

    # The latest period owed, from the obligations list: its link prefills the form.
    row = page.locator("table.obligations tr.state-late").first
    period = row.locator("th").inner_text().strip()
    with page.expect_navigation():
        row.get_by_role("link").click()
    assert "/portal/reports/new/?project=" in page.url
    expect(page.locator("#id_project")).to_have_value(project.code)

    # A negative amount comes back beside its field, nothing saved.
    page.fill("#id_revenue_vnd", "-1")
    for name, value in {
        "export_vnd": "0",
        "import_vnd": "0",
        "workers_total": "1.250",
        "workers_degree": "300",
        "rnd_spend_vnd": "1.000.000.000",
        "taxes_paid_vnd": "250.000.000",
        "capital_disbursed_cum_vnd": "45.000.000.000",
    }.items():
        page.fill(f"#id_{name}", value)
    with page.expect_navigation():
        page.click("form.report-form button[type=submit]")
    expect(page.locator("#id_revenue_vnd_error")).to_contain_text("không được âm")
    expect(page.locator("#form-errors")).to_be_visible()

    page.fill("#id_revenue_vnd", "12.500.000.000")
    with page.expect_navigation():
        page.click("form.report-form button[type=submit]")
    assert "/portal/#report-" in page.url
    expect(page.locator(".message-success")).to_contain_text(period)
    filed = page.locator("table.obligations tr", has=page.locator("th", has_text=period))
    expect(filed.locator("[data-lateness]")).to_contain_text("Nộp muộn")  # filed today, after its due date
    recent = page.locator("table.recent-reports")
    expect(recent).to_contain_text(period)
    expect(recent).to_contain_text("12.500.000.000")
    expect(recent).to_contain_text("1.250")
    assert visit.errors == []
    assert visit.foreign_requests() == []


def test_the_language_switch(visit, zone, project):
    page = visit.page
    visit.goto("/projects/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text("Dự án")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/projects/")  # the switch stays on the same page
    expect(page.locator("h1")).to_have_text("Projects")
    expect(page.locator(".site-nav")).to_contain_text("Home")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true")
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếng Việt").click()
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator(".site-nav")).to_contain_text("Trang chủ")
    assert visit.errors == []


def test_live_search_filters_without_reloading(visit, project, other_project):
    page = visit.page
    visit.goto("/projects/")
    expect(page.locator(".project-table tbody tr")).to_have_count(2)
    page.evaluate("window.__sameDocument = true")
    page.fill("#id_q", "hoa lac")
    expect(page.locator(".project-table tbody tr")).to_have_count(1)
    expect(page.locator(".project-table")).to_contain_text(project.code)
    assert page.evaluate("window.__sameDocument") is True  # htmx swapped the results only
    expect(page).to_have_url(re.compile(r"q=hoa(\+|%20)lac"))
    page.select_option("#id_ownership", "foreign")
    expect(page.locator("#project-results .empty")).to_be_visible()
    assert visit.errors == []
