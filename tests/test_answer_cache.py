"""Cached answers of API lists (core.answers): a page is answered again from the cache only to
someone with the same access asking the same thing, never after a write, never when it depends
on the clock, and never when it was refused."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from django.utils import timezone

from tests.test_list_pages import _petition
from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Petition

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/petitions"


def _routed(zone, enterprise_user, board_user, agency, title):
    petition = _petition(zone, enterprise_user, title)
    petitions.petition_act(petition=petition, action="triage", by=board_user)
    petitions.petition_act(petition=petition, action="assign", by=board_user, lead_agency=agency)
    petition.refresh_from_db()
    return petition


def _references(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["reference"] for row in response.json()["items"]]


def test_a_list_asked_again_is_answered_from_the_cache_with_one_query(
    client, zone, make_project, django_assert_num_queries
):
    for n in range(4):  # over a kilobyte of JSON: worth compressing
        make_project(zone=zone, name_vi=f"Nhà máy linh kiện điện tử số {n}")
    params = {"zone": zone.code, "q": "linh kien"}
    first = client.get("/api/v1/projects", params)
    assert first.status_code == 200 and first.json()["count"] == 4
    # the generation and the public limit's count (in the database without a cache server,
    # core.throttle): no zone lookup, no count, no page
    with django_assert_num_queries(2) as queries:
        again = client.get("/api/v1/projects", params)
    assert sum("core_ratecount" in q["sql"] for q in queries.captured_queries) == 1
    assert again.json() == first.json()
    zipped = client.get("/api/v1/projects", params, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["Content-Encoding"] == "gzip" and "Accept-Encoding" in zipped["Vary"]
    assert json.loads(gzip.decompress(zipped.content)) == first.json()


def test_a_registration_is_in_the_next_read_of_a_cached_list(client, zone, make_project):
    make_project(zone=zone, name_vi="Nhà máy linh kiện điện tử")
    url, params = "/api/v1/projects", {"q": "LINH KIỆN"}
    assert client.get(url, params).json()["count"] == 1
    assert client.get(url, params).json()["count"] == 1  # cached
    make_project(zone=zone, name_vi="Trung tâm linh kiện bán dẫn")
    page = client.get(url, params).json()
    assert page["count"] == 2
    assert [r["name_vi"] for r in page["items"]] == ["Nhà máy linh kiện điện tử", "Trung tâm linh kiện bán dẫn"]


def test_two_agencies_asking_the_same_url_each_see_only_their_own_queue(
    client, zone, enterprise_user, board_user, agency, agency_user, other_agency, other_agency_user
):
    ours = _routed(zone, enterprise_user, board_user, agency, "Cấp phép xây dựng")
    theirs = _routed(zone, enterprise_user, board_user, other_agency, "Đấu nối điện")
    for _ in range(2):  # the second round from the cache, each agency its own answer
        client.force_login(agency_user)
        assert _references(client.get(QUEUE, {"status": "open"})) == [ours.reference]
        client.force_login(other_agency_user)
        assert _references(client.get(QUEUE, {"status": "open"})) == [theirs.reference]
    client.force_login(board_user)
    assert sorted(_references(client.get(QUEUE, {"status": "open"}))) == sorted([ours.reference, theirs.reference])
    client.force_login(enterprise_user)  # the enterprise that filed both
    assert len(_references(client.get(QUEUE, {"status": "open"}))) == 2


def test_an_officer_moved_to_another_agency_sees_that_agency_s_queue_at_the_next_read(
    client, zone, enterprise_user, board_user, agency, agency_user, other_agency
):
    """No petition changed (no new generation), but who asks did: the answer is not the old one."""
    ours = _routed(zone, enterprise_user, board_user, agency, "Cấp phép xây dựng")
    theirs = _routed(zone, enterprise_user, board_user, other_agency, "Đấu nối điện")
    client.force_login(agency_user)
    assert _references(client.get(QUEUE, {"status": "open"})) == [ours.reference]
    agency_user.agency = other_agency
    agency_user.save()
    assert _references(client.get(QUEUE, {"status": "open"})) == [theirs.reference]
    agency_user.is_active = False
    agency_user.save()
    assert client.get(QUEUE, {"status": "open"}).status_code == 401


def test_the_public_is_refused_the_queue_even_after_an_officer_s_answer_was_cached(
    client, zone, enterprise_user, board_user, agency, agency_user
):
    _routed(zone, enterprise_user, board_user, agency, "Cấp phép xây dựng")
    client.force_login(agency_user)
    assert len(_references(client.get(QUEUE))) == 1
    client.logout()
    for _ in range(2):
        refused = client.get(QUEUE)
        assert refused.status_code == 401 and "items" not in refused.json()


def test_a_refused_page_is_not_cached(client, zone, make_project):
    make_project(zone=zone)
    for _ in range(2):
        assert client.get("/api/v1/projects", {"page": 0}).status_code == 422
    assert client.get("/api/v1/projects", {"page": 1}).json()["count"] == 1


def test_the_overdue_list_follows_the_clock_without_a_write(
    client, zone, enterprise_user, board_user, agency, agency_user
):
    """Its query compares deadlines with the time of the request: never answered from the cache."""
    petition = _routed(zone, enterprise_user, board_user, agency, "Cấp phép xây dựng")
    client.force_login(agency_user)
    assert _references(client.get(QUEUE, {"overdue": "true"})) == []
    assert _references(client.get(QUEUE, {"overdue": "true"})) == []
    # the deadline passes: as if the clock moved on (an update that bumps no generation, and keeps
    # the session of the officer, which moving the clock by weeks would expire)
    Petition.objects.filter(pk=petition.pk).update(answer_due_at=timezone.now() - dt.timedelta(minutes=1))
    assert _references(client.get(QUEUE, {"overdue": "true"})) == [petition.reference]


def test_an_expired_or_unknown_session_logs_nobody_in(client, agency_user):
    """Sessions and their users are read in plain SQL (core.sessions, core.auth): the same
    rules as Django's, the expiry among them."""
    from django.contrib.sessions.models import Session

    client.force_login(agency_user)
    assert client.get(QUEUE).status_code == 200
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(QUEUE).status_code == 401
    client.cookies["sessionid"] = "x" * 32  # a key no session has
    assert client.get(QUEUE).status_code == 401
    client.force_login(agency_user)
    session = Session.objects.order_by("-expire_date").first()
    assert session.expire_date > timezone.now() and client.get(QUEUE).status_code == 200
