"""The planning map in a real browser: an investor finds a vacant parcel of at least 2 ha with the
finder, sees the matches listed and highlighted on the map, and opens a parcel's card; the
search by code and the colouring by occupancy; the same finder without JavaScript. Nothing is
asked of any host but the app itself (no CDN, no base map by default)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from shapely.geometry import box

from zonedesk.planning import geometry, services
from zonedesk.planning.models import INFRASTRUCTURE
from zonedesk.planning.services import Feature

pytestmark = pytest.mark.browser

X0, Y0 = 552_000, 2_323_000  # VN-2000 / TM-3 105°00' (EPSG:5897) metres near Hoa Lac
READY = dict.fromkeys(INFRASTRUCTURE, True)


def square(x: float, y: float, side: float):
    return geometry.to_wgs84(box(X0 + x, Y0 + y, X0 + x + side, Y0 + y + side), 5897)


def parcel(code: str, x: float, y: float, side: float, land_use: str = "CNC", **props) -> Feature:
    return Feature(geometry=square(x, y, side), code=code, properties={"land_use": land_use, **props})


@pytest.fixture
def plan(zone, board_user, project):
    in_force = timezone.localdate() - dt.timedelta(days=10)
    write = dict(zone=zone, effective_date=in_force, by=board_user)
    services.revision_create(layer="boundary", features=[Feature(geometry=square(-100, -100, 1100))], **write)
    services.revision_create(
        layer="areas",
        features=[Feature(geometry=square(-50, -50, 1000), code="A1", properties={"land_use": "CNC", "name": "Khu A"})],
        **write,
    )
    services.revision_create(
        layer="parcels",
        features=[
            parcel("CN-01", 0, 0, 200, **READY),  # 4 ha, vacant, every network ready
            parcel("CN-02", 300, 0, 150, power=True),  # 2.25 ha, vacant
            parcel("PM-01", 0, 300, 160, land_use="PM", **READY),  # 2.56 ha, vacant
            parcel("CN-03", 300, 300, 100, **READY),  # 1 ha, vacant: too small
            parcel("ĐV-01", 600, 0, 141, land_use="DV", **READY),  # 1.99 ha, vacant: just too small
            parcel("CN-04", 600, 300, 200, occupancy="leased", project=project.code, **READY),  # 4 ha, leased
            parcel("CX-01", 300, 600, 150, land_use="CX", occupancy="public"),
        ],
        **write,
    )
    return zone


def map_ready(page, selector: str = "#planning-map") -> None:
    expect(page.locator(f"{selector}[data-ready='1']")).to_have_count(1)


def test_an_investor_finds_vacant_land_of_2_ha_and_opens_its_card(visit, plan, project):
    page = visit.page
    visit.goto("/")
    with page.expect_navigation():
        page.click("nav.site-nav a[href='/planning/']")
    map_ready(page)
    expect(page.locator("#planning-map path.parcel-shape")).to_have_count(7)
    expect(page.locator("#planning-map path.is-match")).to_have_count(0)
    visit.shot("planning-map")

    # the finder: at least 2 ha (typed the Vietnamese way), any land use
    page.fill("#id_min_ha", "2,0")
    with page.expect_navigation():
        page.click("form.finder-form button[type=submit]")
    map_ready(page)
    rows = page.locator("table.finder-table tbody tr")
    expect(rows).to_have_count(3)
    listed = rows.evaluate_all("rows => rows.map(r => r.dataset.code)")
    assert listed == ["CN-01", "PM-01", "CN-02"]  # largest first; leased and smaller land left out
    # ... and highlighted on the map: exactly those parcels, the others faded
    highlighted = page.locator("#planning-map path.is-match").evaluate_all("ps => ps.map(p => p.dataset.code)")
    assert sorted(highlighted) == sorted(listed)
    assert page.locator("path[data-code='CN-01']").get_attribute("stroke-width") == "3"
    assert float(page.locator("path[data-code='CN-04']").get_attribute("fill-opacity")) < 0.5
    visit.shot("planning-finder")

    # a click on a highlighted parcel opens its card beside the map
    page.locator("path[data-code='PM-01']").click()
    card = page.locator("#parcel-panel [data-parcel-card='PM-01']")
    expect(card).to_be_visible()
    expect(card.locator("[data-field='occupancy']")).to_have_attribute("data-value", "vacant")
    expect(card.locator("[data-field='area']")).to_contain_text("ha")
    expect(page.locator("path[data-code='PM-01']")).to_have_class(
        "leaflet-interactive parcel-shape is-match is-selected"
    )

    # "show on the map" from the list zooms to another match and opens its card
    page.click("button[data-show-parcel='CN-02']")
    expect(page.locator("#parcel-panel [data-parcel-card='CN-02']")).to_be_visible()

    # the list's link opens the printable parcel card page
    with page.expect_navigation():
        page.click("table.finder-table a[href='/planning/parcels/HHTP/CN-01/']")
    expect(page.locator("h1 [data-parcel-code]")).to_have_text("CN-01")
    area = page.locator("[data-field='area']").inner_text()
    assert area.startswith("4,00 ha") and "m²" in area, area  # Vietnamese decimals
    expect(page.locator("[data-network='telecom']")).to_have_class("is-ready")
    map_ready(page, "#parcel-map")
    visit.shot("planning-parcel")

    assert visit.errors == []
    assert visit.foreign_requests() == []
    assert any(u.endswith("/static/vendor/leaflet/leaflet.js") for u in visit.requests)
    assert any("/planning/map.json?zone=HHTP" in u for u in visit.requests)


def test_search_by_code_colours_and_print(visit, plan, project):
    page = visit.page
    visit.goto("/planning/?zone=HHTP")
    map_ready(page)

    # colour by occupancy: the map and the legend change without reloading
    assert page.locator("path[data-code='CN-04']").get_attribute("fill") == "#a1887f"  # land use CNC
    expect(page.locator("[data-legend='occupancy']")).to_be_hidden()
    page.check("input[data-map-colour][value='occupancy']")
    expect(page.locator("[data-legend='occupancy']")).to_be_visible()
    expect(page.locator("[data-legend='land_use']")).to_be_hidden()
    assert page.locator("path[data-code='CN-04']").get_attribute("fill") == "#7570b3"  # leased
    assert page.locator("path[data-code='CN-01']").get_attribute("fill") == "#1b9e77"  # vacant
    assert "colour=occupancy" in page.url

    # search by code, without its accent, in lower case: the map zooms to it and shows its card
    page.fill("#parcel-q", "dv 01")
    with page.expect_navigation():
        page.click("form.map-search button[type=submit]")
    map_ready(page)
    expect(page.locator("#parcel-panel [data-parcel-card='ĐV-01']")).to_be_visible()
    expect(page.locator("path[data-code='ĐV-01']")).to_have_class("leaflet-interactive parcel-shape is-selected")
    assert page.locator("input[data-map-colour][value='occupancy']").is_checked()  # the colouring was kept

    # zoomed out to its neighbour, the leased parcel's card says who leases it
    for _ in range(4):
        page.click(".leaflet-control-zoom-out")
        page.wait_for_timeout(300)  # the zoom animation
    page.locator("path[data-code='CN-04']").click()
    card = page.locator("#parcel-panel [data-parcel-card='CN-04']")
    expect(card).to_contain_text(project.enterprise.name)
    expect(card.locator(f"a[href='/projects/{project.code}/']")).to_be_visible()

    # printed: the map and the legend, no forms or map controls
    page.emulate_media(media="print")
    expect(page.locator("#planning-map")).to_be_visible()
    expect(page.locator(".map-legend")).to_be_visible()
    expect(page.locator("form.map-search")).to_be_hidden()
    expect(page.locator(".finder")).to_be_hidden()
    expect(page.locator(".leaflet-control-zoom")).to_be_hidden()
    visit.shot("planning-map-print")
    page.emulate_media(media="screen")

    assert visit.errors == []
    assert visit.foreign_requests() == []


def test_the_finder_works_without_javascript(browser, live_server, plan):
    context = browser.new_context(locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/planning/?zone=HHTP")
    page.fill("#id_min_ha", "2")
    page.check("#id_ready")
    with page.expect_navigation():
        page.click("form.finder-form button[type=submit]")
    rows = page.locator("table.finder-table tbody tr")
    expect(rows).to_have_count(2)  # CN-02 has power only
    assert rows.evaluate_all("rows => rows.map(r => r.dataset.code)") == ["CN-01", "PM-01"]
    expect(page.locator("button[data-show-parcel]").first).to_be_hidden()  # a map-only button
    with page.expect_navigation():
        page.click("table.finder-table a[href='/planning/parcels/HHTP/PM-01/']")
    expect(page.locator("h1 [data-parcel-code]")).to_have_text("PM-01")
    assert all(u.startswith(live_server.url + "/") for u in requests)
    context.close()
