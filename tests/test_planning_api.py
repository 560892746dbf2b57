"""The planning API: decisions (public; recorded by the board as multipart with a checked PDF),
revisions (the public never sees one before its day) and the comparison of two revisions,
checked against a brute-force comparison of the stored parcels, with lease prices and notes
for the board side only."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone, translation
from shapely.geometry import box

from tests.conftest import stored_files
from tests.test_attachments import make_pdf, make_png
from zonedesk.planning import geometry, services
from zonedesk.planning.models import INFRASTRUCTURE, Occupancy, Parcel, PlanningDecision
from zonedesk.planning.services import Feature

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

PDF = make_pdf()
X0, Y0 = 552_000, 2_323_000
TODAY = timezone.localdate


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def square(i: int, side: float = 100.0):
    x = X0 + 150 * (i % 20)
    y = Y0 + 150 * (i // 20)
    return geometry.to_wgs84(box(x, y, x + side, y + side), 5897)


def revision(zone, by, layer="parcels", *, days: int, features=None, decision=None):
    features = features or [Feature(geometry=square(0), code="A1", properties={"land_use": "CNC"})]
    return services.revision_create(
        zone=zone,
        layer=layer,
        features=features,
        effective_date=TODAY() + dt.timedelta(days=days),
        by=by,
        decision=decision,
    )


# --- decisions ----------------------------------------------------------------------------


def test_decisions_are_public_with_the_revisions_the_caller_may_see(zone, other_zone, board_user):
    decision = services.decision_create(
        zone=zone,
        by=board_user,
        number="899/QĐ-TTg",
        date=dt.date(2016, 6, 20),
        authority="Thủ tướng Chính phủ",
        document=SimpleUploadedFile("qd-899.pdf", PDF),
    )
    services.decision_create(zone=other_zone, by=board_user, number="1/QĐ", date=dt.date(2019, 1, 1), authority="x")
    past = revision(zone, board_user, days=-10, decision=decision)
    future = revision(zone, board_user, days=5, decision=decision)

    public = Client().get("/api/v1/planning/decisions", {"zone": zone.code})
    assert public.status_code == 200
    body = public.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        "id": decision.pk,
        "zone": zone.code,
        "number": "899/QĐ-TTg",
        "date": "2016-06-20",
        "authority": "Thủ tướng Chính phủ",
        "title": "",
        "document_url": f"http://testserver/planning/decisions/{decision.pk}/document",
        "revisions": [
            {"id": past.pk, "layer": "parcels", "number": 1, "effective_date": past.effective_date.isoformat()}
        ],
        "version": 1,
    }
    document = Client().get(item["document_url"])
    assert document["Content-Type"] == "application/pdf" and b"".join(document.streaming_content) == PDF

    board = login(board_user).get(f"/api/v1/planning/decisions/{decision.pk}").json()
    assert [r["id"] for r in board["revisions"]] == [past.pk, future.pk]
    assert Client().get("/api/v1/planning/decisions").json()["count"] == 2
    other = Client().get("/api/v1/planning/decisions", {"zone": other_zone.code}).json()["items"][0]
    assert other["document_url"] is None and other["revisions"] == []
    assert Client().get("/api/v1/planning/decisions", {"zone": "NOPE"}).status_code == 404
    assert Client().get("/api/v1/planning/decisions/999999").status_code == 404
    lower = Client().get("/api/v1/planning/decisions", {"zone": zone.code.lower()}).json()
    assert [d["id"] for d in lower["items"]] == [decision.pk]  # a zone code in any case, as on the pages


def _form(in_zone, **changes):
    return {
        "zone": in_zone.code,
        "number": "12/QĐ-BQL",
        "date": "2026-03-01",
        "authority": "Ban Quản lý",
        "title": "Điều chỉnh cục bộ lô CN-05",
        "document": SimpleUploadedFile("Quyết định 12.pdf", PDF),
    } | changes


def test_the_board_records_a_decision_with_session_and_csrf(zone, board_user, media):
    client = Client(enforce_csrf_checks=True)
    client.force_login(board_user)
    assert client.post("/api/v1/planning/decisions", _form(zone)).status_code == 403  # no CSRF token
    client.get("/api/v1/session")
    token = client.cookies["csrftoken"].value
    r = client.post("/api/v1/planning/decisions", _form(zone), HTTP_X_CSRFTOKEN=token)
    assert r.status_code == 201, r.content
    body = r.json()
    decision = PlanningDecision.objects.get()
    assert body["id"] == decision.pk and body["number"] == "12/QĐ-BQL" and body["revisions"] == []
    assert body["document_url"].endswith(f"/planning/decisions/{decision.pk}/document")
    assert decision.document_name == "Quyết định 12.pdf" and len(stored_files(media)) == 1

    without = client.post(
        "/api/v1/planning/decisions", _form(zone, number="13/QĐ-BQL", document=""), HTTP_X_CSRFTOKEN=token
    )
    assert without.status_code == 201 and without.json()["document_url"] is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"document": SimpleUploadedFile("qd.pdf", make_png())}, "document"),
        ({"document": SimpleUploadedFile("qd.pdf", b"<html><body>x</body></html>")}, "document"),
        ({"document": SimpleUploadedFile("qd.txt", PDF)}, "document"),
        ({"date": "20/13/2026"}, "date"),
        ({"authority": "  "}, "authority"),
        ({"number": "x" * 61}, "number"),
    ],
)
def test_bad_input_is_422_by_field_and_nothing_is_written(zone, board_user, media, changes, field):
    r = login(board_user).post("/api/v1/planning/decisions", _form(zone, **changes))
    assert r.status_code == 422, r.content
    assert list(r.json()["errors"]) == [field] and r.json()["detail"]
    assert not PlanningDecision.objects.exists() and stored_files(media) == []


def test_a_duplicate_number_is_an_error_on_the_number(zone, board_user, media):
    client = login(board_user)
    assert client.post("/api/v1/planning/decisions", _form(zone)).status_code == 201
    again = client.post("/api/v1/planning/decisions", _form(zone))
    assert again.status_code == 422
    assert again.json()["errors"] == {"number": ["This zone already has a decision with this number."]}
    assert PlanningDecision.objects.count() == 1 and len(stored_files(media)) == 1


def test_only_the_board_records_decisions(zone, enterprise_user, leader_user, admin_user, media):
    assert Client().post("/api/v1/planning/decisions", _form(zone)).status_code == 401
    for user in (enterprise_user, leader_user):
        assert login(user).post("/api/v1/planning/decisions", _form(zone)).status_code == 403
    assert not PlanningDecision.objects.exists() and stored_files(media) == []
    unknown = login(admin_user).post("/api/v1/planning/decisions", _form(zone, zone="NOPE"))
    assert unknown.status_code == 422 and "zone" in unknown.json()["errors"]
    assert login(admin_user).post("/api/v1/planning/decisions", _form(zone)).status_code == 201


# --- revisions ----------------------------------------------------------------------------


def test_revisions_not_yet_in_force_are_the_boards(zone, other_zone, board_user):
    decision = services.decision_create(
        zone=zone, by=board_user, number="3/QĐ", date=dt.date(2020, 1, 1), authority="x"
    )
    first = revision(zone, board_user, days=-100)
    current = revision(zone, board_user, days=-1, decision=decision)
    future = revision(zone, board_user, days=30)
    areas = revision(zone, board_user, "areas", days=-1)
    elsewhere = revision(other_zone, board_user, days=-1)

    public = Client().get("/api/v1/planning/revisions", {"zone": zone.code, "layer": "parcels"}).json()
    assert [r["id"] for r in public["items"]] == [current.pk, first.pk]
    by_id = {r["id"]: r for r in public["items"]}
    assert by_id[current.pk]["in_force"] and not by_id[first.pk]["in_force"]
    assert (
        by_id[current.pk]["decision"] == {"id": decision.pk, "number": "3/QĐ"} and by_id[first.pk]["decision"] is None
    )
    assert by_id[current.pk]["zone"] == zone.code and by_id[current.pk]["feature_count"] == 1
    assert not any(r["not_yet_in_force"] for r in public["items"])
    assert Client().get(f"/api/v1/planning/revisions/{future.pk}").status_code == 404

    board = login(board_user)
    listed = board.get("/api/v1/planning/revisions", {"zone": zone.code, "layer": "parcels"}).json()["items"]
    assert [r["id"] for r in listed] == [future.pk, current.pk, first.pk]
    one = board.get(f"/api/v1/planning/revisions/{future.pk}").json()
    assert (
        one["not_yet_in_force"] and not one["in_force"] and one["effective_date"] == future.effective_date.isoformat()
    )

    everything = Client().get("/api/v1/planning/revisions").json()["items"]
    assert {r["id"] for r in everything} == {first.pk, current.pk, areas.pk, elsewhere.pk}
    assert {r["id"] for r in everything if r["in_force"]} == {current.pk, areas.pk, elsewhere.pk}
    assert Client().get("/api/v1/planning/revisions", {"zone": "NOPE"}).status_code == 404
    assert Client().get("/api/v1/planning/revisions", {"layer": "roads"}).status_code == 422


# --- comparisons --------------------------------------------------------------------------

USES = ["CNC", "DV", "PM"]


def _props(rng: random.Random) -> dict:
    return {
        "land_use": rng.choice(USES),
        "max_height_m": rng.choice([None, "15", "25.5"]),
        "max_density_pct": rng.choice([None, "60"]),
        "occupancy": rng.choice([Occupancy.VACANT, Occupancy.RESERVED]),
        "lease_price_vnd_m2": rng.choice([None, "900000", "1.100.000"]),
        "private_note": rng.choice(["", "đang đàm phán"]),
        **{name: rng.random() < 0.5 for name in INFRASTRUCTURE},
    }


def _plans(seed: int = 7):
    """Two sets of parcels: some removed, some added, some changed (one field, a shape, or only
    the private fields), the rest the same."""
    rng = random.Random(seed)
    old = {f"CN-{i:02d}": (i, 100.0, _props(rng)) for i in range(40)}
    new = {}
    for code, (i, side, props) in old.items():
        roll = rng.random()
        if roll < 0.15:
            continue  # removed
        props = dict(props)
        if roll < 0.3:
            props["land_use"] = rng.choice([u for u in USES if u != props["land_use"]])
        elif roll < 0.4:
            props["power"] = not props["power"]
        elif roll < 0.5:
            side = 90.0
        elif roll < 0.6:
            props["lease_price_vnd_m2"] = "1.500.000" if props["lease_price_vnd_m2"] != "1.500.000" else "1"
        elif roll < 0.65:
            props["private_note"] = props["private_note"] + " (đã ký)"
        new[code] = (i, side, props)
    for i in range(40, 46):
        new[f"CN-{i:02d}"] = (i, 100.0, _props(rng))

    def features(plan):
        return [Feature(geometry=square(i, side), code=code, properties=p) for code, (i, side, p) in plan.items()]

    return features(old), features(new)


FIELDS = ["land_use_id", "max_density_pct", "max_height_m", "max_far", *INFRASTRUCTURE, "occupancy", "project_id"]
PRIVATE = ["lease_price_vnd_m2", "private_note"]


def brute_force(old, new, *, private: bool) -> dict:
    a = {p.code: p for p in Parcel.objects.filter(revision=old)}
    b = {p.code: p for p in Parcel.objects.filter(revision=new)}
    changed = {}
    for code in a.keys() & b.keys():
        names = [
            f.removesuffix("_id")
            for f in FIELDS + (PRIVATE if private else [])
            if getattr(a[code], f) != getattr(b[code], f)
        ]
        if a[code].geometry != b[code].geometry:
            names.append("geometry")
        if names:
            changed[code] = sorted(names)
    return {"added": sorted(b.keys() - a.keys()), "removed": sorted(a.keys() - b.keys()), "changed": changed}


def shape(body: dict) -> dict:
    return {
        "added": body["added"],
        "removed": body["removed"],
        "changed": {row["code"]: sorted(row["fields"]) for row in body["changed"]},
    }


def test_the_comparison_agrees_with_a_brute_force_one_and_hides_private_fields(zone, board_user):
    old_features, new_features = _plans()
    old = revision(zone, board_user, days=-60, features=old_features)
    new = revision(zone, board_user, days=-1, features=new_features)

    public = Client().get(f"/api/v1/planning/revisions/{new.pk}/diff")
    assert public.status_code == 200, public.content
    body = public.json()
    assert body["old"] == {"id": old.pk, "number": 1} and body["new"] == {"id": new.pk, "number": 2}
    assert body["zone"] == zone.code and body["layer"] == "parcels"
    expected = brute_force(old, new, private=False)
    assert shape(body) == expected
    assert expected["added"] and expected["removed"] and expected["changed"]  # the data exercises every case
    # the same whatever the order given
    assert Client().get(f"/api/v1/planning/revisions/{old.pk}/diff", {"with": new.pk}).json() == body
    assert Client().get(f"/api/v1/planning/revisions/{new.pk}/diff", {"with": old.pk}).json() == body

    board = login(board_user).get(f"/api/v1/planning/revisions/{new.pk}/diff").json()
    with_private = brute_force(old, new, private=True)
    assert shape(board) == with_private
    only_private = set(with_private["changed"]) - set(expected["changed"])
    assert only_private, "some parcels changed only their price or note"
    assert all(set(with_private["changed"][c]) <= set(PRIVATE) for c in only_private)
    text = str(body)
    assert "lease_price_vnd_m2" not in text and "private_note" not in text and "đang đàm phán" not in text

    # a price change, as values
    a = {p.code: p for p in Parcel.objects.filter(revision=old)}
    b = {p.code: p for p in Parcel.objects.filter(revision=new)}
    rows = {row["code"]: row["fields"] for row in board["changed"]}
    priced = next(c for c in only_private if "lease_price_vnd_m2" in with_private["changed"][c])
    assert rows[priced]["lease_price_vnd_m2"] == {
        "old": a[priced].lease_price_vnd_m2,
        "new": b[priced].lease_price_vnd_m2,
    }
    used = next(c for c, names in expected["changed"].items() if "land_use" in names)
    assert rows[used]["land_use"] == {"old": a[used].land_use.code, "new": b[used].land_use.code}


def test_the_comparison_stays_within_what_the_caller_may_see(zone, other_zone, board_user):
    first = revision(zone, board_user, days=-60)
    second = revision(zone, board_user, days=-1, features=_plans()[0])
    future = revision(zone, board_user, days=10, features=_plans()[1])
    areas = revision(zone, board_user, "areas", days=-1)
    elsewhere = revision(other_zone, board_user, days=-1)

    client = Client()
    for other in (areas.pk, elsewhere.pk, future.pk, 999_999):
        assert client.get(f"/api/v1/planning/revisions/{second.pk}/diff", {"with": other}).status_code == 404
    assert client.get(f"/api/v1/planning/revisions/{future.pk}/diff").status_code == 404
    first_diff = client.get(f"/api/v1/planning/revisions/{first.pk}/diff")
    assert first_diff.status_code == 422 and "with" in first_diff.json()["errors"]
    same = client.get(f"/api/v1/planning/revisions/{first.pk}/diff", {"with": first.pk})
    assert same.status_code == 422 and "with" in same.json()["errors"]
    assert client.get(f"/api/v1/planning/revisions/{first.pk}/diff", {"with": "abc"}).status_code == 422

    board = login(board_user)
    r = board.get(f"/api/v1/planning/revisions/{future.pk}/diff").json()
    assert r["old"]["id"] == second.pk and r["new"]["id"] == future.pk
    assert shape(r) == brute_force(second, future, private=True)
    # the public's "previous" skips what it may not see: a revision after tomorrow's is compared with today's
    later = revision(zone, board_user, days=-1, features=_plans(seed=3)[1])
    assert later.number == 4
    r = client.get(f"/api/v1/planning/revisions/{later.pk}/diff").json()
    assert r["old"]["id"] == second.pk
    assert board.get(f"/api/v1/planning/revisions/{later.pk}/diff").json()["old"]["id"] == future.pk


def test_the_planning_endpoints_are_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/planning/decisions",
        "/api/v1/planning/decisions/{decision_id}",
        "/api/v1/planning/revisions",
        "/api/v1/planning/revisions/{revision_id}",
        "/api/v1/planning/revisions/{revision_id}/diff",
    ):
        assert path in paths


def test_the_board_attaches_the_pdf_through_the_api(zone, board_user, enterprise_user, media):
    decision = services.decision_create(zone=zone, by=board_user, number="9", date=dt.date(2021, 1, 1), authority="x")
    url = f"/api/v1/planning/decisions/{decision.pk}/document"
    assert Client().post(url, {"document": SimpleUploadedFile("d.pdf", PDF), "version": 1}).status_code == 401
    forbidden = login(enterprise_user).post(url, {"document": SimpleUploadedFile("d.pdf", PDF), "version": 1})
    assert forbidden.status_code == 403
    bad = login(board_user).post(url, {"document": SimpleUploadedFile("d.pdf", b"plain text, not a PDF"), "version": 1})
    assert bad.status_code == 422 and "document" in bad.json()["errors"]
    assert stored_files(media) == []
    ok = login(board_user).post(url, {"document": SimpleUploadedFile("d.pdf", PDF), "version": 1})
    assert ok.status_code == 200 and ok.json()["document_url"].endswith(f"/planning/decisions/{decision.pk}/document")
    assert ok.json()["version"] == 2
    assert (
        login(board_user)
        .post(
            "/api/v1/planning/decisions/999999/document", {"document": SimpleUploadedFile("d.pdf", PDF), "version": 1}
        )
        .status_code
        == 404
    )
