"""API lists: a page is read ids first and its count is cached under the generation of its
model, so a write is visible in the next read of the list, its count and its order."""

from __future__ import annotations

import pytest

from zonedesk.core.models import Agency
from zonedesk.petitions import services as petitions

pytestmark = pytest.mark.django_db


def _petition(zone, enterprise_user, title="Chậm cấp phép"):
    return petitions.petition_submit(
        zone=zone,
        title=title,
        body="Hồ sơ nộp đã ba tháng chưa có kết quả.",
        category="construction",
        by=enterprise_user,
        enterprise=enterprise_user.enterprise,
    )


def _route(petition, board_user, agency, coordinating=()):
    petitions.petition_act(petition=petition, action="triage", by=board_user)
    petitions.petition_act(
        petition=petition, action="assign", by=board_user, lead_agency=agency, coordinating_agencies=list(coordinating)
    )


def test_an_agency_queue_counts_and_orders_what_is_routed_to_it(
    client, zone, enterprise_user, board_user, agency, agency_user
):
    other = Agency.objects.create(code="XD-HN", kind=Agency.Kind.CONSTRUCTION, name_vi="Sở Xây dựng", name_en="DoC")
    client.force_login(agency_user)
    assert client.get("/api/v1/petitions", {"status": "open"}).json()["count"] == 0
    first = _petition(zone, enterprise_user, "Một")
    _route(first, board_user, agency)
    page = client.get("/api/v1/petitions", {"status": "open"}).json()
    assert page["count"] == 1 and [r["reference"] for r in page["items"]] == [first.reference]
    second = _petition(zone, enterprise_user, "Hai")
    _route(second, board_user, other, coordinating=[agency])  # coordinated: in the queue too
    third = _petition(zone, enterprise_user, "Ba")
    _route(third, board_user, other)  # not this agency's
    page = client.get("/api/v1/petitions", {"status": "open", "page_size": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    both = client.get("/api/v1/petitions", {"status": "open"}).json()["items"]
    assert [r["reference"] for r in both] == [first.reference, second.reference]  # by deadline
    assert both[1]["lead_agency"] == "XD-HN" and both[0]["zone"] == zone.code and both[0]["paused"] is False
    first.refresh_from_db()
    petitions.petition_act(petition=first, action="transfer", by=agency_user, reason="Thuộc thẩm quyền EVN")
    page = client.get("/api/v1/petitions", {"status": "open"}).json()  # back with the board: not ours
    assert page["count"] == 1 and [r["reference"] for r in page["items"]] == [second.reference]


def test_the_project_list_count_follows_a_registration(client, zone, make_project):
    make_project(zone=zone, name_vi="Nhà máy thiết bị điện")
    url = "/api/v1/projects"
    assert client.get(url, {"q": "thiet bi"}).json()["count"] == 1
    make_project(zone=zone, name_vi="Trung tâm Thiết Bị số")
    page = client.get(url, {"q": "thiet bi"}).json()
    assert page["count"] == 2
    assert [r["name_vi"] for r in page["items"]] == ["Nhà máy thiết bị điện", "Trung tâm Thiết Bị số"]
    assert page["items"][0]["zone"] == zone.code and page["items"][0]["enterprise"]
