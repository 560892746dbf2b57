"""A dialogue conference in a real browser: the board tables a petition raised at the session and
records the answer given on the spot; the public reads the calendar and the report without the
petition's private text."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from zonedesk.dialogue import services as dialogue
from zonedesk.petitions import services as petitions

pytestmark = pytest.mark.browser
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def test_board_runs_a_conference_and_the_public_reads_it(
    visit, browser, live_server, board_user, enterprise_user, zone, agency, other_agency
):
    series = dialogue.series_create(by=board_user, name_vi="Đối thoại doanh nghiệp 2024", year=2024, planned_count=6)
    conference = dialogue.conference_create(
        by=board_user,
        series=series,
        sequence=2,
        theme_vi="Tháo gỡ khó khăn cho doanh nghiệp Khu CNC Hòa Lạc",
        starts_at=dt.datetime(2024, 5, 10, 8, 0, tzinfo=HANOI),
        ends_at=dt.datetime(2024, 5, 10, 11, 30, tzinfo=HANOI),
        venue="Trung tâm Đổi mới sáng tạo Quốc gia",
        chair="Phó Chủ tịch UBND Thành phố",
        zones=[zone],
        enterprises=[enterprise_user.enterprise],
    )
    earlier = petitions.petition_submit(
        zone=zone,
        title="Hoàn thuế GTGT chậm",
        body="Số tiền 12 tỷ đồng chưa được hoàn.",
        category="tax",
        enterprise=enterprise_user.enterprise,
        received_at=dt.datetime(2024, 5, 2, 9, 0, tzinfo=HANOI),
    )
    dialogue.petition_table(
        conference=conference, by=board_user, petition=earlier, now=dt.datetime(2024, 5, 6, 9, 0, tzinfo=HANOI)
    )
    # one petition routed to another agency already, so the report has two rows and a chart
    routed = petitions.petition_submit(
        zone=zone,
        title="Mất điện kéo dài",
        body="Mất điện 3 ngày liền.",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        received_at=dt.datetime(2024, 5, 3, 9, 0, tzinfo=HANOI),
    )
    dialogue.petition_table(
        conference=conference, by=board_user, petition=routed, now=dt.datetime(2024, 5, 6, 10, 0, tzinfo=HANOI)
    )
    routed = petitions.petition_act(petition=routed, action="triage", by=board_user)
    petitions.petition_act(petition=routed, action="assign", by=board_user, lead_agency=other_agency)
    page = visit.page

    visit.login(board_user.username, PASSWORD, "/conferences/")
    expect(page.locator("h1")).to_have_text("Hội nghị đối thoại")
    visit.shot("conference-list")
    page.click(f"a[href='/conferences/{conference.pk}/']")
    expect(page.locator("h1")).to_contain_text("2/6")
    expect(page.locator('[data-figure="tabled"]')).to_have_text("2")

    # a new difficulty raised at the session, typed in by the board's secretary
    page.click(f"a[href='/conferences/{conference.pk}/table/']")
    page.fill("#id_enterprise", enterprise_user.enterprise.tax_code)
    page.select_option("#id_category", "land")
    page.fill("#id_title", "Chậm bàn giao đất lô CN-07")
    page.fill("#id_body", "Còn 3 hộ chưa nhận tiền bồi thường, dự án chưa thể khởi công.")
    page.check("#id_during_session")
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    expect(page.locator(".messages")).to_contain_text("2/6")
    expect(page.locator('[data-figure="tabled"]')).to_have_text("3")
    expect(page.locator("table.tabled-petitions")).to_contain_text("Chậm bàn giao đất lô CN-07")

    # the answer given on the spot to the tax refund
    row = page.locator("table.tabled-petitions tbody tr", has_text="Hoàn thuế GTGT chậm")
    row.locator("a.button").click()
    page.select_option("#id_agency", str(agency.pk))
    page.fill("#id_speaker", "Ông Nguyễn Văn B, Phó Cục trưởng")
    page.fill("#id_text", "Cục Thuế hoàn thuế trước ngày 31/5.")
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    expect(page.locator('[data-figure="answered-on-the-spot"]')).to_have_text("1")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart][data-drawn]').length === 1")
    visit.shot("conference-board")
    assert visit.errors == [] and visit.foreign_requests() == []

    # the public: the calendar and the report, never the private text
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    public = context.new_page()
    errors: list[str] = []
    public.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    public.on("pageerror", lambda exc: errors.append(str(exc)))
    public.goto(f"{live_server.url}/conferences/")
    expect(public.locator(f"a[href='/api/v1/conferences/{conference.pk}.ics']")).to_be_visible()
    public.click(f"a[href='/conferences/{conference.pk}/']")
    expect(public.locator('[data-figure="tabled"]')).to_have_text("3")
    expect(public.locator("table.agency-report")).to_contain_text("EVN-HN")
    expect(public.locator("table.agency-report")).to_contain_text("Chưa giao")
    body = public.locator("main").inner_text()
    assert "Hoàn thuế GTGT chậm" not in body and "Chậm bàn giao đất" not in body and "12 tỷ" not in body
    assert "Mất điện kéo dài" not in body
    assert "Cục Thuế hoàn thuế trước ngày 31/5." not in body
    public.screenshot(path=str(visit.shot("conference-board").parent / "conference-public.png"), full_page=True)
    assert errors == []
    context.close()
