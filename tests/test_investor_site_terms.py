"""A plot's commercial terms (issue 26): kept by the board, public only once published.

The plan of test_planning_pages (vacant parcels CN-01, CN-02, PM-01…) with terms written through
the service: what the public sees on the card, the page, the finder, its download, the map's
GeoJSON and the OGC API before and after publishing; the USD price stated or derived at a rate of
a date; terms that survive a new revision; the board's form."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.races import race
from tests.test_planning_pages import READY, parcel, parcels
from tests.test_planning_pages import plan as plan  # noqa: F401  (the fixture)
from zonedesk.core.errors import ConflictError
from zonedesk.planning import services
from zonedesk.planning.models import ParcelTerms
from zonedesk.planning.services_terms import parcel_terms_save

pytestmark = pytest.mark.django_db

PRICE = 2_650_000  # VND/m²/year: an unusual number, so finding it means the price leaked
RATE = 26_500
RATE_DAY = dt.date(2026, 11, 30)


def _terms(zone, board_user, code="CN-01", **kw):
    values = dict(
        price_vnd_m2=PRICE,
        usd_rate_vnd=RATE,
        rate_date=RATE_DAY,
        term_years=50,
        handover_date=dt.date(2027, 3, 31),
        public=False,
    )
    values.update(kw)
    return parcel_terms_save(zone=zone, code=code, by=board_user, **values)


def _body(response) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return data.decode("utf-8-sig")


def _everything_public(client, zone) -> str:
    """The places the public reads a parcel from, concatenated."""
    out = [
        client.get(f"/planning/parcels/{zone.code}/CN-01/").content.decode(),
        client.get(f"/planning/cards/{zone.code}/CN-01/").content.decode(),
        client.get("/planning/", {"zone": zone.code, "find": "1", "min_ha": "2"}).content.decode(),
        _body(client.get("/planning/", {"zone": zone.code, "find": "1", "export": "csv"})),
        client.get("/planning/map.json", {"zone": zone.code}).content.decode(),
        client.get("/ogc/collections/parcels/items", {"f": "json"}).content.decode(),
    ]
    return "\n".join(out)


def test_terms_stay_hidden_until_the_board_publishes_them(client, plan, board_user):
    _terms(plan, board_user)
    seen = _everything_public(client, plan)
    assert "2.650.000" not in seen and "2650000" not in seen and "2,650,000" not in seen
    assert "Điều khoản thương mại" not in seen  # no terms section at all

    _terms(plan, board_user, public=True)
    page = client.get(f"/planning/parcels/{plan.code}/CN-01/").content.decode()
    assert "2.650.000" in page and "100,00" in page  # 2 650 000 / 26 500 = 100 USD
    assert "30/11/2026" in page  # the rate's date
    assert "50 năm" in page and "31/03/2027" in page
    finder = client.get("/planning/", {"zone": plan.code, "find": "1", "min_ha": "2"}).content.decode()
    assert "2.650.000" in finder
    data = client.get("/planning/map.json", {"zone": plan.code}).json()
    cn01 = next(f for f in data["layers"]["parcels"]["features"] if f["id"] == "CN-01")
    assert cn01["properties"]["terms"]["price_vnd_m2"] == PRICE
    assert cn01["properties"]["terms"]["price_usd_m2"] == 100.0
    assert cn01["properties"]["terms"]["rate_date"] == "2026-11-30"
    other = next(f for f in data["layers"]["parcels"]["features"] if f["id"] == "CN-02")
    assert "terms" not in other["properties"]
    # the OGC API's published layers never carry the board's prices
    assert "2650000" not in client.get("/ogc/collections/parcels/items", {"f": "json"}).content.decode()


def test_the_finder_download_carries_the_published_terms_only(client, plan, board_user):
    _terms(plan, board_user, public=True)
    _terms(plan, board_user, code="CN-02", price_vnd_m2=1_777_000, public=False)
    body = _body(client.get("/planning/", {"zone": plan.code, "find": "1", "export": "csv"}))
    rows = {r[0]: r for r in csv.reader(io.StringIO(body))}
    header = rows.pop(next(iter(rows)))
    price = header.index("Giá thuê (đồng/m²)")
    usd = header.index("Giá thuê (USD/m²)")
    assert rows["CN-01"][price] == "2650000" and rows["CN-01"][usd] in {"100", "100.00", "100,00"}
    assert rows["CN-02"][price] == ""
    assert "1777000" not in body


def test_a_stated_usd_price_wins_and_a_rate_needs_its_date(plan, board_user):
    t = _terms(plan, board_user, price_usd_m2="95.5", public=True)
    assert t.price_usd == (Decimal("95.50"), "stated")
    with pytest.raises(ValidationError) as caught:
        _terms(plan, board_user, rate_date=None, version=t.version)
    assert "rate_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _terms(plan, board_user, rate_date=timezone.localdate() + dt.timedelta(days=3), version=t.version)
    assert "rate_date" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        _terms(plan, board_user, price_vnd_m2=None, price_usd_m2=None, public=True, version=t.version)
    assert "public" in caught.value.message_dict
    with pytest.raises(ConflictError):
        _terms(plan, board_user, version=t.version - 1 if t.version > 1 else 99)


def test_terms_survive_a_new_revision_of_the_plan(client, plan, board_user, project):
    _terms(plan, board_user, public=True)
    services.revision_create(
        zone=plan,
        layer="parcels",
        features=[*parcels(project), parcel("CN-09", 1500, 100, **READY)],
        effective_date=timezone.localdate(),
        by=board_user,
    )
    page = client.get(f"/planning/parcels/{plan.code}/CN-01/").content.decode()
    assert "2.650.000" in page
    assert ParcelTerms.objects.count() == 1


def test_the_card_links_to_the_enquiry_and_the_site_visit(client, plan):
    page = client.get(f"/planning/parcels/{plan.code}/CN-01/").content.decode()
    assert f"/invest/enquire/?parcel={plan.code}%3ACN-01" in page
    assert f"/invest/enquire/?parcel={plan.code}%3ACN-01&amp;visit=1" in page
    leased = client.get(f"/planning/parcels/{plan.code}/CN-04/").content.decode()
    assert "/invest/enquire/" not in leased  # a leased plot is not on offer


def test_the_board_edits_the_terms_through_its_form(client, plan, board_user, enterprise_user):
    url = f"/planning/terms/{plan.code}/CN-01/"
    client.force_login(enterprise_user)
    assert client.get(url).status_code == 403
    client.force_login(board_user)
    assert client.get(url).status_code == 200
    sent = {
        "price_vnd_m2": "2.650.000",
        "price_basis": "year",
        "usd_rate_vnd": "26500",
        "rate_date": "2026-11-30",
        "term_years": "50",
        "handover_date": "2027-03-31",
        "public": "on",
    }
    response = client.post(url, sent)
    assert response.status_code == 302, response.content.decode()[:2000]
    t = ParcelTerms.objects.get(zone=plan, parcel_code="CN-01")
    assert (t.price_vnd_m2, t.usd_rate_vnd, t.public, t.version) == (PRICE, RATE, True, 1)
    # a second officer's form, read before any terms existed, does not overwrite them
    assert client.post(url, {**sent, "term_years": "20", "version": "0"}).status_code == 409
    # a second change carries the version read; a stale one is refused with 409
    assert client.post(url, {**sent, "term_years": "40", "version": "1"}).status_code == 302
    assert client.post(url, {**sent, "term_years": "30", "version": "1"}).status_code == 409
    t.refresh_from_db()
    assert t.term_years == 40
    # bad input: nothing written, the page says why
    for bad in ({"price_vnd_m2": "-5"}, {"usd_rate_vnd": "9" * 30}, {"rate_date": "2026-02-30"}, {"term_years": "0"}):
        response = client.post(url, {**sent, "version": "2", **bad})
        assert response.status_code == 400, bad
    t.refresh_from_db()
    assert t.version == 2
    page = client.get(f"/planning/parcels/{plan.code}/CN-01/").content.decode()
    assert url in page  # the board's link to the form


@pytest.mark.parametrize("text", ["1e3", "NaN", "Infinity", "12.5.1", "-3", "0x10"])
def test_a_usd_price_is_a_plain_number(plan, board_user, text):
    with pytest.raises(ValidationError) as caught:
        _terms(plan, board_user, price_usd_m2=text)
    assert "price_usd_m2" in caught.value.message_dict
    assert not ParcelTerms.objects.exists()
    assert _terms(plan, board_user, price_usd_m2="12,5").price_usd_m2 == Decimal("12.50")  # a decimal comma


@pytest.mark.django_db(transaction=True)
def test_two_first_writers_of_a_plots_terms_at_once_one_wins_the_other_is_told(plan, board_user):
    """No terms yet: four officers save them at once. One writes them; the others are told that
    someone recorded them meanwhile (409 on the page and the API), never a server error."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers: PostgreSQL (SQLite writes one transaction at a time)")

    def attempt(i: int) -> str:
        _terms(plan, board_user, price_vnd_m2=PRICE + i, version=0)  # as the page: "none read"
        return "won"

    assert race(4, attempt, refused=(ConflictError,), told="told") == ["told", "told", "told", "won"]
    assert ParcelTerms.objects.count() == 1
