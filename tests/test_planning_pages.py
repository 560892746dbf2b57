"""The public planning map and parcel cards, through Django's test client on a real database.

The plan of one zone is written through the services: a boundary, a functional area and
parcels of every kind (vacant ones just above and just below 2 ha, one leased with a lease price
and an internal note, a public green space), plus a revision that comes into force only
tomorrow. What a visitor notices is checked: what the map, its data and the cards show, what the
vacant-land finder lists (against a brute-force check over every parcel), and what they never
show (prices, notes, tomorrow's plan).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from shapely.geometry import box

from zonedesk.planning import geometry, selectors, services
from zonedesk.planning.models import INFRASTRUCTURE, Parcel
from zonedesk.planning.services import Feature

pytestmark = pytest.mark.django_db

# VN-2000 / TM-3 105°00' (EPSG:5897) metres near Hoa Lac; grid metres are 0.9999 of true ones
X0, Y0 = 552_000, 2_323_000
READY = dict.fromkeys(INFRASTRUCTURE, True)
PRICE = "1.250.000"
NOTE = "Đang đàm phán giá thuê với nhà đầu tư"
FUTURE_CODE = "TL-99"


def square(x: float, y: float, side: float):
    return geometry.to_wgs84(box(x, y, x + side, y + side), 5897)


def parcel(code: str, x: float, side: float, land_use: str = "CNC", **props) -> Feature:
    return Feature(geometry=square(X0 + x, Y0, side), code=code, properties={"land_use": land_use, **props})


def parcels(project) -> list[Feature]:
    return [
        parcel("CN-01", 0, 200, **READY),  # 4 ha, vacant, ready
        parcel("CN-02", 250, 150, power=True),  # 2.25 ha, vacant, power only
        parcel("PM-01", 450, 160, land_use="PM", **READY),  # 2.56 ha, vacant, ready
        parcel("CN-03", 650, 100, **READY),  # 1 ha, vacant
        parcel("ĐV-01", 800, 141, land_use="DV", **READY),  # 1.99 ha, vacant: just below 2 ha
        parcel(
            "CN-04",
            1000,
            200,
            occupancy="leased",
            project=project.code,
            lease_price_vnd_m2=PRICE,
            private_note=NOTE,
            **READY,
        ),
        parcel("CX-01", 1250, 150, land_use="CX", occupancy="public"),
    ]


@pytest.fixture
def plan(zone, board_user, project):
    today = timezone.localdate()
    in_force = today - dt.timedelta(days=30)
    services.revision_create(
        zone=zone,
        layer="boundary",
        features=[Feature(geometry=square(-100, -100, 1600))],
        effective_date=in_force,
        by=board_user,
    )
    services.revision_create(
        zone=zone,
        layer="areas",
        features=[
            Feature(
                geometry=square(-50, -50, 1450), code="A1", properties={"land_use": "CNC", "name": "Khu công nghiệp"}
            )
        ],
        effective_date=in_force,
        by=board_user,
    )
    services.revision_create(
        zone=zone, layer="parcels", features=parcels(project), effective_date=in_force, by=board_user
    )
    # tomorrow's plan: the public must not see it yet
    services.revision_create(
        zone=zone,
        layer="parcels",
        features=[*parcels(project), parcel(FUTURE_CODE, 1500, 300, **READY)],
        effective_date=today + dt.timedelta(days=1),
        by=board_user,
    )
    return zone


def listed(html: str) -> list[str]:
    """The codes of the finder's result rows, in order."""
    return re.findall(r'<tr data-code="([^"]+)"', html)


def config(html: str) -> dict:
    match = re.search(r'<script id="planning-map-config" type="application/json">(.*?)</script>', html, re.S)
    assert match, "no map configuration"
    return json.loads(match.group(1))


def vn(value: Decimal, decimals: int) -> str:
    """A number written the Vietnamese way (115.500,25)."""
    text = f"{value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP):,.{decimals}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


# --- the map page -------------------------------------------------------------------------


def test_the_map_page_is_public_and_loads_its_scripts_from_the_app(client, plan):
    response = client.get("/planning/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Khu Công nghệ cao Hòa Lạc" in html
    assert 'href="/planning/"' in html and 'aria-current="page"' in html  # the site navigation
    # the vendored Leaflet and our own script; no inline script (data comes with json_script)
    assert "/static/vendor/leaflet/leaflet.js" in html and "/static/vendor/leaflet/leaflet.css" in html
    assert "/static/zonedesk/planning-map.js" in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "//unpkg" not in html and "cdn" not in html.lower()
    cfg = config(html)
    assert cfg["url"] == "/planning/map.json?zone=HHTP"
    assert cfg["tiles"] is None  # no base map unless configured
    assert cfg["land_use_colors"]["CNC"] == "#a1887f"
    # the legend counts the parcels in force (7) by land use and by occupancy
    assert 'data-legend-item="CNC"' in html and 'data-legend-item="vacant"' in html
    legend = response.context["legend"]
    assert legend["count"] == 7
    by_occupancy = {row["code"]: row["parcels"].value for row in legend["occupancy"]}
    assert by_occupancy == {"vacant": 5, "leased": 1, "public": 1}  # no row for an occupancy with no parcel


def legend_rows(html: str, colour: str) -> dict[str, tuple[str, str]]:
    """The rows of one colouring's legend as the page shows them: code -> (name, parcels)."""
    part = re.search(rf'<div data-legend="{colour}".*?</div>', html, re.S).group(0)
    rows = re.findall(
        r'<tr data-legend-item="([^"]+)"><th scope="row">.*?</svg>\s*(.*?)</th><td class="num">([^<]*)</td>', part, re.S
    )
    return {code: (re.sub(r"<[^>]+>", "", name).strip(), parcels) for code, name, parcels in rows}


def test_the_legend_shows_only_the_land_uses_and_occupancies_on_the_map_with_their_parcels(client, plan, board_user):
    # a functional area of education and training: no parcel has that use
    services.revision_create(
        zone=plan,
        layer="areas",
        features=[
            Feature(
                geometry=square(-50, -50, 700), code="A1", properties={"land_use": "CNC", "name": "Khu công nghiệp"}
            ),
            Feature(geometry=square(700, -50, 700), code="A2", properties={"land_use": "GD", "name": "Khu giáo dục"}),
        ],
        effective_date=timezone.localdate() - dt.timedelta(days=10),
        by=board_user,
    )
    html = client.get("/planning/").content.decode()
    uses = legend_rows(html, "land_use")
    assert {code: parcels for code, (_name, parcels) in uses.items()} == {"CNC": "4", "PM": "1", "DV": "1", "CX": "1"}
    assert "GD" not in uses and 'data-legend-item="GD"' not in html
    # but its tint on the map has its entry, under the functional areas (never a colour without a name)
    assert re.findall(r'data-legend-area-use="([^"]+)"', html) == ["GD"]
    entry = re.search(r'data-legend-area-use="GD">(.*?)</li>', html, re.S).group(1)
    assert "Giáo dục" in entry or "giáo dục" in entry
    occupancy = legend_rows(html, "occupancy")
    assert {code: parcels for code, (_name, parcels) in occupancy.items()} == {
        "vacant": "5",
        "leased": "1",
        "public": "1",
    }
    assert all(name and name != code for code, (name, _parcels) in {**uses, **occupancy}.items())  # names shown


def test_an_unknown_zone_is_not_found(client, plan):
    assert client.get("/planning/?zone=NOPE").status_code == 404
    assert client.get("/planning/map.json?zone=NOPE").status_code == 404
    assert client.get("/planning/map.json").status_code == 404
    assert client.get("/planning/?zone=HHTP").status_code == 200


def test_a_zone_code_in_any_case_leads_to_the_canonical_address(client, plan):
    response = client.get("/planning/", {"zone": "hhtp", "q": "CN-01", "colour": "occupancy"})
    assert response.status_code == 302
    assert response["Location"] == "/planning/?zone=HHTP&q=CN-01&colour=occupancy"  # the rest of the query kept
    assert client.get(response["Location"]).context["selected"]["code"] == "CN-01"
    assert client.get("/planning/map.json", {"zone": "hhtp"}).json()["zone"] == "HHTP"  # data, not a page

    response = client.get("/planning/parcels/hhtp/CN-01/")
    assert response.status_code == 302 and response["Location"] == "/planning/parcels/HHTP/CN-01/"
    assert client.get(response["Location"]).status_code == 200
    response = client.get("/planning/parcels/Hhtp/ĐV-01/")
    assert response.status_code == 302 and response["Location"] == "/planning/parcels/HHTP/%C4%90V-01/"
    card = client.get("/planning/cards/hhtp/CN-01/")  # a fragment the map loads: served as it is
    assert card.status_code == 200 and 'data-parcel-card="CN-01"' in card.content.decode()
    assert client.get("/planning/parcels/nope/CN-01/").status_code == 404
    assert client.get("/planning/cards/hhtp/cn-01/").status_code == 404  # a parcel code keeps its case


def test_the_map_page_of_a_zone_without_a_plan(client, zone, other_zone):
    response = client.get("/planning/?zone=KCNTL")
    assert response.status_code == 200
    assert response.context["legend"]["count"] == 0


def test_the_optional_base_map_comes_from_the_setting(client, plan, settings):
    settings.MAP_TILE_URL = "https://tiles.example.gov.vn/{z}/{x}/{y}.png"
    settings.MAP_TILE_ATTRIBUTION = "© Cục Đo đạc"
    cfg = config(client.get("/planning/").content.decode())
    assert cfg["tiles"] == {"url": "https://tiles.example.gov.vn/{z}/{x}/{y}.png", "attribution": "© Cục Đo đạc"}


# --- the map's data -----------------------------------------------------------------------


def test_the_map_data_is_the_plan_in_force_with_public_fields_only(client, plan, project):
    response = client.get("/planning/map.json?zone=HHTP")
    assert response.status_code == 200
    data = response.json()
    layers = data["layers"]
    assert [f["properties"]["zone"] for f in layers["boundary"]["features"]] == ["HHTP"]
    assert [f["properties"]["code"] for f in layers["areas"]["features"]] == ["A1"]
    codes = sorted(f["properties"]["code"] for f in layers["parcels"]["features"])
    assert codes == sorted(["CN-01", "CN-02", "CN-03", "CN-04", "CX-01", "PM-01", "ĐV-01"])
    for f in layers["parcels"]["features"]:
        assert set(f["properties"]) == set(selectors.PUBLIC_FIELDS["parcels"])
        assert f["geometry"]["type"] == "Polygon"
    leased = next(f["properties"] for f in layers["parcels"]["features"] if f["properties"]["code"] == "CN-04")
    assert leased["leased_by"] == project.enterprise.name and leased["occupancy"] == "leased"
    body = response.content.decode()
    assert NOTE not in body and "1250000" not in body and "lease_price" not in body and "private_note" not in body
    assert FUTURE_CODE not in body


def test_the_map_data_costs_the_same_queries_however_many_parcels(client, plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/planning/map.json?zone=HHTP")


# --- the vacant-land finder ---------------------------------------------------------------


def brute_force(min_ha: str = "", land_use: str = "", ready: bool = False) -> list[str]:
    """The finder's answer worked out over every parcel stored, without the selectors."""
    today = timezone.localdate()
    in_force = {}
    for p in Parcel.objects.select_related("revision", "land_use"):
        if p.revision.effective_date > today:
            continue
        best = in_force.get(p.zone_id)
        key = (p.revision.effective_date, p.revision.number)
        if best is None or key > best:
            in_force[p.zone_id] = key
    out = []
    for p in Parcel.objects.select_related("revision", "land_use"):
        if (p.revision.effective_date, p.revision.number) != in_force[p.zone_id] or p.occupancy != "vacant":
            continue
        if min_ha and p.area_m2 < Decimal(min_ha.replace(",", ".")) * 10_000:
            continue
        if land_use and p.land_use.code != land_use:
            continue
        if ready and not all(getattr(p, n) for n in INFRASTRUCTURE):
            continue
        out.append(p)
    return [p.code for p in sorted(out, key=lambda p: (-p.area_m2, p.code))]


@pytest.mark.parametrize(
    "criteria",
    [
        {},
        {"min_ha": "2"},
        {"min_ha": "2", "ready": "on"},
        {"min_ha": "2,5"},
        {"min_ha": "2.5"},
        {"land_use": "CNC"},
        {"land_use": "CNC", "min_ha": "1"},
        {"min_ha": "1", "ready": "on"},
        {"min_ha": "50"},
    ],
)
def test_the_finder_lists_what_a_brute_force_check_finds(client, plan, criteria):
    html = client.get("/planning/", {"zone": "HHTP", "find": "1", **criteria}).content.decode()
    expected = brute_force(criteria.get("min_ha", ""), criteria.get("land_use", ""), bool(criteria.get("ready")))
    assert listed(html) == expected
    assert config(html)["matches"] == expected  # highlighted on the map
    assert FUTURE_CODE not in html


@pytest.mark.parametrize("typed", ["1e3", "-1", "100001"])
def test_the_finder_never_guesses_an_area(client, plan, typed):
    """Read as every decimal is (core.inputs): "1e3" is not a thousand hectares."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/planning/", {"zone": "HHTP", "find": "1", "min_ha": typed}).content.decode()
    assert "Enter the area as a number of hectares" in html or "Enter an area between 0 and 100,000 ha." in html


def test_the_finder_at_2_ha(client, plan):
    html = client.get("/planning/", {"zone": "HHTP", "find": "1", "min_ha": "2"}).content.decode()
    # 1.99 ha is below the line, leased land is never offered
    assert listed(html) == ["CN-01", "PM-01", "CN-02"]
    assert 'href="/planning/parcels/HHTP/CN-01/"' in html


def test_the_finder_refuses_an_area_that_is_not_a_number(client, plan):
    response = client.get("/planning/", {"zone": "HHTP", "find": "1", "min_ha": "hai"})
    assert response.status_code == 200
    assert response.context["finder_form"].errors["min_ha"]
    assert listed(response.content.decode()) == []
    assert config(response.content.decode())["matches"] is None
    response = client.get("/planning/", {"zone": "HHTP", "find": "1", "min_ha": "-1"})
    assert response.context["finder_form"].errors["min_ha"]


def error_shown(html: str, form, name: str) -> bool:
    """The field's error is on the page next to its field, announced and tied to the input."""
    message = escape(form.errors[name][0])
    error_id = f"{form[name].auto_id}_error"
    listed = re.search(rf'<ul class="errorlist" id="{error_id}" role="alert"><li>([^<]*)</li>', html)
    input_tag = re.search(rf'<(input|select)\b[^>]*aria-describedby="{error_id}"[^>]*>', html)
    return (
        bool(listed) and listed.group(1) == message and bool(input_tag) and 'aria-invalid="true"' in input_tag.group(0)
    )


@pytest.mark.parametrize(
    ("criteria", "field"),
    [
        ({"min_ha": "hai"}, "min_ha"),
        ({"min_ha": "-1"}, "min_ha"),
        ({"min_ha": "1e9"}, "min_ha"),  # absurd: more than any zone
        ({"min_ha": "NaN"}, "min_ha"),
        ({"land_use": "XYZ"}, "land_use"),
    ],
)
def test_the_finder_shows_what_is_wrong_with_its_fields(client, plan, criteria, field):
    response = client.get("/planning/", {"zone": "HHTP", "find": "1", **criteria})
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["finder_form"]
    assert list(form.errors) == [field]
    assert error_shown(html, form, field)
    assert listed(html) == [] and config(html)["matches"] is None  # nothing searched with a bad criterion


def test_a_search_longer_than_a_code_says_so(client, plan):
    typed = "CN-01" + "x" * 40
    response = client.get("/planning/", {"zone": "HHTP", "q": typed})
    assert response.status_code == 200
    html = response.content.decode()
    form = response.context["search_form"]
    assert "q" in form.errors and error_shown(html, form, "q")
    assert f'value="{typed}"' in html  # kept in the field, to correct
    assert response.context["selected"] is None and response.context["candidates"] == []
    # a search within the limit shows no error
    html = client.get("/planning/", {"zone": "HHTP", "q": "CN-01"}).content.decode()
    assert 'class="errorlist"' not in html and "aria-invalid" not in html


def test_the_colouring_choices_are_the_ones_the_view_knows(client, plan):
    html = client.get("/planning/", {"zone": "HHTP", "colour": "occupancy"}).content.decode()
    radios = re.findall(r'<input type="radio" name="colour" value="(\w+)" data-map-colour( checked)?>', html)
    assert radios == [("land_use", ""), ("occupancy", " checked")]
    html = client.get("/planning/", {"zone": "HHTP", "colour": "price"}).content.decode()
    assert re.findall(r'value="(\w+)" data-map-colour checked', html) == ["land_use"]  # unknown: land use


def test_without_the_finder_nothing_is_highlighted(client, plan):
    html = client.get("/planning/").content.decode()
    assert config(html)["matches"] is None and listed(html) == []


# --- search by parcel code ----------------------------------------------------------------


@pytest.mark.parametrize("typed", ["ĐV-01", "đv-01", "DV-01", "dv 01", " Dv01 "])
def test_search_by_code_ignores_accents_case_and_dashes(client, plan, typed):
    response = client.get("/planning/", {"zone": "HHTP", "q": typed})
    html = response.content.decode()
    assert config(html)["selected"] == "ĐV-01"  # the map zooms to it
    assert 'data-parcel-card="ĐV-01"' in html  # and its card is open beside the map


def test_search_lists_the_codes_that_contain_what_was_typed(client, plan):
    response = client.get("/planning/", {"zone": "HHTP", "q": "cn0"})
    assert [c["code"] for c in response.context["candidates"]] == ["CN-01", "CN-02", "CN-03", "CN-04"]
    assert config(response.content.decode())["selected"] == ""
    response = client.get("/planning/", {"zone": "HHTP", "q": "zz-77"})
    assert response.context["candidates"] == [] and response.context["selected"] is None
    assert "zz-77" in response.content.decode()


def test_search_does_not_find_parcels_of_a_plan_not_yet_in_force(client, plan):
    response = client.get("/planning/", {"zone": "HHTP", "q": FUTURE_CODE})
    assert response.context["selected"] is None and response.context["candidates"] == []


# --- the parcel card ----------------------------------------------------------------------


def test_the_parcel_card_page(client, plan, project):
    area = Parcel.objects.filter(code="CN-04").first().area_m2
    response = client.get("/planning/parcels/HHTP/CN-04/")
    assert response.status_code == 200
    html = response.content.decode()
    assert vn(area / 10_000, 2) + " ha" in html and vn(area, 0) + " m²" in html  # 4,00 ha (40.008 m²)
    assert project.code in html and project.enterprise.name in html  # who leases it is public
    assert f'href="/projects/{project.code}/"' in html
    assert 'data-network="power"' in html
    assert 'id="parcel-map-config"' in html
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_the_parcel_card_shows_the_building_limits(client, plan, board_user, zone):
    services.revision_create(
        zone=zone,
        layer="parcels",
        features=[parcel("NC-01", 0, 100, land_use="NC", max_density_pct="40", max_height_m="45.5", max_far="1.25")],
        effective_date=timezone.localdate(),
        by=board_user,
    )
    html = client.get("/planning/cards/HHTP/NC-01/").content.decode()
    assert "40%" in html and "45,5 m" in html and "1,25" in html


def test_unknown_parcels_are_not_found(client, plan):
    assert client.get("/planning/parcels/HHTP/NOPE/").status_code == 404
    assert client.get("/planning/parcels/NOPE/CN-01/").status_code == 404
    assert client.get("/planning/cards/HHTP/NOPE/").status_code == 404
    assert client.get(f"/planning/parcels/HHTP/{FUTURE_CODE}/").status_code == 404  # not yet in force
    assert client.get(f"/planning/cards/HHTP/{FUTURE_CODE}/").status_code == 404
    assert client.get("/planning/parcels/HHTP/ĐV-01/").status_code == 200


def test_the_card_fragment_is_the_card_alone(client, plan):
    response = client.get("/planning/cards/HHTP/CN-01/")
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'data-parcel-card="CN-01"' in html and 'href="/planning/parcels/HHTP/CN-01/"' in html


def test_prices_and_notes_are_never_public(client, plan):
    pages = [
        "/planning/",
        "/planning/?zone=HHTP&q=CN-04",
        "/planning/?zone=HHTP&find=1",
        "/planning/map.json?zone=HHTP",
        "/planning/parcels/HHTP/CN-04/",
        "/planning/cards/HHTP/CN-04/",
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert NOTE not in body and PRICE not in body and "1250000" not in body, url


def test_the_board_reads_the_price_and_note_on_the_parcel_page(client, plan, board_user):
    client.force_login(board_user)
    html = client.get("/planning/parcels/HHTP/CN-04/").content.decode()
    assert NOTE in html and PRICE in html
    # the map and its data stay public-only, whoever looks
    assert NOTE not in client.get("/planning/map.json?zone=HHTP").content.decode()
    assert NOTE not in client.get("/planning/cards/HHTP/CN-04/").content.decode()
