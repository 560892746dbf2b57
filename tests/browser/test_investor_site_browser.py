"""A foreign site selector's walk, in English, in a real browser (issue 26): from the investor's
landing page to the vacant-land finder, a shortlist of plots of at least 2 ha with every network
ready, a plot's published terms (price in VND and USD at the rate of a date, term, hand-over),
and the enquiry and site-visit links; the plot whose terms the board has not published shows none.
Then the board, in Vietnamese, publishes the second plot's terms through its form."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.test_petitions_browser import _logout, _submit
from tests.conftest import PASSWORD
from tests.test_planning_pages import plan as plan  # noqa: F401  (the fixture)
from zonedesk.planning.services_terms import parcel_terms_save

pytestmark = pytest.mark.browser


def test_a_visitor_shortlists_plots_reads_their_terms_and_finds_the_enquiry(visit, plan, board_user):  # noqa: F811
    parcel_terms_save(
        zone=plan,
        code="CN-01",
        by=board_user,
        price_vnd_m2=2_650_000,
        usd_rate_vnd=26_500,
        rate_date=dt.date(2026, 11, 16),
        term_years=50,
        handover_date=dt.date(2027, 3, 31),
        public=True,
    )
    parcel_terms_save(zone=plan, code="PM-01", by=board_user, price_vnd_m2=1_777_000, public=False)
    page = visit.page
    visit.goto("/invest/")
    with page.expect_navigation():
        page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Invest in the parks")
    _submit(page, ".invest-cards a[href='/planning/']")

    # the finder: at least 2 ha, every network ready
    page.fill("#id_min_ha", "2")
    page.check("#id_ready")
    _submit(page, ".finder-form button[type=submit]")
    rows = page.locator(".finder-table tbody tr")
    expect(rows).to_have_count(2)  # CN-01 (4 ha) and PM-01 (2.56 ha)
    expect(page.locator("tr[data-code='CN-01'] [data-field=price]")).to_contain_text("2,650,000 VND/m²/year")
    expect(page.locator("tr[data-code='CN-01'] [data-field=price]")).to_contain_text("100.00 USD")
    expect(page.locator("tr[data-code='PM-01'] [data-field=price]")).to_have_text("on request")

    # a plot's terms and the way to ask about it
    _submit(page, "tr[data-code='CN-01'] a")
    terms = page.locator(".parcel-terms")
    expect(terms.locator("[data-field=price]")).to_contain_text("2,650,000 VND/m²/year")
    expect(terms.locator("[data-field=price]")).to_contain_text("at 26,500 VND per USD, rate of 16/11/2026")
    expect(terms.locator("[data-field=term]")).to_have_text("50 years")
    expect(terms.locator("[data-field=handover]")).to_have_text("31/03/2027")
    enquire = page.get_by_role("link", name="Enquire about this plot")
    expect(enquire).to_have_attribute("href", f"/invest/enquire/?parcel={plan.code}%3ACN-01")
    expect(page.get_by_role("link", name="Request a site visit")).to_have_attribute(
        "href", f"/invest/enquire/?parcel={plan.code}%3ACN-01&visit=1"
    )
    visit.goto(f"/planning/parcels/{plan.code}/PM-01/")
    expect(page.locator(".parcel-terms")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("1,777,000")
    assert visit.errors == [] and visit.foreign_requests() == []

    # the board publishes PM-01's terms (in Vietnamese)
    with page.expect_navigation():
        page.get_by_role("button", name="Tiếng Việt").click()
    visit.login(board_user.username, PASSWORD, f"/planning/parcels/{plan.code}/PM-01/")
    _submit(page, "a[data-edit-terms]")
    expect(page.locator("#id_price_vnd_m2")).to_have_value("1777000")
    page.check("#id_public")
    _submit(page, "form.stack-form button[type=submit]")
    expect(page.locator(".parcel-terms").first).to_contain_text("1.777.000")
    _logout(visit)
    visit.goto(f"/planning/parcels/{plan.code}/PM-01/")
    expect(page.locator(".parcel-card .parcel-terms")).to_contain_text("1.777.000 đồng/m²/năm")
    assert visit.errors == []
