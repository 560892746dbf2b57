"""OGC API – Features and the layer downloads, as a GIS user meets them.

A generated plan of a few hundred parcels in two zones (squares, diamonds, triangles and
multipolygons on a grid, so that a bounding box alone would select too much) is read back
through the API and compared with a brute-force check over every parcel; paging follows the
`next` links to the end; the downloads open again with pyogrio, csv and Shapely; OWSLib, a
third-party client, lists the collections and reads every parcel from a live server.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import random
from urllib.parse import parse_qs, urlsplit

import pytest
import shapely
from django.urls import reverse
from django.utils import timezone
from pyogrio import raw
from shapely import wkt
from shapely.geometry import MultiPolygon, Polygon, box, shape

from zonedesk.planning import selectors, services
from zonedesk.planning.models import Occupancy
from zonedesk.planning.services import Feature

pytestmark = pytest.mark.django_db

CELL = 0.002  # degrees, about 200 m
ORIGINS = {"HHTP": (105.500, 21.000, 16, 12), "KCNTL": (105.800, 21.100, 12, 10)}  # west, south, columns, rows
USES = ["CNC", "PM", "NC", "DV", "CX", "HT"]
PRICE = 987_654_321
NOTE = "GHI-CHU-NOI-BO: giá thuê đang đàm phán"
ODD_CODE = "LO B/3"  # a space and a slash: the feature id must survive the URL
CURRENT = dt.date(2024, 1, 1)
OLD = dt.date(2022, 1, 1)


def shape_at(x: float, y: float, n: int):
    """A parcel in the cell whose south-west corner is (x, y): varied shapes, some of which
    leave most of their bounding box empty."""
    m, s = CELL * 0.1, CELL * 0.8
    kind = n % 4
    if kind == 0:
        return box(x + m, y + m, x + m + s, y + m + s)
    if kind == 1:  # diamond: its bounding-box corners are empty
        cx, cy, r = x + CELL / 2, y + CELL / 2, s / 2
        return Polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)])
    if kind == 2:  # triangle: the north-east half of its bounding box is empty
        return Polygon([(x + m, y + m), (x + m + s, y + m), (x + m, y + m + s)])
    half = s * 0.45
    return MultiPolygon(
        [box(x + m, y + m, x + m + half, y + m + half), box(x + m + s - half, y + m + s - half, x + m + s, y + m + s)]
    )


def parcels_of(zone_code: str, projects: list, prefix: str = "CN") -> list[Feature]:
    west, south, cols, rows = ORIGINS[zone_code]
    features = []
    n = 0
    for row in range(rows):
        for col in range(cols):
            occupancy = Occupancy.values[n % len(Occupancy.values)]
            props = {
                "land_use": USES[(row + 2 * col) % len(USES)],
                "occupancy": occupancy,
                "max_density_pct": "60" if n % 3 else None,
                "max_height_m": "45.5" if n % 2 else None,
                "power": n % 2 == 0,
                "water": n % 3 != 0,
                "drainage": True,
                "telecom": n % 5 != 0,
            }
            if occupancy in {"leased", "reserved"} and projects:
                props["project"] = projects[n % len(projects)].code
                props["lease_price_vnd_m2"] = str(PRICE)
                props["private_note"] = NOTE
            code = ODD_CODE if (zone_code == "HHTP" and n == 7) else f"{prefix}-{row:02d}{col:02d}"
            features.append(
                Feature(geometry=shape_at(west + col * CELL, south + row * CELL, n), code=code, properties=props)
            )
            n += 1
    return features


def outline(zone_code: str):
    west, south, cols, rows = ORIGINS[zone_code]
    return box(west - CELL, south - CELL, west + (cols + 1) * CELL, south + (rows + 1) * CELL)


@pytest.fixture
def plan(zone, other_zone, board_user, make_project):
    """Two zones with their boundary, four functional areas each and a grid of parcels in force,
    an older parcel revision of Hoa Lac and one that only comes into force next month."""
    projects = {z.code: [make_project(zone=z) for _ in range(3)] for z in (zone, other_zone)}
    today = timezone.localdate()
    for z in (zone, other_zone):
        services.revision_create(
            zone=z,
            layer="boundary",
            features=[Feature(geometry=outline(z.code))],
            effective_date=CURRENT,
            by=board_user,
        )
        west, south, cols, rows = ORIGINS[z.code]
        half_w, half_h = cols * CELL / 2, rows * CELL / 2
        areas = [
            Feature(
                geometry=box(west + i * half_w, south + j * half_h, west + (i + 1) * half_w, south + (j + 1) * half_h),
                code=f"K{i}{j}",
                properties={"land_use": USES[i + 2 * j], "name": f"Khu {i}{j}"},
            )
            for i in range(2)
            for j in range(2)
        ]
        services.revision_create(zone=z, layer="areas", features=areas, effective_date=CURRENT, by=board_user)
    services.revision_create(
        zone=zone, layer="parcels", features=parcels_of("HHTP", [], prefix="OLD"), effective_date=OLD, by=board_user
    )
    for z in (zone, other_zone):
        services.revision_create(
            zone=z,
            layer="parcels",
            features=parcels_of(z.code, projects[z.code]),
            effective_date=CURRENT,
            by=board_user,
        )
    services.revision_create(
        zone=zone,
        layer="parcels",
        features=parcels_of("HHTP", [], prefix="FUTURE"),
        effective_date=today + dt.timedelta(days=30),
        by=board_user,
    )
    return projects


def all_parcels() -> list[dict]:
    """Every parcel in force, straight from the selector, in the collection's order."""
    return [
        {
            "id": f"{p.zone.code}-{p.code}",
            "geometry": shape(json.loads(p.geometry)),
            **selectors.properties(p, "parcels"),
        }
        for p in selectors.current_features("parcels")
    ]


def get_json(client, url: str, **params):
    response = client.get(url, params, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    return response.json()


def items_url(collection: str = "parcels") -> str:
    return reverse("ogc_items", args=[collection])


def test_the_landing_page_conformance_and_the_api_definition(client, plan):
    landing = get_json(client, "/ogc/")
    rels = {link["rel"]: link for link in landing["links"]}
    assert {"self", "alternate", "service-desc", "conformance", "data"} <= rels.keys()
    assert rels["self"]["href"].startswith("http://testserver/ogc/")
    assert rels["service-desc"]["type"] == "application/vnd.oai.openapi+json;version=3.0"

    conformance = get_json(client, "/ogc/conformance")["conformsTo"]
    for part in ("core", "geojson", "html", "oas30"):
        assert f"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/{part}" in conformance

    response = client.get(rels["service-desc"]["href"])
    assert response["Content-Type"] == "application/vnd.oai.openapi+json;version=3.0"
    document = response.json()
    assert document["openapi"].startswith("3.0")
    assert {
        "/",
        "/conformance",
        "/collections",
        "/collections/parcels/items",
        "/collections/parcels/items/{featureId}",
    } <= set(document["paths"])
    params = {p.get("name") for p in document["paths"]["/collections/parcels/items"]["get"]["parameters"]}
    assert {"zone", "code", "land_use", "occupancy", "project"} <= params

    def refs(node):
        if isinstance(node, dict):
            if "$ref" in node:
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(document):  # every reference of the document resolves
        target = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]

    # the HTML documentation is a page of the site
    page = client.get("/ogc/api", {"f": "html"})
    assert page["Content-Type"].startswith("text/html")
    assert b"/collections/parcels/items" in page.content


def test_collections_describe_the_three_layers_with_their_extent(client, plan):
    data = get_json(client, "/ogc/collections")
    assert [c["id"] for c in data["collections"]] == ["zones", "areas", "parcels"]
    parcels = all_parcels()
    bounds = shapely.total_bounds([p["geometry"] for p in parcels])
    for c in data["collections"]:
        assert c["itemType"] == "feature"
        assert c["crs"] == ["http://www.opengis.net/def/crs/OGC/1.3/CRS84"]
        kinds = {(link["rel"], link["type"]) for link in c["links"]}
        assert ("items", "application/geo+json") in kinds and ("items", "text/html") in kinds
        assert {t for rel, t in kinds if rel == "enclosure"} == {
            "application/geo+json",
            "application/geopackage+sqlite3",
            "application/vnd.google-earth.kml+xml",
            "text/csv",
        }
    one = get_json(client, "/ogc/collections/parcels")
    assert one["extent"]["spatial"]["bbox"][0] == pytest.approx(list(bounds))
    assert one["extent"]["temporal"]["interval"][0][0].startswith(f"{OLD:%Y-%m-%d}")


def test_bbox_selects_exactly_the_parcels_whose_geometry_intersects_it(client, plan):
    parcels = all_parcels()
    assert len(parcels) == 16 * 12 + 12 * 10
    rng = random.Random(20261123)
    boxes = []
    for _ in range(80):  # over a zone's grid, from a fraction of a cell to most of the grid
        west, south, cols, rows = ORIGINS[rng.choice(list(ORIGINS))]
        w, h = (CELL * 10 ** rng.uniform(-1.3, 1) for _ in "wh")
        x, y = rng.uniform(west - CELL, west + cols * CELL), rng.uniform(south - CELL, south + rows * CELL)
        boxes.append((x, y, x + w, y + h))
    # the empty corner of a diamond's bounding box, the empty half of a triangle's, and everything
    west, south = ORIGINS["HHTP"][:2]
    boxes += [
        (west + CELL + CELL * 0.11, south + CELL * 0.11, west + CELL + CELL * 0.2, south + CELL * 0.2),
        (west + 2 * CELL + CELL * 0.7, south + CELL * 0.7, west + 2 * CELL + CELL * 0.85, south + CELL * 0.85),
        (-180, -90, 180, 90),
    ]
    bbox_only_differs = 0
    for b in boxes:
        area = box(*b)
        expected = [p["id"] for p in parcels if p["geometry"].intersects(area)]
        by_bounds = [p["id"] for p in parcels if box(*p["geometry"].bounds).intersects(area)]
        bbox_only_differs += expected != by_bounds
        data = get_json(client, items_url(), bbox=",".join(map(str, b)), limit=1000)
        assert [f["id"] for f in data["features"]] == expected, b
        assert data["numberMatched"] == data["numberReturned"] == len(expected)
    assert bbox_only_differs >= 10  # the exact test is what makes these answers right


def test_property_filters_alone_and_with_a_bbox_match_a_brute_force_check(client, plan):
    parcels = all_parcels()
    project = plan["HHTP"][0].code
    cases = [
        {"zone": "KCNTL"},
        {"land_use": "CNC"},
        {"occupancy": "vacant"},
        {"occupancy": "leased", "zone": "HHTP"},
        {"project": project},
        {"code": "CN-0305"},
        {"code": ODD_CODE},
        {"land_use": "PM", "occupancy": "reserved"},
        {"land_use": "NOPE"},
    ]
    west, south = ORIGINS["HHTP"][:2]
    area = (west + 2.5 * CELL, south + 1.5 * CELL, west + 9.3 * CELL, south + 7.7 * CELL)
    for filters in cases:
        for bbox in (None, area):
            expected = [
                p["id"]
                for p in parcels
                if all(p[k] == v for k, v in filters.items()) and (bbox is None or p["geometry"].intersects(box(*bbox)))
            ]
            params = {**filters, "limit": 1000, **({"bbox": ",".join(map(str, bbox))} if bbox else {})}
            data = get_json(client, items_url(), **params)
            assert [f["id"] for f in data["features"]] == expected, params
            assert data["numberMatched"] == len(expected)
    assert any(p["project"] == project for p in parcels)

    # the other collections filter on their own fields
    areas = get_json(client, items_url("areas"), zone="HHTP", land_use=USES[1])
    assert [f["id"] for f in areas["features"]] == ["HHTP-K10"]
    zones = get_json(client, items_url("zones"), zone="KCNTL")
    assert [f["id"] for f in zones["features"]] == ["KCNTL"]


def follow(client, url: str, **params) -> tuple[list[str], list[dict]]:
    """Every feature id from the first page through the `next` links, and every page."""
    pages, ids = [], []
    response = client.get(url, params, HTTP_ACCEPT="application/geo+json")
    while True:
        assert response.status_code == 200
        assert response["Content-Type"] == "application/geo+json"
        page = response.json()
        pages.append(page)
        ids += [f["id"] for f in page["features"]]
        nxt = [link for link in page["links"] if link["rel"] == "next"]
        if not nxt:
            return ids, pages
        assert nxt[0]["href"].startswith("http://testserver/ogc/collections/")
        response = client.get(nxt[0]["href"])


def test_paging_through_every_parcel_with_next_links(client, plan):
    parcels = all_parcels()
    ids, pages = follow(client, items_url(), limit=37)
    assert ids == [p["id"] for p in parcels]
    assert len(pages) == -(-len(parcels) // 37)
    for n, page in enumerate(pages):
        assert page["numberMatched"] == len(parcels)
        assert page["numberReturned"] == len(page["features"]) <= 37
        assert page["timeStamp"].endswith("Z")
        rels = [link["rel"] for link in page["links"]]
        assert ("prev" in rels) == (n > 0)
        assert "self" in rels and "alternate" in rels and "collection" in rels
    prev = next(link for link in pages[2]["links"] if link["rel"] == "prev")
    assert parse_qs(urlsplit(prev["href"]).query)["offset"] == ["37"]

    # paging through a bbox cuts the pages from the exact answer
    west, south = ORIGINS["HHTP"][:2]
    bbox = (west + 0.5 * CELL, south + 0.5 * CELL, west + 12.5 * CELL, south + 9.5 * CELL)
    expected = [p["id"] for p in parcels if p["geometry"].intersects(box(*bbox))]
    ids, pages = follow(client, items_url(), limit=9, bbox=",".join(map(str, bbox)))
    assert ids == expected and len(ids) > 50
    assert all(page["numberMatched"] == len(expected) for page in pages)

    # a limit above the maximum is served as the maximum, not refused
    data = get_json(client, items_url(), limit=5000)
    assert data["numberReturned"] == len(parcels)
    self_link = next(link for link in data["links"] if link["rel"] == "self")
    assert parse_qs(urlsplit(self_link["href"]).query)["limit"] == ["1000"]
    # an offset past the end is an empty page
    data = get_json(client, items_url(), offset=10_000)
    assert data["features"] == [] and data["numberMatched"] == len(parcels)


def test_a_single_feature_and_what_is_not_found(client, plan):
    parcel = next(p for p in all_parcels() if p["code"] == ODD_CODE)
    url = reverse("ogc_item", args=["parcels", parcel["id"]])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/geo+json"
    feature = response.json()
    assert feature["id"] == "HHTP-LO B/3"
    assert shape(feature["geometry"]).equals_exact(parcel["geometry"], 1e-9)
    assert feature["properties"]["code"] == ODD_CODE
    assert {link["rel"] for link in feature["links"]} >= {"self", "alternate", "collection"}

    assert get_json(client, reverse("ogc_item", args=["zones", "KCNTL"]))["properties"]["zone"] == "KCNTL"
    assert get_json(client, reverse("ogc_item", args=["areas", "HHTP-K01"]))["properties"]["name"] == "Khu 01"

    for url in (
        "/ogc/collections/roads",
        "/ogc/collections/roads/items",
        "/ogc/collections/parcels/items/HHTP-NOPE",
        "/ogc/collections/parcels/items/HHTP-OLD-0000",  # superseded
        "/ogc/collections/parcels/items/HHTP-FUTURE-0000",  # not in force yet
        "/ogc/collections/parcels/items/nodash",
        "/ogc/collections/parcels/download.shp",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["code"] == "NotFound"
    page = client.get("/ogc/collections/parcels/items/HHTP-NOPE", HTTP_ACCEPT="text/html")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "105.5,21,105.6"},
        {"bbox": "a,b,c,d"},
        {"bbox": "105.5,21.1,105.6,21.0"},  # south of north
        {"bbox": "200,21,201,22"},
        {"bbox": "105.5,21,nan,22"},
        {"limit": "0"},
        {"limit": "ten"},
        {"offset": "-1"},
        {"f": "xml"},
        {"datetime": "2024-01-01/2025-01-01"},
        {"datetime": "yesterday"},
        {"sortby": "code"},
        {"leased_price_vnd_m2": "1"},
    ],
)
def test_bad_parameters_are_refused_with_an_ogc_exception(client, plan, params):
    response = client.get(items_url(), params, HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "InvalidParameterValue" and body["description"]


def test_repeated_and_unknown_parameters_elsewhere_are_refused(client, plan):
    assert client.get(items_url() + "?bbox=1,1,2,2&bbox=3,3,4,4").status_code == 400
    assert client.get("/ogc/collections", {"limit": "5"}).status_code == 400
    assert client.get("/ogc/", {"q": "x"}).status_code == 400
    assert client.post(items_url()).status_code == 405


def test_the_plan_in_force_on_a_date(client, plan):
    def codes(**params):
        return {
            f["properties"]["code"]
            for f in get_json(client, items_url(), zone="HHTP", limit=1000, **params)["features"]
        }

    now = codes()
    assert ODD_CODE in now and not any(c.startswith(("OLD-", "FUTURE-")) for c in now)
    assert all(c.startswith("OLD-") or c == ODD_CODE for c in codes(datetime="2023-06-01"))
    assert codes(datetime="2023-06-01T08:00:00+07:00") == codes(datetime="2023-06-01")
    assert codes(datetime="2021-06-01") == set()
    # the public never sees a revision before it is in force, whatever date it asks for
    assert codes(datetime="2099-01-01") == now


def test_content_negotiation_and_html_pages(client, plan):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/ogc/", HTTP_ACCEPT="*/*")["Content-Type"] == "application/json"
    assert client.get("/ogc/")["Content-Type"] == "application/json"
    assert client.get("/ogc/", {"f": "json"}, HTTP_ACCEPT=browser)["Content-Type"] == "application/json"
    landing = client.get("/ogc/", HTTP_ACCEPT=browser)
    assert landing["Content-Type"].startswith("text/html")
    assert "Accept" in landing["Vary"]
    for collection in ("zones", "areas", "parcels"):
        assert reverse("ogc_collection", args=[collection]).encode() in landing.content

    page = client.get(items_url(), {"limit": "10", "occupancy": "vacant", "zone": ""}, HTTP_ACCEPT=browser)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<tr data-id=") == 10
    assert 'rel="next"' in html and "offset=10" in html
    assert 'data-matched="{}"'.format(sum(p["occupancy"] == "vacant" for p in all_parcels())) in html
    for url in (
        "/ogc/collections",
        "/ogc/conformance",
        "/ogc/collections/parcels",
        reverse("ogc_item", args=["parcels", "HHTP-CN-0000"]),
    ):
        response = client.get(url, {"f": "html"})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html"), url
    collection_page = client.get("/ogc/collections/parcels", {"f": "html"}).content.decode()
    for ext in ("geojson", "gpkg", "kml", "csv"):
        assert reverse("ogc_download", args=["parcels", ext]) in collection_page
    bad = client.get(items_url(), {"bbox": "x"}, HTTP_ACCEPT=browser)
    assert bad.status_code == 400 and bad["Content-Type"].startswith("text/html")


def download(client, collection: str, ext: str) -> tuple[bytes, object]:
    response = client.get(reverse("ogc_download", args=[collection, ext]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body, response


def test_public_fields_only_even_for_the_board(client, plan, board_user):
    client.force_login(board_user)
    leased = next(p for p in all_parcels() if p["project"])
    assert leased["leased_by"]  # who leases a parcel is public
    fid = leased["id"]
    bodies = [
        client.get(items_url(), {"limit": 1000}).content,
        client.get(items_url(), {"limit": 1000, "f": "html"}).content,
        client.get(reverse("ogc_item", args=["parcels", fid])).content,
        client.get(reverse("ogc_item", args=["parcels", fid]), {"f": "html"}).content,
        *(download(client, "parcels", ext)[0] for ext in ("geojson", "gpkg", "kml", "csv")),
    ]
    for body in bodies:
        for secret in (
            str(PRICE).encode(),
            f"{PRICE:,}".encode(),
            f"{PRICE:,}".replace(",", ".").encode(),
            b"GHI-CHU",
            b"lease_price",
            b"private_note",
        ):
            assert secret not in body
    feature = client.get(reverse("ogc_item", args=["parcels", fid])).json()
    assert list(feature["properties"]) == selectors.PUBLIC_FIELDS["parcels"]
    # the contract: what outside checks rely on
    assert {"code", "land_use", "area_m2", "occupancy", "zone"} <= feature["properties"].keys()
    assert feature["properties"]["leased_by"] == leased["leased_by"]


def test_downloads_open_back_in_gis_formats(client, plan, tmp_path):
    parcels = all_parcels()
    by_id = {p["id"]: p for p in parcels}

    body, response = download(client, "parcels", "geojson")
    assert response["Content-Type"] == "application/geo+json"
    data = json.loads(body)
    assert [f["id"] for f in data["features"]] == list(by_id)
    assert all(shape(f["geometry"]).equals_exact(by_id[f["id"]]["geometry"], 1e-9) for f in data["features"])

    body, response = download(client, "parcels", "gpkg")
    (tmp_path / "parcels.gpkg").write_bytes(body)
    meta, _fids, geoms, fields = raw.read(tmp_path / "parcels.gpkg")
    columns = dict(zip(meta["fields"], fields, strict=True))
    assert meta["crs"] == "EPSG:4326" and len(geoms) == len(parcels)
    assert list(columns["feature_id"]) == list(by_id) and list(columns["code"]) == [p["code"] for p in parcels]
    assert list(columns["occupancy"]) == [p["occupancy"] for p in parcels]
    for fid, g in zip(columns["feature_id"], shapely.from_wkb(geoms), strict=True):
        assert g.geom_type == "MultiPolygon" and g.equals(by_id[fid]["geometry"])

    body, _response = download(client, "parcels", "kml")
    (tmp_path / "parcels.kml").write_bytes(body)
    meta, _fids, geoms, fields = raw.read(tmp_path / "parcels.kml")
    columns = dict(zip(meta["fields"], fields, strict=True))
    assert len(geoms) == len(parcels)
    assert list(columns["Name"]) == [p["code"] for p in parcels]  # each placemark is labelled with its code

    body, response = download(client, "parcels", "csv")
    assert body.startswith("\ufeff".encode())  # Excel reads the Vietnamese right
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["feature_id"] for r in rows] == list(by_id)
    for r in rows:
        assert wkt.loads(r["wkt"]).equals_exact(by_id[r["feature_id"]]["geometry"], 1e-7)
        assert r["land_use"] == by_id[r["feature_id"]]["land_use"]
        assert r["leased_by"] == (by_id[r["feature_id"]]["leased_by"] or "")

    body, _response = download(client, "zones", "gpkg")
    (tmp_path / "zones.gpkg").write_bytes(body)
    meta, _fids, geoms, fields = raw.read(tmp_path / "zones.gpkg")
    assert list(dict(zip(meta["fields"], fields, strict=True))["zone"]) == ["HHTP", "KCNTL"]


def test_an_empty_layer_downloads_as_an_empty_file(client, db, tmp_path):
    body, _response = download(client, "parcels", "gpkg")
    (tmp_path / "empty.gpkg").write_bytes(body)
    meta, _fids, geoms, _fields = raw.read(tmp_path / "empty.gpkg")
    assert len(geoms) == 0 and "code" in list(meta["fields"])
    assert json.loads(download(client, "parcels", "geojson")[0])["features"] == []
    assert download(client, "parcels", "csv")[0].decode("utf-8-sig").startswith("feature_id,code,")
    data = get_json(client, items_url())
    assert data["numberMatched"] == 0 and data["features"] == []
    assert "extent" not in get_json(client, "/ogc/collections/parcels")


def _five_new_parcels_today(zone, board_user):
    """A new parcels revision of Hoa Lac, in force today: five parcels "NEW-..."."""
    services.revision_create(
        zone=zone,
        layer="parcels",
        features=parcels_of("HHTP", [], prefix="NEW")[:5],
        effective_date=timezone.localdate(),
        by=board_user,
    )


def test_unchanged_answers_are_not_sent_again(client, plan, zone, board_user):
    first = client.get(items_url(), {"zone": "HHTP"})
    etag = first["ETag"]
    assert etag.startswith('W/"') and "max-age" in first["Cache-Control"]
    again = client.get(items_url(), {"zone": "HHTP"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    download_etag = client.get(reverse("ogc_download", args=["parcels", "csv"]))["ETag"]
    assert (
        client.get(reverse("ogc_download", args=["parcels", "csv"]), HTTP_IF_NONE_MATCH=download_etag).status_code
        == 304
    )
    # a new revision in force today changes the answer
    _five_new_parcels_today(zone, board_user)
    changed = client.get(items_url(), {"zone": "HHTP"}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed.json()["numberMatched"] == 5


@pytest.mark.django_db(transaction=True)
def test_owslib_lists_the_collections_and_reads_every_parcel(live_server, plan):
    from owslib.ogcapi.features import Features

    api = Features(f"{live_server.url}/ogc/")
    assert api.feature_collections() == ["zones", "areas", "parcels"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in api.conformance()["conformsTo"]
    assert api.api()["openapi"].startswith("3.0")
    assert api.collection("parcels")["id"] == "parcels"

    ids, offset = [], 0
    while True:
        page = api.collection_items("parcels", limit=50, offset=offset)
        ids += [f["id"] for f in page["features"]]
        assert page["numberMatched"] == len(all_parcels())
        offset += page["numberReturned"]
        if not any(link["rel"] == "next" for link in page["links"]):
            break
    assert ids == [p["id"] for p in all_parcels()]
    west, south = ORIGINS["KCNTL"][:2]
    bbox = [west, south, west + 3 * CELL, south + 2 * CELL]
    some = api.collection_items("parcels", bbox=bbox, occupancy="vacant", limit=100)
    assert [f["id"] for f in some["features"]] == [
        p["id"] for p in all_parcels() if p["occupancy"] == "vacant" and p["geometry"].intersects(box(*bbox))
    ]
    assert api.collection_item("parcels", ids[0])["id"] == ids[0]


def test_a_page_costs_a_few_queries_whatever_its_size(client, plan, django_assert_max_num_queries):
    west, south = ORIGINS["HHTP"][:2]
    bbox = f"{west},{south},{west + 9.5 * CELL},{south + 7.5 * CELL}"
    for params in ({"limit": 1000}, {"limit": 1000, "bbox": bbox, "occupancy": "leased"}):
        get_json(client, items_url(), **params)  # the revisions in force and their extents, now cached
        # the generation of the plan (twice: the ETag, the selection), then the count or the
        # candidates' boxes, the edge geometries, the page
        with django_assert_max_num_queries(5):
            data = get_json(client, items_url(), **params)
        assert data["numberReturned"] > 10, params


def test_a_zone_code_is_taken_in_any_case(client, plan):
    """The zone filter and the feature ids take a zone code in any case; an id in another case
    redirects to the feature's own address, so that links stay canonical."""
    expected = [p["id"] for p in all_parcels() if p["zone"] == "HHTP"]
    for typed in ("HHTP", "hhtp", "Hhtp"):
        data = get_json(client, items_url(), zone=typed, limit=1000)
        assert [f["id"] for f in data["features"]] == expected, typed
        self_link = next(link for link in data["links"] if link["rel"] == "self")
        assert parse_qs(urlsplit(self_link["href"]).query)["zone"] == ["HHTP"]
    assert [f["id"] for f in get_json(client, items_url("zones"), zone="kcntl")["features"]] == ["KCNTL"]
    assert get_json(client, items_url(), zone="nope")["numberMatched"] == 0
    page = client.get(items_url(), {"zone": "hhtp", "f": "html"}).content.decode()
    assert '<option value="HHTP" selected>' in page  # the filter form shows the zone it applied

    for collection, typed, canonical in (
        ("zones", "kcntl", "KCNTL"),
        ("parcels", "hhtp-CN-0305", "HHTP-CN-0305"),
        ("areas", "Hhtp-K01", "HHTP-K01"),
    ):
        response = client.get(reverse("ogc_item", args=[collection, typed]), {"f": "json"})
        assert response.status_code == 302, typed
        assert response["Location"] == reverse("ogc_item", args=[collection, canonical]) + "?f=json"
        assert client.get(response["Location"]).json()["id"] == canonical
    # a parcel code keeps its case
    assert client.get(reverse("ogc_item", args=["parcels", "hhtp-cn-0305"])).status_code == 404


def test_the_url_configuration_does_not_load_gdal():
    """pyogrio (GDAL) is loaded only when a GeoPackage or KML is written or a plan file read, not
    by every process that imports the URLs."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import zonedesk

    src = str(Path(zonedesk.__file__).resolve().parents[1])
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "zonedesk.settings"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    code = "import django, sys; django.setup(); import zonedesk.urls; print('pyogrio' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)  # noqa: S603
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_a_bbox_query_sees_a_new_revision_at_once(client, plan, zone, board_user):
    """Where each revision's parcels lie is cached to narrow a bbox query to the zones it can
    reach: a new revision in force today is seen by the next bbox query."""
    west, south, cols, rows = ORIGINS["HHTP"]
    box_text = f"{west},{south},{west + cols * CELL},{south + rows * CELL}"
    before = client.get(items_url(), {"bbox": box_text, "limit": 1000}).json()
    assert before["numberMatched"] == cols * rows
    _five_new_parcels_today(zone, board_user)
    after = client.get(items_url(), {"bbox": box_text, "limit": 1000}).json()
    assert after["numberMatched"] == 5
    assert {f["properties"]["code"] for f in after["features"]} == {f.code for f in parcels_of("HHTP", [], "NEW")[:5]}
