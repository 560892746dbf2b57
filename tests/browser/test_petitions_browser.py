"""One petition through every role, in a real browser: the enterprise files it in the portal, the
board triages and routes it, the agency answers, the board approves and publishes it, the
enterprise rates and closes it, and an anonymous visitor finds the answer by searching words of
the summary typed without accents. Independent of the demo dataset."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.test_attachments import make_pdf

pytestmark = pytest.mark.browser

TITLE = "Chậm đấu nối điện 22kV cho nhà xưởng số 3"
BODY = "Doanh nghiệp nộp hồ sơ đấu nối từ tháng 8 nhưng đến nay chưa được cấp điện; dây chuyền SMT phải dừng."
ANSWER = "Điện lực Hòa Lạc đã hoàn thành đấu nối trạm biến áp 22kV cho nhà xưởng số 3 ngày 20/11."
SUMMARY = "Đấu nối điện 22kV cho nhà xưởng trong Khu công nghệ cao đã hoàn thành sau khi Điện lực Hòa Lạc vào cuộc."


def _logout(visit) -> None:
    with visit.page.expect_navigation():
        visit.page.click("form.logout button[type=submit]")


def _submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def _success(page) -> None:
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator("#form-errors")).to_have_count(0)


def test_one_petition_through_every_role(
    visit, zone, project, enterprise_user, agency, agency_user, board_user, tmp_path, settings
):
    page = visit.page
    settings.MEDIA_ROOT = str(tmp_path / "media")
    letter = tmp_path / "cong-van-dien-luc.pdf"
    letter.write_bytes(make_pdf())

    # 1. The enterprise files it in the portal.
    visit.login(enterprise_user.username, PASSWORD, "/portal/petitions/")
    expect(page.locator("h1")).to_be_visible()
    _submit(page, "a[href='/portal/petitions/new/']:not(.site-nav a)")
    expect(page.locator("#id_zone")).to_have_value("HHTP")
    page.fill("#id_title", TITLE)
    page.fill("#id_body", BODY)
    page.select_option("#id_category", "infrastructure")
    page.select_option("#id_priority", "urgent")
    page.select_option("#id_project", project.code)
    expect(page.locator("#id_publish_allowed")).to_be_checked()
    page.set_input_files("#id_attachments", str(letter))
    expect(page.locator("#id_attachments_public")).not_to_be_checked()  # files stay private by default
    visit.shot("petition-portal-form")
    _submit(page, "form.petition-form button[type=submit]")
    _success(page)
    reference = page.locator("[data-reference]").first.inner_text().strip()
    assert reference.startswith("PAKN-")
    assert page.url.endswith(f"/petitions/{reference}/")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("form[data-action]")).to_have_count(0)  # nothing for the enterprise to do yet
    expect(page.locator("#attachments")).to_contain_text("cong-van-dien-luc.pdf")
    _logout(visit)

    # 2. The board triages it and assigns it to the agency.
    visit.login(board_user.username, PASSWORD, "/petitions/")
    row = page.locator(f"tr[data-reference='{reference}']")
    expect(row).to_be_visible()
    visit.shot("petition-queue")
    _submit(page, f"tr[data-reference='{reference}'] a >> nth=0")
    visit.shot("petition-board-triage")
    page.check("#id_triage_impact_production_stopped")
    page.fill("#id_triage_impact_workers", "120")
    page.fill("#id_triage_impact_investment_vnd", "4.200.000.000")
    page.fill("#id_triage_parcel_code", "CN-07")
    _submit(page, "#act-triage button[type=submit]")
    _success(page)
    expect(page.locator("[data-event='triage']")).to_be_visible()
    page.select_option("#id_assign_lead_agency", agency.code)
    _submit(page, "#act-assign button[type=submit]")
    _success(page)
    expect(page.locator("[data-event='assign']")).to_contain_text(agency.name_vi)
    _logout(visit)

    # 3. The agency officer starts it, writes the answer and submits it for approval.
    visit.login(agency_user.username, PASSWORD, "/petitions/")
    _submit(page, f"tr[data-reference='{reference}'] a >> nth=0")
    _submit(page, "#act-start button[type=submit]")
    _success(page)
    visit.shot("petition-agency-editor")
    page.fill("#id_write_body", ANSWER)
    _submit(page, "form[data-op='write'] button[name=submit]")
    _success(page)
    expect(page.locator("[data-answer-state='submitted']")).to_contain_text(ANSWER)
    _logout(visit)

    # 4. The board approves the answer and publishes it with a public summary.
    visit.login(board_user.username, PASSWORD, f"/petitions/{reference}/")
    expect(page.locator("[data-answer-state='submitted'] form[data-action='answer']")).to_be_visible()
    visit.shot("petition-board-approve")
    _submit(page, "form[data-action='answer'] button[type=submit]")
    _success(page)
    expect(page.locator("[data-answer-state='approved']")).to_be_visible()
    page.fill("#id_publish_public_summary", SUMMARY)
    _submit(page, "#act-publish button[type=submit]")
    _success(page)
    expect(page.locator("[data-public-summary]")).to_contain_text("Đấu nối điện 22kV")
    visit.shot("petition-board")
    _logout(visit)

    # 5. The enterprise rates the answer as satisfying and confirms: the petition is closed.
    visit.login(enterprise_user.username, PASSWORD, f"/petitions/{reference}/")
    expect(page.locator("[data-answer-state='approved']")).to_contain_text(ANSWER)
    page.check("#id_rate_satisfied_0")
    page.fill("#id_rate_comment", "Cảm ơn Ban quản lý và Điện lực.")
    _submit(page, "#act-rate button[type=submit]")
    _success(page)
    _submit(page, "#act-close button[type=submit]")
    _success(page)
    expect(page.locator(".pstatus-closed").first).to_be_visible()
    events = page.locator(".petition-timeline li").evaluate_all("els => els.map(e => e.dataset.event)")
    assert events == [
        "submit",
        "attach",
        "triage",
        "assign",
        "start",
        "answer_submitted",
        "answer",
        "publish",
        "rate",
        "close",
    ], events
    visit.shot("petition-enterprise-closed")
    _logout(visit)

    # 6. An anonymous visitor finds the answer by words of the summary typed without accents.
    visit.goto("/answers/")
    page.fill("#id_q", "dau noi dien khu cong nghe cao")
    _submit(page, "form.answers-search button[type=submit]")
    found = page.locator(f".public-answer[data-reference='{reference}']")
    expect(found).to_be_visible()
    expect(found).to_contain_text(SUMMARY)
    expect(found).to_contain_text(ANSWER)
    expect(page.locator(".public-answer")).to_have_count(1)
    html = page.content()
    for private in (TITLE, BODY, project.enterprise.name, "CN-07", "cong-van-dien-luc"):
        assert private not in html, private
    expect(page.locator('[data-figure="received"]')).to_have_text("1")
    page.wait_for_function("document.querySelectorAll('canvas[data-chart][data-drawn]').length === 3")
    visit.shot("answers")
    visit.goto("/petitions/new/")
    expect(page.locator("#id_petitioner_name")).to_be_visible()
    visit.shot("petition-public-form")

    assert visit.errors == []
    assert visit.foreign_requests() == []


def test_a_double_click_on_send_files_one_petition(visit, zone):
    """A visitor who clicks "Send" twice (the page is slow) files one petition and sees its thanks
    page (zonedesk.js sends the form once; the server answers a form sent twice with the first
    answer: core/idempotency.py)."""
    from zonedesk.petitions.models import Petition

    page = visit.page
    visit.goto("/petitions/new/")
    page.fill("#id_petitioner_name", "Trần Thị Bình")
    page.fill("#id_petitioner_email", "binh@example.vn")
    page.select_option("#id_zone", zone.code)
    page.select_option("#id_category", "infrastructure")
    page.fill("#id_title", "Đường vào khu bị ngập")
    page.fill("#id_body", "Mỗi khi mưa lớn đường vào khu bị ngập sâu.")
    page.check("#id_consent")
    with page.expect_navigation():
        page.dblclick("form.petition-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/petitions/new/thanks/" in page.url
    assert Petition.objects.count() == 1
    assert not visit.errors
