"""Issue 23, item 1, in the browser: a visitor on a phone (390 px) files a public petition only
once they tick the consent box under the short privacy notice; the privacy page and the board's
page to publish a new version fit the phone and the desktop."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import new_visit
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def test_a_visitor_on_a_phone_files_a_petition_only_with_the_box_ticked(browser, live_server, transactional_db, zone):
    from zonedesk.petitions.models import Petition
    from zonedesk.privacy.services import notice_current

    notice = notice_current()
    visit = new_visit(browser, live_server.url, PHONE)
    page = visit.page
    try:
        visit.goto("/petitions/new/")
        expect(page.locator(".privacy-consent")).to_contain_text(notice.summary_vi.splitlines()[1])
        expect(page.locator(".privacy-consent a[href='/privacy/']")).to_be_visible()
        expect(page.locator("#id_consent")).not_to_be_checked()
        assert page.evaluate(OVERFLOW) <= 0
        visit.shot("privacy-public-form-390")
        page.fill("#id_petitioner_name", "Trần Thị Bình")
        page.fill("#id_petitioner_email", "binh@example.vn")
        page.select_option("#id_zone", zone.code)
        page.select_option("#id_category", "infrastructure")
        page.fill("#id_title", "Đường vào khu bị ngập")
        page.fill("#id_body", "Mỗi khi mưa lớn đường vào khu bị ngập sâu.")
        with page.expect_navigation():
            page.click("form.petition-form button[type=submit]")
        error = page.locator("#id_consent_error")
        expect(error).to_be_visible()
        expect(error).to_contain_text("Đánh dấu vào ô")
        expect(page.locator("#id_title")).to_have_value("Đường vào khu bị ngập")  # what was typed stays
        assert Petition.objects.count() == 0
        assert page.evaluate(OVERFLOW) <= 0
        visit.shot("privacy-public-form-refused-390")
        page.check("#id_consent")
        with page.expect_navigation():
            page.click("form.petition-form button[type=submit]")
        assert "/petitions/new/thanks/" in page.url
        filed = Petition.objects.get()
        assert filed.consent_notice == notice and filed.consent_given_at is not None
        assert visit.errors == [] and visit.foreign_requests() == []
    finally:
        page.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1366", "390"])
def test_the_privacy_pages_fit_the_screen(browser, live_server, transactional_db, zone, board_user, viewport):
    width = viewport["width"]
    visit = new_visit(browser, live_server.url, viewport)
    page = visit.page
    try:
        visit.goto("/petitions/new/")
        visit.shot(f"privacy-public-form-{width}")
        page.click("footer a[data-footer-privacy]")
        expect(page.locator("h1")).to_have_text("Thông báo về bảo vệ dữ liệu cá nhân")
        expect(page.locator("[data-notice-version='1']")).to_be_visible()
        assert page.evaluate(OVERFLOW) <= 0
        visit.shot(f"privacy-page-{width}")
        visit.login(board_user.username, PASSWORD, "/privacy/publish/")
        expect(page.locator("h1")).to_contain_text("2")
        assert "91/2025/QH15" in page.locator("#id_text_vi").input_value()
        assert page.evaluate(OVERFLOW) <= 0
        visit.shot(f"privacy-publish-{width}")
        assert visit.errors == [] and visit.foreign_requests() == []
    finally:
        page.context.close()
