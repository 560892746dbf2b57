"""The plan's data layer: revisions written whole or not at all, areas computed from geometry,
the revision in force by date, and comparisons of two revisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation
from shapely.geometry import Point, box

from zonedesk.core.errors import ServiceError
from zonedesk.planning import geometry, selectors, services
from zonedesk.planning.models import Parcel, PlanRevision
from zonedesk.planning.services import Feature

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages checked below are the English msgids
        yield


# a 100 m x 100 m square near Hoa Lac, in VN-2000 / TM-3 105°00' (EPSG:5897) metres
X0, Y0 = 552_000, 2_323_000


def square(x: float, y: float, side: float = 100.0):
    return geometry.to_wgs84(box(x, y, x + side, y + side), 5897)


def parcel(code: str, x: float, y: float, side: float = 100.0, **props) -> Feature:
    return Feature(geometry=square(x, y, side), code=code, properties={"land_use": "CNC", **props})


def test_areas_are_computed_from_the_geometry_never_taken_from_input(zone, board_user):
    rev = services.revision_create(
        zone=zone,
        layer="parcels",
        features=[parcel("CN-01", X0, Y0, area_m2=5), parcel("CN-02", X0 + 200, Y0, side=200)],
        effective_date=dt.date(2026, 1, 1),
        by=board_user,
    )
    areas = dict(Parcel.objects.filter(revision=rev).values_list("code", "area_m2"))
    # grid metres of the TM-3 zone are 0.9999 of true metres: a 100 m grid square is 10,002 m²
    assert abs(areas["CN-01"] - Decimal("10002.0")) < 2
    assert abs(areas["CN-02"] - Decimal("40008.0")) < 8


def test_a_revision_is_written_whole_or_not_at_all(zone, board_user):
    bowtie = Feature(
        geometry=geometry.parse(
            {
                "type": "Polygon",
                "coordinates": [[[105.5, 21], [105.51, 21.01], [105.51, 21], [105.5, 21.01], [105.5, 21]]],
            }
        ),
        code="CN-03",
        properties={"land_use": "CNC"},
    )
    features = [
        parcel("CN-01", X0, Y0),
        parcel("CN-01", X0 + 200, Y0),
        parcel("CN-02", X0 + 400, Y0, land_use="XYZ"),
        bowtie,
        Feature(geometry=Point(105.5, 21.0), code="CN-04", properties={"land_use": "CNC"}),
        parcel("CN-05", X0 + 600, Y0, max_density_pct="140", occupancy="sold", project="NOPE"),
    ]
    with pytest.raises(ServiceError) as caught:
        services.revision_create(
            zone=zone, layer="parcels", features=features, effective_date=dt.date(2026, 1, 1), by=board_user
        )
    problems = caught.value.message_dict["features"]
    assert "CN-01: The code is used by another feature of the file." in problems
    assert "CN-02: Unknown land use “XYZ”." in problems
    assert "CN-03: The geometry is not valid." in problems
    assert "CN-04: The geometry is a Point, not a polygon." in problems
    assert any(p.startswith("CN-05: Building density is out of range") for p in problems)
    assert "CN-05: Unknown occupancy “sold”." in problems
    assert "CN-05: No project with the code “NOPE” in this zone." in problems
    assert not PlanRevision.objects.exists() and not Parcel.objects.exists()


def test_only_the_board_keeps_the_plan(zone, enterprise_user, agency_user, leader_user):
    for user in (enterprise_user, agency_user, leader_user, None):
        with pytest.raises(PermissionDenied):
            services.revision_create(
                zone=zone, layer="parcels", features=[parcel("A", X0, Y0)], effective_date=dt.date(2026, 1, 1), by=user
            )


def test_the_revision_in_force_and_the_comparison(zone, board_user, project):
    first = services.revision_create(
        zone=zone,
        layer="parcels",
        features=[parcel("A", X0, Y0), parcel("B", X0 + 200, Y0), parcel("C", X0 + 400, Y0)],
        effective_date=dt.date(2025, 6, 1),
        by=board_user,
    )
    second = services.revision_create(
        zone=zone,
        layer="parcels",
        features=[
            parcel("A", X0, Y0),
            parcel("B", X0 + 200, Y0, occupancy="leased", project=project.code, max_height_m="45"),
            parcel("D", X0 + 600, Y0, side=150),
        ],
        effective_date=dt.date(2026, 3, 1),
        by=board_user,
    )
    assert selectors.current_revision(zone, "parcels", on=dt.date(2025, 5, 31)) is None
    assert selectors.current_revision(zone, "parcels", on=dt.date(2026, 2, 28)) == first
    assert selectors.current_revision(zone, "parcels", on=dt.date(2026, 3, 1)) == second
    assert sorted(selectors.current_features("parcels", on=dt.date(2026, 2, 28)).values_list("code", flat=True)) == [
        "A",
        "B",
        "C",
    ]
    diff = selectors.revision_diff(first, second)
    assert diff["added"] == ["D"] and diff["removed"] == ["C"]
    assert diff["changed"] == [
        {
            "code": "B",
            "fields": {
                "max_height_m": {"old": None, "new": 45.0},
                "occupancy": {"old": "vacant", "new": "leased"},
                "project": {"old": None, "new": project.code},
            },
        }
    ]
    # nothing was overwritten: the first revision still has its three parcels as they were
    assert Parcel.objects.filter(revision=first).count() == 3
    assert Parcel.objects.get(revision=first, code="B").occupancy == "vacant"


def test_public_properties_leave_out_prices_and_notes(zone, board_user, project):
    services.revision_create(
        zone=zone,
        layer="parcels",
        features=[
            parcel(
                "B",
                X0,
                Y0,
                occupancy="leased",
                project=project.code,
                lease_price_vnd_m2="1.250.000",
                private_note="Đang đàm phán giá",
            )
        ],
        effective_date=dt.date(2026, 1, 1),
        by=board_user,
    )
    p = selectors.current_features("parcels").get()
    public = selectors.properties(p, "parcels")
    assert public["leased_by"] == project.enterprise.name and public["project"] == project.code
    assert "lease_price_vnd_m2" not in public and "private_note" not in public
    private = selectors.properties(p, "parcels", private=True)
    assert private["lease_price_vnd_m2"] == 1_250_000 and private["private_note"] == "Đang đàm phán giá"


def test_the_history_page_compares_two_revisions_with_public_fields_only(client, zone, board_user, project):
    from django.conf import settings as django_settings
    from django.test import Client

    old = services.revision_create(
        zone=zone,
        layer="parcels",
        features=[parcel("A", X0, Y0), parcel("B", X0 + 200, Y0, lease_price_vnd_m2="900000")],
        effective_date=dt.date(2025, 6, 1),
        by=board_user,
    )
    new = services.revision_create(
        zone=zone,
        layer="parcels",
        features=[
            parcel("B", X0 + 200, Y0, occupancy="leased", project=project.code, lease_price_vnd_m2="1100000"),
            parcel("C", X0 + 400, Y0),
        ],
        effective_date=dt.date(2026, 1, 1),
        by=board_user,
    )
    future = services.revision_create(
        zone=zone,
        layer="parcels",
        features=[parcel("C", X0 + 400, Y0)],
        effective_date=dt.date(2099, 1, 1),
        by=board_user,
    )
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    listing = client.get("/planning/revisions/", {"zone": zone.code, "layer": "parcels"}).content.decode()
    assert 'data-revision="1"' in listing and 'data-revision="2"' in listing
    assert 'data-revision="3"' not in listing  # not in force yet: not public
    assert client.get(f"/planning/revisions/{future.pk}/").status_code == 404

    page = client.get(f"/planning/revisions/{new.pk}/").content.decode()
    assert 'data-added="1"' in page and 'data-removed="1"' in page and 'data-changed="1"' in page
    assert "Occupancy" in page.replace("occupancy", "Occupancy") and "900,000" not in page and "1,100,000" not in page
    assert (
        client.get(f"/planning/revisions/{old.pk}/", {"with": new.pk}).content.decode().count("data-changed-code") == 2
    )

    board = Client()
    board.force_login(board_user)
    board.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert board.get(f"/planning/revisions/{future.pk}/").status_code == 200
    private = board.get(f"/planning/revisions/{new.pk}/").content.decode()
    assert "1,100,000" in private and "lease price" in private.lower()


@pytest.mark.parametrize("price", ["1250000.5", "12,5", "1e6", "-5", "99999999999999999999"])
def test_a_lease_price_is_never_guessed(zone, board_user, price):
    with pytest.raises(ServiceError) as caught:
        services.revision_create(
            zone=zone,
            layer="parcels",
            features=[parcel("A", X0, Y0, lease_price_vnd_m2=price)],
            effective_date=dt.date(2026, 1, 1),
            by=board_user,
        )
    assert caught.value.message_dict["features"] == [f"A: The lease price is not a whole number of VND: “{price}”."]
    assert not PlanRevision.objects.exists()


def test_a_comparison_is_only_with_a_revision_of_the_same_layer_and_zone(client, zone, other_zone, board_user):
    first = services.revision_create(
        zone=zone, layer="parcels", features=[parcel("A", X0, Y0)], effective_date=dt.date(2025, 1, 1), by=board_user
    )
    second = services.revision_create(
        zone=zone,
        layer="parcels",
        features=[parcel("A", X0, Y0, occupancy="public", power=True)],
        effective_date=dt.date(2026, 1, 1),
        by=board_user,
    )
    areas = services.revision_create(
        zone=zone,
        layer="areas",
        features=[parcel("K1", X0, Y0)],
        effective_date=dt.date(2025, 1, 1),
        by=board_user,
    )
    elsewhere = services.revision_create(
        zone=other_zone,
        layer="parcels",
        features=[parcel("A", X0, Y0)],
        effective_date=dt.date(2025, 1, 1),
        by=board_user,
    )
    for other in (areas.pk, elsewhere.pk, second.pk, "abc", 999_999):
        assert client.get(f"/planning/revisions/{second.pk}/", {"with": other}).status_code == 404
    assert client.get("/planning/revisions/999999/").status_code == 404
    from django.conf import settings as django_settings

    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/planning/revisions/{second.pk}/", {"with": first.pk}).content.decode()
    assert "Public use" in page and "Vacant" in page and ">yes<" in page and ">no<" in page  # read as words
    assert ">public<" not in page and ">True<" not in page


def test_ogc_refuses_an_absurd_offset(client):
    response = client.get("/ogc/collections/parcels/items", {"offset": "99999999999999999999"})
    assert response.status_code == 400
