"""A zone code is read in any case everywhere a person or a script gives one (issue 24, item 4):
"hhtp" is HHTP in the zones API, in a conference's zones, in the petition queue and its API, on
the public answers page and its API, and in `plan_import --zone`; an amount of đồng above the
platform's limit is "too large" when a petition is triaged, not "not a whole number".

Each test failed on the code before: the zones API answered 404, a conference with "hhtp" was
refused with "Unknown: hhtp.", the queue and the answers page ignored the zone (every zone's
petitions were listed), the petition APIs listed nothing, the command said there was no such
zone, and 2 × 10¹⁶ đồng was refused as "Enter a whole number of đồng, without decimals."."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from tests import planning_files as files
from tests.planning_files import X0, Y0, square
from zonedesk.core.errors import ServiceError
from zonedesk.core.money import MAX_VND
from zonedesk.dialogue import services as dialogue
from zonedesk.dialogue.models import Conference
from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Petition

pytestmark = pytest.mark.django_db

TOO_LARGE = "The amount is too large."


def _client(user=None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)
    return client


def _json(client, method, url, data):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def _petition(zone, enterprise_user, title):
    return petitions.petition_submit(
        zone=zone,
        title=title,
        body="Hồ sơ nộp đã ba tháng chưa có kết quả.",
        category="construction",
        by=enterprise_user,
        enterprise=enterprise_user.enterprise,
    )


def _published(zone, enterprise_user, board_user, agency, agency_user, summary):
    p = _petition(zone, enterprise_user, title=summary)
    p = petitions.petition_act(petition=p, action="triage", by=board_user)
    p = petitions.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    p = petitions.petition_act(petition=p, action="start", by=agency_user)
    petitions.answer_write(petition=p, by=agency_user, body="Ban Quản lý đã giải quyết.", submit=True)
    p = petitions.petition_act(petition=Petition.objects.get(pk=p.pk), action="answer", by=board_user)
    return petitions.petition_act(petition=p, action="publish", by=board_user, public_summary=summary)


@pytest.fixture
def two_zones(zone, other_zone, project, other_project, enterprise_user, other_enterprise_user):
    here = _petition(zone, enterprise_user, "Chậm cấp phép ở Hòa Lạc")
    there = _petition(other_zone, other_enterprise_user, "Chậm cấp phép ở Thăng Long")
    return here, there


# --- the zones API --------------------------------------------------------------------------


def test_the_zones_api_reads_a_code_in_any_case(zone):
    r = _client().get("/api/v1/zones/hhtp")
    assert r.status_code == 200, r.content  # was 404
    assert r.json()["code"] == "HHTP"
    assert _client().get("/api/v1/zones/nowhere").status_code == 404


# --- a conference's zones -------------------------------------------------------------------


def test_a_conference_takes_its_zones_in_any_case(zone, other_zone, board_user):
    series = dialogue.series_create(
        by=board_user, name_vi="Đối thoại doanh nghiệp", name_en="Dialogues", year=2024, planned_count=6
    )
    body = {
        "series": series.pk,
        "sequence": 1,
        "theme_vi": "Lao động",
        "starts_at": "2024-09-12T08:00:00",
        "ends_at": "2024-09-12T11:00:00",
        "venue": "Hòa Lạc",
        "chair": "Chủ tịch",
        "zones": ["hhtp"],
    }
    board = _client(board_user)
    r = _json(board, "post", "/api/v1/conferences", body)
    assert r.status_code == 201, r.content  # was 422 "Unknown: hhtp."
    conference = Conference.objects.get()
    assert list(conference.zones.all()) == [zone]
    r = _json(board, "patch", f"/api/v1/conferences/{conference.pk}", {"version": 1, "zones": ["kcntl", "Hhtp"]})
    assert r.status_code == 200, r.content
    assert set(Conference.objects.get().zones.all()) == {zone, other_zone}
    bad = _json(board, "post", "/api/v1/conferences", body | {"sequence": 2, "zones": ["hhtp", "nope"]})
    assert bad.status_code == 422 and bad.json()["errors"]["zones"] == ["Unknown: nope."]


# --- the petition queue and its API ----------------------------------------------------------


def test_the_queue_page_filters_by_a_zone_code_in_any_case(two_zones, board_user):
    here, there = two_zones
    page = _client(board_user).get("/petitions/", {"zone": "hhtp"}).content.decode()
    assert 'value="HHTP" selected' in page  # the filter shows the zone it applies
    assert here.reference in page
    assert there.reference not in page  # was listed: the zone was dropped as an unknown choice


def test_the_petitions_api_filters_by_a_zone_code_in_any_case(two_zones, board_user):
    here, _there = two_zones
    r = _client(board_user).get("/api/v1/petitions", {"zone": "hhtp"})
    assert r.status_code == 200, r.content
    assert [p["reference"] for p in r.json()["items"]] == [here.reference]  # was []
    assert _client(board_user).get("/api/v1/petitions", {"zone": "nowhere"}).json()["items"] == []


# --- published answers: the page and the API ------------------------------------------------


@pytest.fixture
def published(two_zones, board_user, agency, agency_user, enterprise_user, other_enterprise_user, zone, other_zone):
    return (
        _published(zone, enterprise_user, board_user, agency, agency_user, "Đã cấp phép xây dựng ở Hòa Lạc"),
        _published(other_zone, other_enterprise_user, board_user, agency, agency_user, "Đã cấp điện ở Thăng Long"),
    )


def test_the_published_answers_api_filters_by_a_zone_code_in_any_case(published):
    here, _there = published
    r = _client().get("/api/v1/petitions/published", {"zone": "hhtp"})
    assert r.status_code == 200, r.content
    assert [p["reference"] for p in r.json()["items"]] == [here.reference]  # was []


def test_the_public_answers_page_reads_a_zone_code_in_any_case(published):
    page = _client().get("/answers/", {"zone": "hhtp"}).content.decode()
    assert "Đã cấp phép xây dựng ở Hòa Lạc" in page
    assert "Đã cấp điện ở Thăng Long" not in page  # was listed: the zone was read as every zone


# --- plan_import --zone ------------------------------------------------------------------------


def test_plan_import_takes_the_zone_code_in_any_case(zone, board_user, tmp_path):
    path = files.shapefile_zip(tmp_path / "lo.zip", [(square(X0, Y0), {"KH": "A", "LD": "CNC"})])
    out = io.StringIO()
    args = [str(path), "--zone", "hhtp", "--layer", "parcels", "--effective", "2026-01-01"]
    call_command(  # was CommandError: No zone with the code “hhtp”.
        "plan_import", *args, "--map", "code=KH", "--map", "land_use=LD", "--dry-run", stdout=out, stderr=io.StringIO()
    )
    assert "Dry run" in out.getvalue()


# --- an investment at risk above the limit ---------------------------------------------------


def test_triage_says_an_investment_above_the_limit_is_too_large(zone, project, enterprise_user, board_user):
    p = _petition(zone, enterprise_user, "Chậm đấu nối điện")
    too_large = str(2 * MAX_VND)  # a whole number, only too big
    r = _client(board_user).post(
        f"/petitions/{p.reference}/do/triage/",
        {"version": p.version, "category": "infrastructure", "priority": "normal", "impact_investment_vnd": too_large},
    )
    page = r.content.decode()
    assert r.status_code == 200 and TOO_LARGE in page, page[:2000]
    assert "without decimals" not in page  # was the service's "Enter a whole number of đồng, without decimals."
    assert Petition.objects.get(pk=p.pk).status == "submitted"
    with translation.override("en"), pytest.raises(ServiceError) as caught:
        petitions.petition_act(petition=p, action="triage", by=board_user, impact_investment_vnd=2 * MAX_VND)
    assert caught.value.message_dict["impact_investment_vnd"] == [TOO_LARGE]


# --- the home page and the dashboard ---------------------------------------------------------


def test_the_dashboard_reads_a_zone_code_in_any_case(zone, other_zone, board_user):
    page = _client(board_user).get("/dashboard/", {"zone": "hhtp"}).content.decode()
    assert 'value="HHTP" selected' in page  # was every zone: the code matched exactly


def test_the_project_list_filters_by_a_zone_code_in_any_case(project, other_project, board_user):
    page = _client(board_user).get("/projects/", {"zone": "hhtp"}).content.decode()
    assert 'value="HHTP" selected' in page
    assert project.code in page
    assert other_project.code not in page  # was listed: the zone was dropped as an unknown choice


# --- filing a petition on the portal ---------------------------------------------------------


def test_the_portal_files_a_petition_for_a_zone_code_in_any_case(zone, project, enterprise_user):
    r = _client(enterprise_user).post(
        "/portal/petitions/new/",
        {
            "zone": "hhtp",
            "title": "Chậm đấu nối điện",
            "body": "Doanh nghiệp đã nộp hồ sơ đấu nối từ tháng 8 nhưng chưa được cấp điện.",
            "category": "infrastructure",
            "priority": "normal",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]  # was 200: "Select a valid choice."
    assert Petition.objects.get().zone == zone


# --- the board's forms that choose a zone -----------------------------------------------------


def test_the_ecosystem_and_roadmap_forms_take_a_zone_code_in_any_case(zone, board_user):
    from zonedesk.ecosystem.models import Actor

    board = _client(board_user)
    form = board.get("/ecosystem/actors/new/", {"zone": "hhtp"}).content.decode()
    assert 'value="HHTP" selected' in form  # was no zone chosen: the link's code matched exactly
    r = board.post("/ecosystem/actors/new/", {"zone": "hhtp", "kind": "university", "name_vi": "Đại học Quốc gia"})
    assert r.status_code == 302, r.content.decode()[:3000]  # was 200: "Select a valid choice."
    assert Actor.objects.get(name_vi="Đại học Quốc gia").zone == zone
