"""The board's retention page and the administrator's list of the people a table holds, in
Chromium at 1366 and 390 px: the board officer sees the rules and what a run would clear, changes
a rule's months (a wrong value is refused beside its field), and runs the rules after confirming;
nothing sticks out of the page at either width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.test_retention import _contacts, _public

pytestmark = pytest.mark.browser

WIDTHS = {"wide": (1366, 900), "phone": (390, 844)}
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


def _at_both_widths(visit, name: str) -> None:
    for label, (width, height) in WIDTHS.items():
        visit.page.set_viewport_size({"width": width, "height": height})
        assert visit.page.evaluate(OVERFLOW) <= 1, f"{name} sticks out at {width} px"
        visit.shot(f"{name}-{label}")


def test_the_board_edits_a_rule_and_runs_retention(visit, board_user, zone):
    old = _public(zone, 1, closed_months_ago=25)
    visit.login(board_user.username, PASSWORD, "/privacy/retention/")
    page = visit.page
    expect(page.locator('[data-due="petitioner_contacts"]')).to_contain_text(old.reference)
    _at_both_widths(visit, "retention-rules")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.fill("#months-petitioner_contacts", "0")
    with page.expect_navigation():
        page.click('[data-kind="petitioner_contacts"] button[type=submit]')
    expect(page.locator("#months-petitioner_contacts-error")).to_be_visible()
    _at_both_widths(visit, "retention-rule-refused")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.fill("#months-petitioner_contacts", "30")
    with page.expect_navigation():
        page.click('[data-kind="petitioner_contacts"] button[type=submit]')
    expect(page.locator(".message-success")).to_be_visible()
    expect(page.locator('[data-due="petitioner_contacts"]')).not_to_contain_text(old.reference)
    page.fill("#months-petitioner_contacts", "24")
    with page.expect_navigation():
        page.click('[data-kind="petitioner_contacts"] button[type=submit]')
    page.check(".retention-run input[name=confirm]")
    with page.expect_navigation():
        page.click(".retention-run button[type=submit]")
    expect(page.locator(".message-success")).to_be_visible()
    assert _contacts(old)[1] == ""
    expect(page.locator(".retention-runs")).to_be_visible()
    assert [e for e in visit.errors if "status of 400" not in e] == []  # the refused months: 400


def test_the_admin_lists_the_people_a_table_holds(visit, admin_user, zone):
    _public(zone, 2, closed_months_ago=None)
    visit.login(admin_user.username, PASSWORD, "/privacy/subjects/")
    page = visit.page
    page.select_option("#id_model", "petitions.Petition")
    with page.expect_navigation():
        page.click("form.filter-form button[type=submit]")
    expect(page.locator(".subjects-table")).to_contain_text("nguoi2@example.vn")
    _at_both_widths(visit, "privacy-subjects")
    assert visit.errors == []
