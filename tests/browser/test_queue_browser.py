"""Issue 22, items 4 and 8, in a real browser at 1366 and 390 px: each role's queue opens on
the new petitions under its named filters, with the legend of its marks, without pushing the page
sideways; a saved filter comes back; the publish form starts blank and its suggestion (names
masked) goes into the field with one click. Screenshots go to the shots folder (tests/browser/
conftest.py)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.test_petition_queue import answered, world  # noqa: F401 - the queue's petitions of each kind

pytestmark = pytest.mark.browser

WIDTHS = {"1366": {"width": 1366, "height": 900}, "390": {"width": 390, "height": 844}}


def _logout(visit) -> None:
    with visit.page.expect_navigation():
        visit.page.click("form.logout button[type=submit]")


def _overflow(page, selector: str = "body") -> int:
    """How many pixels an element sticks out of the window to the right."""
    return page.evaluate(
        "(sel) => Math.max(0, ...Array.from(document.querySelectorAll(sel)).map("
        "e => e.getBoundingClientRect().right - document.documentElement.clientWidth))",
        selector,
    )


def test_each_roles_queue_at_both_widths(visit, world, board_user, agency_user, leader_user):  # noqa: F811
    page = visit.page
    first = {"board": world["new"], "agency": world["assigned"], "leader": world["new"]}
    for role, user in (("board", board_user), ("agency", agency_user), ("leader", leader_user)):
        visit.login(user.username, PASSWORD, "/petitions/")
        for name, size in WIDTHS.items():
            page.set_viewport_size(size)
            visit.goto("/petitions/")
            expect(page.locator("[data-reference]").first).to_have_attribute("data-reference", first[role].reference)
            expect(page.locator(".queue-presets a[aria-current=page]")).to_have_count(1)
            expect(page.locator("[data-legend]")).to_be_visible()
            escalation = page.locator("[data-badge=escalation]").first
            if escalation.count():
                assert "3" in escalation.get_attribute("title")
            for part in (".queue-presets", ".saved-filters", "[data-legend]", ".filter-form"):
                assert _overflow(page, part) <= 1, f"{role} {name}: {part} sticks out"
            wide = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert wide <= 1, f"{role} {name}: the page scrolls sideways by {wide} px"
            visit.shot(f"queue-{role}-{name}")
        _logout(visit)
    assert visit.errors == []


def test_a_saved_filter_and_the_publish_suggestion_in_the_browser(
    visit,
    world,  # noqa: F811
    zone,
    enterprise_user,
    board_user,
    agency,
    agency_user,
):
    from zonedesk.petitions import services

    page = visit.page
    visit.login(board_user.username, PASSWORD, "/petitions/")
    with page.expect_navigation():
        page.click(".queue-presets a[data-preset=overdue]")
    page.click(".save-filter summary")
    page.fill("#id_name", "Quá hạn của tôi")
    with page.expect_navigation():
        page.click(".save-filter button[type=submit]")
    expect(page.locator(".message-success")).to_be_visible()
    visit.goto("/petitions/")
    with page.expect_navigation():
        page.click("[data-saved-filter] a")
    expect(page.locator("[data-saved-filter] a")).to_have_attribute("aria-current", "page")
    expect(page.locator("[data-reference]")).to_have_count(2)  # the two overdue ones
    visit.shot("queue-saved-filter")

    enterprise = enterprise_user.enterprise
    p = services.petition_submit(
        zone=zone,
        title=f"{enterprise.name} đề nghị cấp điện; liên hệ 0912 345 678",
        body="Nội dung",
        category="infrastructure",
        enterprise=enterprise,
    )
    p = answered(p, board_user, agency, agency_user)
    visit.goto(f"/petitions/{p.reference}/")
    summary = page.locator("#id_publish_public_summary")
    expect(summary).to_have_value("")
    page.click("#act-publish button[data-fill]")
    expect(summary).to_have_value("[…] đề nghị cấp điện; liên hệ […]")
    for name, size in WIDTHS.items():
        page.set_viewport_size(size)
        page.locator("#act-publish").scroll_into_view_if_needed()
        visit.shot(f"publish-suggestion-{name}")
    assert visit.errors == []
