"""The headline figures are cached until a write of the registry changes them.

The cache key holds a generation read from the database (`core.generations`), so the rule holds
across app servers whatever the cache; scripts/cluster proves it with two real servers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from tests.conftest import TODAY
from zonedesk.core.generations import generation, generation_bump
from zonedesk.investment import selectors, services
from zonedesk.investment.selectors import FIGURES_GENERATION

pytestmark = pytest.mark.django_db


def _figures(zone):
    return selectors.zone_figures(zone=zone, year=TODAY.year, today=TODAY)


def test_a_second_read_takes_the_figures_from_the_cache(zone, make_project, django_assert_num_queries):
    make_project(zone=zone, capital=100)
    first = _figures(zone)
    with django_assert_num_queries(1):  # the generation only
        assert _figures(zone) == first
    assert first["projects"]["total"] == 1


@pytest.mark.parametrize("write", ["register", "amend", "status", "report", "correct"])
def test_every_write_that_changes_a_figure_refreshes_it(write, zone, make_project, board_user):
    project = make_project(zone=zone, capital=100, certificate_date=dt.date(2024, 1, 10))
    report = services.report_submit(
        project=project, period_kind="year", year=2024, figures={"revenue_vnd": 5}, today=TODAY
    )
    figures_2024 = selectors.zone_figures(zone=zone, year=2024, today=TODAY)
    before = _figures(zone)
    if write == "register":
        make_project(zone=zone, capital=50)
        assert _figures(zone)["projects"]["total"] == before["projects"]["total"] + 1
    elif write == "amend":
        services.project_amend(project=project, date=TODAY, summary="Tăng vốn", capital_change_vnd=20, today=TODAY)
        assert _figures(zone)["registered_capital_vnd"] == before["registered_capital_vnd"] + 20
    elif write == "status":
        services.project_change_status(
            project=project, to_status="terminated", reason="Thu hồi", by=board_user, effective_date=TODAY
        )
        assert _figures(zone)["projects"]["total"] == before["projects"]["total"] - 1
    elif write == "report":
        services.report_submit(
            project=project, period_kind="quarter", year=TODAY.year, quarter=3, figures={"revenue_vnd": 7}, today=TODAY
        )
        assert _figures(zone)["revenue_vnd"] == before["revenue_vnd"] + 7
    else:
        services.report_correct(report=report, figures={"revenue_vnd": 9}, reason="Sai số liệu")
        assert selectors.zone_figures(zone=zone, year=2024, today=TODAY)["revenue_vnd"] == 9
        assert figures_2024["revenue_vnd"] == 5


def test_the_figures_of_all_zones_are_refreshed_too(zone, other_zone, make_project):
    make_project(zone=zone, capital=100)
    assert selectors.zone_figures(zone=None, year=TODAY.year, today=TODAY)["projects"]["total"] == 1
    make_project(zone=other_zone, capital=100)
    assert selectors.zone_figures(zone=None, year=TODAY.year, today=TODAY)["projects"]["total"] == 2


def test_figures_cached_by_a_rolled_back_write_are_never_served(zone, make_project):
    """A write that cached figures of its own uncommitted data and then rolled back: a later
    write gets a different generation, so those figures are never read."""
    make_project(zone=zone, capital=100)
    committed = generation(FIGURES_GENERATION)
    with pytest.raises(RuntimeError), transaction.atomic():
        make_project(zone=zone, capital=1_000)
        assert _figures(zone)["registered_capital_vnd"] == 1_100  # cached under the uncommitted generation
        raise RuntimeError("rolled back")
    assert generation(FIGURES_GENERATION) == committed
    make_project(zone=zone, capital=10)
    assert _figures(zone)["registered_capital_vnd"] == 110


def test_a_new_generation_is_never_the_last_one():
    seen = {generation("test")}
    for _ in range(20):
        generation_bump("test")
        seen.add(generation("test"))
    assert len(seen) == 21


def test_a_change_of_a_zone_s_land_in_the_admin_refreshes_the_rate(zone, make_project, admin_user, client):
    make_project(zone=zone, capital=100, land_area_m2=100_000)
    assert _figures(zone)["land_registration_rate"] == 0.1
    client.force_login(admin_user)
    data = {
        "code": zone.code,
        "kind": zone.kind,
        "name_vi": zone.name_vi,
        "name_en": zone.name_en,
        "province": zone.province,
        "area_ha": "1586",
        "leasable_area_ha": "50",
        "description": "",
    }
    response = client.post(f"/admin/core/zone/{zone.pk}/change/", data)
    assert response.status_code == 302, response.content[:2000]
    zone.refresh_from_db()
    assert _figures(zone)["land_registration_rate"] == 0.2


# --- petition figures ----------------------------------------------------------------------


def _petition(zone, enterprise_user, **kw):
    from zonedesk.petitions import services as petitions

    return petitions.petition_submit(
        zone=zone,
        title="Chậm cấp phép xây dựng",
        body="Hồ sơ nộp đã ba tháng chưa có kết quả.",
        category="construction",
        by=enterprise_user,
        enterprise=enterprise_user.enterprise,
        **kw,
    )


def test_petition_figures_come_from_the_cache_until_a_petition_changes(
    zone, enterprise_user, board_user, django_assert_num_queries
):
    from zonedesk.petitions import selectors as petition_selectors
    from zonedesk.petitions import services as petitions

    year = dt.date.today().year
    petition = _petition(zone, enterprise_user)
    first = petition_selectors.petition_figures(year=year)
    assert (first["received"], first["open"]) == (1, 1)
    with django_assert_num_queries(1):  # the generation only
        assert petition_selectors.petition_figures(year=year) == first
    _petition(zone, enterprise_user)
    assert petition_selectors.petition_figures(year=year)["received"] == 2
    petitions.petition_act(petition=petition, action="reject", by=board_user, reason="Không thuộc thẩm quyền")
    after = petition_selectors.petition_figures(year=year)
    assert (after["rejected"], after["open"]) == (1, 1)
    assert petition_selectors.petition_figures(zone=zone, year=year)["rejected"] == 1


def test_a_cached_petition_figure_counts_a_deadline_that_passes(zone, enterprise_user, monkeypatch):
    """No write, but the deadline of an open petition passes: the next read counts it overdue."""
    from django.utils import timezone

    from zonedesk.petitions import selectors as petition_selectors

    petition = _petition(zone, enterprise_user)
    year = petition.year
    assert petition_selectors.petition_figures(year=year)["overdue"] == 0
    later = petition.answer_due_at + dt.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert petition_selectors.petition_figures(year=year)["overdue"] == 1


def test_the_api_s_cached_answers_show_a_write_at_the_next_read(client, zone, make_project, enterprise_user):
    """The API caches its figures as rendered JSON (core.jsoncache): a write through a service is
    in the next answer of every figure endpoint."""
    year = dt.date.today().year
    zone_url, all_url = f"/api/v1/zones/{zone.code}/figures", "/api/v1/figures"
    petitions_url = "/api/v1/petitions/figures"
    before = {url: client.get(url, {"year": year}).json() for url in (zone_url, all_url, petitions_url)}
    assert client.get(zone_url, {"year": year}).json() == before[zone_url]  # from the cache
    make_project(zone=zone, capital=700, certificate_date=dt.date(year, 1, 2))
    _petition(zone, enterprise_user)
    for url in (zone_url, all_url):
        after = client.get(url, {"year": year}).json()
        assert after["projects"]["total"] == before[url]["projects"]["total"] + 1
        assert after["registered_capital_vnd"] == before[url]["registered_capital_vnd"] + 700
    assert client.get(petitions_url, {"year": year}).json()["received"] == before[petitions_url]["received"] + 1
    assert client.get("/api/v1/zones/NOPE/figures", {"year": year}).status_code == 404


def test_a_cached_figure_goes_compressed_to_a_client_that_accepts_it(client, zone, enterprise_user):
    import gzip
    import json

    url, year = "/api/v1/petitions/figures", dt.date.today().year
    for _ in range(3):
        _petition(zone, enterprise_user)
    plain = client.get(url, {"year": year})
    zipped = client.get(url, {"year": year}, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert "Content-Encoding" not in plain and zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"] and "Accept-Encoding" in plain["Vary"]
    assert json.loads(gzip.decompress(zipped.content)) == plain.json()
    assert plain.json()["received"] == 3


def test_overdue_counts_moved_on_minute_by_minute_equal_a_full_count(zone, enterprise_user, monkeypatch):
    """Between two writes only deadlines pass: the counts of a later minute are the earlier ones
    plus the petitions whose deadline fell between; they equal a count from scratch."""
    from django.core.cache import caches
    from django.utils import timezone

    from zonedesk.petitions import selectors as petition_selectors
    from zonedesk.petitions.models import Petition

    now = timezone.now()
    petitions = [_petition(zone, enterprise_user, received_at=now - dt.timedelta(minutes=m)) for m in (30, 20, 10)]
    year = petitions[0].year
    dues = sorted(Petition.objects.filter(pk__in=[p.pk for p in petitions]).values_list("answer_due_at", flat=True))
    assert petition_selectors.petition_figures(year=year)["overdue"] == 0
    for due in dues:
        later = due + dt.timedelta(minutes=1)
        monkeypatch.setattr(timezone, "now", lambda later=later: later)
        moved = petition_selectors.petition_figures(year=year)
        for cache in caches.all():
            cache.clear()
        fresh = petition_selectors.petition_figures(year=year)
        assert moved == fresh
        minute = later.replace(second=0, microsecond=0)  # overdue as of the start of the minute
        assert moved["overdue"] == sum(1 for d in dues if d < minute)
        assert sum(z["overdue"] for z in moved["by_zone"]) == moved["overdue"]
    assert moved["overdue"] == 3


def test_odd_text_in_the_public_figures_query_is_answered_and_cached_safely(client, zone, enterprise_user):
    """What a visitor types goes into cache keys only hashed: spaces, control characters and
    a long text give the figures of nothing, twice the same, and no error."""
    import warnings

    from django.core.cache.backends.base import CacheKeyWarning

    _petition(zone, enterprise_user)
    odd = "sở xây dựng \x01 " + "x" * 400
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)  # a key no cache server would take
        first = client.get("/api/v1/petitions/figures", {"agency": odd})
        again = client.get("/api/v1/petitions/figures", {"agency": odd})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json() and first.json()["received"] == 0
    assert client.get("/api/v1/petitions/figures").json()["received"] == 1


def test_a_large_answer_is_stored_once_in_its_gzip_form(rf):
    """A cached JSON answer is stored in its gzip form alone (core.jsoncache): with the cache on a
    server (Redis) every hit copies what is stored, and the plain JSON beside it was nine tenths
    of it. A client that does not accept gzip still gets the JSON; a small answer stays plain."""
    import gzip
    import json

    from zonedesk.core.jsoncache import compressed, json_response

    body = json.dumps({"months": [{"received": n, "answered": n // 2} for n in range(2000)]}).encode()
    stored = compressed(body)
    assert stored[0] is None and len(stored[1]) < len(body) / 5
    plain = json_response(rf.get("/"), *stored)
    assert plain.content == body and "Content-Encoding" not in plain
    zipped = json_response(rf.get("/", HTTP_ACCEPT_ENCODING="gzip"), *stored)
    assert zipped["Content-Encoding"] == "gzip" and gzip.decompress(zipped.content) == body
    assert compressed(b'{"a":1}') == (b'{"a":1}', None)
