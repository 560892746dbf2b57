"""Two people, or two tabs, on the same form (issue 21, item 5): the second to send it is told
that the record changed since it was read, its typed values stay on the page, and nothing of the
first is overwritten. Shot at 1366 and 390 px wide."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WIDTHS = {"wide": (1366, 900), "phone": (390, 844)}


def _two_tabs(visit, path: str):
    first = visit.page
    second = first.context.new_page()
    second.on("console", lambda msg: msg.type == "error" and visit.errors.append(msg.text))
    for tab in (first, second):
        tab.goto(visit.url(path))
    return first, second


def _errors(visit) -> list[str]:
    """The console's errors, but for the one Chromium logs for the page's own status (409)."""
    return [e for e in visit.errors if "status of 409" not in e]


def _shots(visit, tab, name: str) -> None:
    for label, (width, height) in WIDTHS.items():
        tab.set_viewport_size({"width": width, "height": height})
        expect(tab.locator("#form-errors")).to_be_visible()
        visit.page, shown = tab, visit.page
        visit.shot(f"{name}-{label}")
        visit.page = shown


def test_a_correction_sent_from_an_older_tab_is_refused_and_the_first_stays(visit, enterprise_user, project):
    from zonedesk.investment import services
    from zonedesk.investment.models import PeriodicReport

    report = services.report_submit(
        project=project, period_kind="year", year=2025, figures={"workers_total": 10}, by=enterprise_user
    )
    visit.login(enterprise_user.username, PASSWORD, "/portal/")
    first, second = _two_tabs(visit, f"/portal/reports/{report.pk}/correct/")
    for tab, workers, reason in ((first, "12", "Soát lại lần 1"), (second, "13", "Soát lại từ tab cũ")):
        tab.fill("#id_workers_total", workers)
        tab.fill("#id_correction_reason", reason)
        with tab.expect_navigation():
            tab.click("form.report-form button[type=submit]")
    assert "/portal/" in first.url
    expect(first.locator(".message-success")).to_contain_text("phiên bản 2")
    expect(second.locator("#form-errors")).to_contain_text("đã được hiệu chỉnh sau khi bạn mở")
    expect(second.locator("#id_workers_total")).to_have_value("13")  # what was typed stays
    _shots(visit, second, "report-correction-conflict")
    current = PeriodicReport.objects.get(project=project, is_current=True)
    assert (current.version, current.workers_total) == (2, 12)
    assert PeriodicReport.objects.filter(project=project).count() == 2
    assert _errors(visit) == []


def test_a_status_change_read_before_another_is_refused(visit, board_user, project):
    visit.login(board_user.username, PASSWORD, "/projects/")
    first, second = _two_tabs(visit, f"/projects/{project.code}/status/")
    for tab, status in ((first, "land_handed_over"), (second, "suspended")):
        tab.select_option("#id_to_status", status)
        tab.fill("#id_reason", "Theo quyết định của Ban")
        with tab.expect_navigation():
            tab.click("form.stack-form button[type=submit]")
    expect(first.locator(".message-success")).to_be_visible()
    expect(second.locator("#form-errors")).to_contain_text("Dự án vừa được người khác thay đổi")
    _shots(visit, second, "project-status-conflict")
    project.refresh_from_db()
    assert project.status == "land_handed_over"
    assert _errors(visit) == []


def test_a_new_target_shows_the_one_it_would_replace_first(visit, board_user, zone):
    from zonedesk.ecosystem import services
    from zonedesk.ecosystem.models import Indicator, Target

    indicator = Indicator.objects.get(code="T2")
    services.target_set(by=board_user, indicator=indicator, zone=zone, year=2025, value=60)
    visit.login(board_user.username, PASSWORD, "/ecosystem/")
    page = visit.page
    visit.goto(f"/ecosystem/targets/new/?zone={zone.code}")
    page.select_option("#id_indicator", str(indicator.pk))
    page.fill("#id_year", "2025")
    page.fill("#id_value", "75")
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    expect(page.locator("#form-errors")).to_contain_text("Đã có mục tiêu 60 cho năm 2025")
    _shots(visit, page, "ecosystem-target-conflict")
    assert Target.objects.get(indicator=indicator, zone=zone, year=2025).value == 60
    with page.expect_navigation():  # seen now: sent again, it replaces that one
        page.click("form.stack-form button[type=submit]")
    assert "/ecosystem/" in page.url and "/targets/new/" not in page.url
    assert Target.objects.get(indicator=indicator, zone=zone, year=2025).value == 75
    assert _errors(visit) == []
