"""Fields a caller may not set (issue 21, item 7): refused with 422 naming the field, and nothing
written; never applied, never dropped in silence (a client that believes it set something must
learn that it did not).

Classes: a petition's fields for the other side (the public's priority, project and procedure;
an enterprise's petitioner contact), in JSON and in multipart; a field the write does not have
(any body: a report's `is_current`, a conference's `status`, the intake suggestion); a field of
another lifecycle action or clock operation; `null` for a field a change cannot empty; a figure a
correction does not have. Each test was run against the code before: each failed there (201 or
200 with the field applied or dropped).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.test_attachments import make_pdf
from zonedesk.dialogue import services as dialogue
from zonedesk.dialogue.models import Conference
from zonedesk.investment import services as investment
from zonedesk.investment.models import PeriodicReport
from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Petition, PolicyAction

pytestmark = pytest.mark.django_db

PETITION = {
    "zone": "HHTP",
    "title": "Đèn đường tắt sau 22 giờ",
    "body": "Trục chính tối từ 22 giờ, đề nghị kiểm tra.",
    "category": "infrastructure",
}
CONTACT = {"petitioner_name": "Trần Thị B", "petitioner_email": "b@example.vn", "consent_version": 1}


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client, url, data, method="post"):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def _refused(response, *fields: str) -> None:
    assert response.status_code == 422, response.content
    assert set(fields) <= set(response.json()["errors"]), response.json()


@pytest.mark.parametrize(
    "field, value",
    [("priority", "urgent"), ("priority", "normal"), ("procedure", "Cấp phép xây dựng"), ("project", "HHT0000001")],
)
def test_the_public_cannot_set_what_only_an_enterprise_or_the_board_sets(zone, project, field, value):
    r = post_json(Client(), "/api/v1/petitions", PETITION | CONTACT | {field: value})
    _refused(r, field)
    assert not Petition.objects.exists()
    # the same petition without it is received, at the ordinary priority and deadline
    assert post_json(Client(), "/api/v1/petitions", PETITION | CONTACT).status_code == 201
    assert Petition.objects.get().priority == "normal"


def test_the_public_cannot_set_the_priority_in_a_multipart_petition_either(zone):
    files = {"attachments": SimpleUploadedFile("anh.pdf", make_pdf(), content_type="application/pdf")}
    r = Client().post("/api/v1/petitions/with-files", PETITION | CONTACT | {"priority": "urgent"} | files)
    _refused(r, "priority")
    unknown = Client().post("/api/v1/petitions/with-files", PETITION | CONTACT | {"lead_agency": "TAX-HN"})
    _refused(unknown, "lead_agency")
    assert not Petition.objects.exists()


def test_an_enterprise_does_not_send_a_petitioner_contact(zone, project, enterprise_user):
    r = post_json(login(enterprise_user), "/api/v1/petitions", PETITION | {"petitioner_phone": "0912345678"})
    _refused(r, "petitioner_phone")
    assert not Petition.objects.exists()


@pytest.mark.parametrize(
    "extra", [{"suggested_agency": "TAX-HN"}, {"lead_agency": "TAX-HN"}, {"status": "answered"}, {"source": "portal"}]
)
def test_a_field_the_petition_intake_does_not_have_is_refused(zone, project, enterprise_user, extra):
    _refused(post_json(login(enterprise_user), "/api/v1/petitions", PETITION | extra), *extra)
    assert not Petition.objects.exists()


def test_a_report_cannot_carry_its_own_version_or_state(project, enterprise_user):
    report = {"project": project.code, "period_kind": "year", "year": 2025, "workers_total": 10}
    client = login(enterprise_user)
    _refused(
        post_json(client, "/api/v1/reports", report | {"version": 7, "is_current": False}), "version", "is_current"
    )
    assert not PeriodicReport.objects.exists()


def test_a_correction_names_the_figure_it_does_not_have(project, enterprise_user):
    report = investment.report_submit(project=project, period_kind="year", year=2025, figures={"workers_total": 10})
    r = post_json(
        login(enterprise_user),
        f"/api/v1/reports/{report.pk}/corrections",
        {"figures": {"workers_total": 12, "profit_vnd": 5}, "reason": "Soát lại", "version": 1},
    )
    _refused(r, "figures.profit_vnd")
    assert PeriodicReport.objects.count() == 1


def test_an_action_refuses_the_fields_of_another_action(zone, enterprise_user, board_user, agency):
    p = petitions.petition_submit(
        zone=zone,
        title="Chậm cấp phép",
        body="Đã 45 ngày.",
        category="construction",
        enterprise=enterprise_user.enterprise,
    )
    p = petitions.petition_act(petition=p, action="triage", by=board_user)
    board = login(board_user)
    url = f"/api/v1/petitions/{p.reference}/actions"
    # the priority is set at triage; sent with the assignment it would be dropped in silence
    r = post_json(
        board, url, {"action": "assign", "version": p.version, "lead_agency": agency.code, "priority": "urgent"}
    )
    _refused(r, "priority")
    p.refresh_from_db()
    assert (p.status, p.priority, p.lead_agency) == ("triaged", "normal", None)


def test_a_clock_operation_refuses_a_number_of_days_it_does_not_take(zone, enterprise_user, board_user):
    p = petitions.petition_submit(
        zone=zone,
        title="Chậm cấp phép",
        body="Đã 45 ngày.",
        category="construction",
        enterprise=enterprise_user.enterprise,
    )
    r = post_json(
        login(board_user),
        f"/api/v1/petitions/{p.reference}/clock/pause",
        {"version": p.version, "reason": "Chờ bổ sung hồ sơ", "days": 10},
    )
    _refused(r, "days")
    p.refresh_from_db()
    assert p.paused_at is None


@pytest.fixture
def conference(board_user, zone):
    series = dialogue.series_create(by=board_user, name_vi="Đối thoại 2027", year=2027, planned_count=6)
    starts = dt.datetime(2027, 5, 10, 1, 0, tzinfo=dt.UTC)
    return dialogue.conference_create(
        by=board_user,
        series=series,
        sequence=1,
        theme_vi="Hạ tầng",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        venue="Hòa Lạc",
        chair="Phó Chủ tịch",
        zones=[zone],
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ({"status": "held"}, "status"),  # recorded through /held, with the head count
        ({"head_count": 92}, "head_count"),
        ({"series": 7}, "series"),
        ({"venue": None}, "venue"),  # null is not "keep": refused, not ignored
        ({"theme_en": None}, "theme_en"),
    ],
)
def test_a_conference_change_refuses_what_it_cannot_set(conference, board_user, change, field):
    url = f"/api/v1/conferences/{conference.pk}"
    r = post_json(login(board_user), url, {"version": conference.version, "chair": "Chủ tịch"} | change, "patch")
    _refused(r, field)
    conference = Conference.objects.get(pk=conference.pk)
    assert (conference.chair, conference.status, conference.version) == ("Phó Chủ tịch", "planned", 1)


def test_a_policy_action_change_refuses_null(board_user, agency):
    action = petitions.policy_action_create(title="Rút ngắn thời hạn", owner=agency, by=board_user)
    r = post_json(login(board_user), f"/api/v1/policy-actions/{action.pk}", {"version": 1, "progress": None})
    _refused(r, "progress")
    assert PolicyAction.objects.get(pk=action.pk).progress == 0


def test_a_petition_tabled_for_an_enterprise_has_no_petitioner_contact(conference, board_user, project):
    r = post_json(
        login(board_user),
        f"/api/v1/conferences/{conference.pk}/tablings",
        {
            "enterprise": project.enterprise.tax_code,
            "title": "Đường nội khu xuống cấp",
            "body": "Ổ gà trên đường số 3.",
            "category": "infrastructure",
            "petitioner_email": "ai-do@example.vn",
        },
    )
    _refused(r, "petitioner_email")
    assert not Petition.objects.exists()


def test_a_multipart_write_with_too_many_files_is_refused_in_the_apis_shape(zone, settings):
    files = [
        SimpleUploadedFile(f"anh-{i}.pdf", make_pdf(), content_type="application/pdf")
        for i in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]
    r = Client().post("/api/v1/petitions/with-files", PETITION | CONTACT | {"attachments": files})
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json") and r.json()["detail"]
    assert not Petition.objects.exists()
