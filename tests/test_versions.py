"""Writes on a record read before (issue 21, item 5): every write that changes an existing record
carries the version its writer read. Without it the API answers 422 naming `version`; with an older
one it answers 409 (one error shape, `errors.version`) and the pages 409 with the reason, and in
every case nothing is written: another person's change is never replaced unseen.

Each test below was run against the code before this rule: each failed there (the write without
a version, or on an older one, answered 2xx and overwrote, or the page took the current version).
The last test walks the OpenAPI document so that a new write on a record cannot leave the rule out.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, stored_files
from tests.test_attachments import make_pdf
from zonedesk.core.models import Role, User
from zonedesk.dialogue import services as dialogue
from zonedesk.dialogue.models import Conference, Tabling
from zonedesk.ecosystem import services as ecosystem
from zonedesk.ecosystem.models import Actor, Indicator, Target
from zonedesk.investment import services as investment
from zonedesk.investment.models import Amendment, PeriodicReport, Project
from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Answer, Petition, PolicyAction
from zonedesk.planning import services as planning
from zonedesk.planning.models import PlanningDecision

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post_json(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def _refused_as_stale(response) -> None:
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["detail"] and body["errors"]["version"]


def _refused_without_version(response) -> None:
    assert response.status_code == 422, response.content
    assert response.json()["errors"]["version"]


# --- petitions ----------------------------------------------------------------------------------


def _assigned(zone, enterprise_user, board_user, agency) -> Petition:
    p = petitions.petition_submit(
        zone=zone,
        title="Chậm hoàn thuế GTGT",
        body="Hồ sơ hoàn thuế nộp từ tháng 3.",
        category="tax",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
    )
    p = petitions.petition_act(petition=p, action="triage", by=board_user)
    return petitions.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)


def test_an_answer_replaces_no_draft_its_writer_has_not_seen(zone, enterprise_user, board_user, agency, agency_user):
    p = _assigned(zone, enterprise_user, board_user, agency)
    colleague = User.objects.create_user("cq1b", password=PASSWORD, role=Role.AGENCY, agency=agency)
    first, second = login(agency_user), login(colleague)
    url = f"/api/v1/petitions/{p.reference}/answers"
    read = second.get(f"/api/v1/petitions/{p.reference}").json()["version"]  # the colleague reads the petition
    v = first.get(f"/api/v1/petitions/{p.reference}").json()["version"]
    assert post_json(first, url, {"body": "Bản nháp của cán bộ A", "version": v}).status_code == 201

    _refused_without_version(post_json(second, url, {"body": "Bản của cán bộ B"}))
    _refused_as_stale(post_json(second, url, {"body": "Bản của cán bộ B", "version": read}))
    assert list(Answer.objects.filter(petition=p).values_list("body", flat=True)) == ["Bản nháp của cán bộ A"]
    # read again, the colleague sees the draft and may change it knowingly
    fresh = second.get(f"/api/v1/petitions/{p.reference}").json()
    assert [a["body"] for a in fresh["answers"]] == ["Bản nháp của cán bộ A"]
    assert post_json(second, url, {"body": "Bản của cán bộ B", "version": fresh["version"]}).status_code == 201


def test_a_rating_needs_the_version_read(zone, enterprise_user, board_user, agency, agency_user):
    p = _assigned(zone, enterprise_user, board_user, agency)
    petitions.answer_write(petition=p, by=agency_user, body="Đã hoàn thuế.", submit=True)
    p = petitions.petition_act(petition=Petition.objects.get(pk=p.pk), action="answer", by=board_user)
    owner = login(enterprise_user)
    url = f"/api/v1/petitions/{p.reference}/rating"
    read = owner.get(f"/api/v1/petitions/{p.reference}").json()["version"]
    petitions.petition_act(petition=p, action="publish", by=board_user, public_summary="Hỏi về hoàn thuế GTGT.")

    _refused_without_version(post_json(owner, url, {"satisfied": False}))
    _refused_as_stale(post_json(owner, url, {"satisfied": False, "version": read}))
    p.refresh_from_db()
    assert p.satisfied is None and p.rated_at is None
    fresh = owner.get(f"/api/v1/petitions/{p.reference}").json()["version"]
    assert post_json(owner, url, {"satisfied": True, "version": fresh}).status_code == 200


def test_a_policy_action_changes_only_from_the_version_read(zone, board_user, agency):
    action = petitions.policy_action_create(title="Rút ngắn thời hạn cấp phép", owner=agency, by=board_user)
    board = login(board_user)
    url = f"/api/v1/policy-actions/{action.pk}"
    assert post_json(board, url, {"progress": 40, "version": 1}).status_code == 200
    _refused_without_version(post_json(board, url, {"progress": 90}))
    _refused_as_stale(post_json(board, url, {"progress": 10, "version": 1}))
    assert PolicyAction.objects.get(pk=action.pk).progress == 40


# --- periodic reports ---------------------------------------------------------------------------


def test_a_report_corrected_twice_from_the_same_read_is_a_conflict(project, enterprise_user):
    report = investment.report_submit(
        project=project, period_kind="year", year=2025, figures={"workers_total": 10}, by=enterprise_user
    )
    client = login(enterprise_user)
    read = client.get(f"/api/v1/reports/{report.pk}").json()
    url = f"/api/v1/reports/{report.pk}/corrections"
    body = {"figures": {"workers_total": 12}, "reason": "Soát lại số lao động", "version": read["version"]}
    first = post_json(client, url, body)
    assert first.status_code == 201 and first.json()["version"] == 2
    # the same read sent again (a second click, or a second person): a conflict, not a version 3
    _refused_as_stale(post_json(client, url, body | {"figures": {"workers_total": 13}}))
    _refused_as_stale(post_json(client, f"/api/v1/reports/{first.json()['id']}/corrections", body))
    _refused_without_version(post_json(client, url, {"figures": {"workers_total": 14}, "reason": "Không có phiên bản"}))
    current = PeriodicReport.objects.get(project=project, is_current=True)
    assert PeriodicReport.objects.filter(project=project).count() == 2
    assert (current.version, current.workers_total) == (2, 12)


def test_the_correction_page_refuses_a_form_read_before_another_correction(project, enterprise_user):
    report = investment.report_submit(
        project=project, period_kind="year", year=2025, figures={"workers_total": 10}, by=enterprise_user
    )
    client = login(enterprise_user)
    url = reverse("report_correct", args=[report.pk])
    assert 'name="version" value="1"' in client.get(url).content.decode()
    figures = {f: "0" for f in ("revenue_vnd", "export_vnd", "import_vnd", "rnd_spend_vnd", "taxes_paid_vnd")}
    figures |= {"workers_degree": "0", "capital_disbursed_cum_vnd": "0"}
    form = figures | {"workers_total": "12", "correction_reason": "Soát lại", "version": "1"}
    assert client.post(url, form).status_code == 302
    current = PeriodicReport.objects.get(project=project, is_current=True)
    for target in (url, reverse("report_correct", args=[current.pk])):  # the old page, or a stale form on the new
        stale = client.post(target, form | {"workers_total": "13"})
        assert stale.status_code == 409
        assert "reload" in stale.content.decode() or "tải lại" in stale.content.decode()
    without = {k: v for k, v in form.items() if k != "version"} | {"workers_total": "14"}
    assert client.post(reverse("report_correct", args=[current.pk]), without).status_code == 409
    assert list(PeriodicReport.objects.filter(project=project).values_list("version", "workers_total")) == [
        (2, 12),
        (1, 10),
    ]


# --- the registry -------------------------------------------------------------------------------


def test_a_project_moves_and_is_amended_only_from_the_version_read(project, board_user):
    board = login(board_user)
    status = f"/api/v1/projects/{project.code}/status"
    amendments = f"/api/v1/projects/{project.code}/amendments"
    moved = post_json(board, status, {"status": "land_handed_over", "reason": "Bàn giao đất", "version": 1})
    assert moved.status_code == 201
    assert board.get(f"/api/v1/projects/{project.code}").json()["version"] == 2
    # a second officer read the project at version 1: suspending it now would act on a state not seen
    _refused_as_stale(post_json(board, status, {"status": "suspended", "reason": "Tạm ngừng", "version": 1}))
    _refused_without_version(post_json(board, status, {"status": "suspended", "reason": "Tạm ngừng"}))
    amendment = {"date": "2025-01-10", "summary": "Tăng vốn", "capital_change_vnd": 5_000_000_000}
    _refused_as_stale(post_json(board, amendments, amendment | {"version": 1}))
    _refused_without_version(post_json(board, amendments, amendment))
    project.refresh_from_db()
    assert project.status == "land_handed_over" and not Amendment.objects.filter(project=project).exists()
    assert post_json(board, amendments, amendment | {"version": 2}).status_code == 201
    assert Project.objects.get(pk=project.pk).registered_capital_vnd == project.registered_capital_vnd + 5_000_000_000


def test_the_status_page_refuses_a_form_read_before_another_change(project, board_user):
    board = login(board_user)
    url = f"/projects/{project.code}/status/"
    assert 'name="version" value="1"' in board.get(url).content.decode()
    form = {"to_status": "land_handed_over", "effective_date": "2026-11-01", "reason": "Bàn giao đất", "version": "1"}
    assert board.post(url, form).status_code == 302
    stale = board.post(url, form | {"to_status": "suspended", "reason": "Tạm ngừng"})
    without = board.post(url, {k: v for k, v in form.items() if k != "version"} | {"to_status": "suspended"})
    assert stale.status_code == 409 and without.status_code == 409
    assert Project.objects.get(pk=project.pk).status == "land_handed_over"


# --- dialogue conferences -----------------------------------------------------------------------


@pytest.fixture
def tabled(board_user, zone, project, enterprise_user):
    series = dialogue.series_create(by=board_user, name_vi="Đối thoại 2024", year=2024, planned_count=6)
    starts = dt.datetime(2024, 5, 10, 1, 0, tzinfo=dt.UTC)
    conference = dialogue.conference_create(
        by=board_user,
        series=series,
        sequence=2,
        theme_vi="Tháo gỡ khó khăn",
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        venue="Hòa Lạc",
        chair="Phó Chủ tịch",
        zones=[zone],
        enterprises=[project.enterprise],
    )
    petition = petitions.petition_submit(
        zone=zone,
        title="Chậm đấu nối điện",
        body="Hồ sơ nộp từ tháng 3.",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
        received_at=starts - dt.timedelta(days=8),
    )
    return dialogue.petition_table(
        conference=conference, by=board_user, petition=petition, during_session=True, now=starts + dt.timedelta(hours=1)
    )


def test_an_answer_on_the_spot_is_not_replaced_unseen(tabled, board_user, agency):
    board = login(board_user)
    url = f"/api/v1/conferences/{tabled.conference_id}/tablings/{tabled.petition.reference}/spot-answer"
    said = {"text": "Điện lực sẽ đấu nối trong tuần.", "agency": agency.code, "speaker": "Ông D"}
    assert post_json(board, url, said | {"version": 1}).status_code == 200
    other = {"text": "Bản ghi của cán bộ khác", "agency": agency.code}
    _refused_as_stale(post_json(board, url, other | {"version": 1}))
    _refused_without_version(post_json(board, url, other))
    assert Tabling.objects.get(pk=tabled.pk).spot_answer == "Điện lực sẽ đấu nối trong tuần."
    page = reverse("conference_spot_answer", args=[tabled.conference_id, tabled.pk])
    stale = board.post(page, {"agency": agency.pk, "text": "Sửa từ trang cũ", "version": "1"})
    without = board.post(page, {"agency": agency.pk, "text": "Sửa không có phiên bản"})
    assert stale.status_code == 409 and without.status_code == 409
    assert Tabling.objects.get(pk=tabled.pk).spot_answer == "Điện lực sẽ đấu nối trong tuần."


def test_the_held_page_refuses_a_form_without_its_version(tabled, board_user):
    board = login(board_user)
    url = reverse("conference_held", args=[tabled.conference_id])
    refused = board.post(url, {"head_count": 50})  # before, the page took the current version: saved
    assert refused.status_code == 409 and refused.context["form"].non_field_errors()
    conference = Conference.objects.get(pk=tabled.conference_id)
    assert conference.status == "planned" and conference.head_count is None


# --- planning decisions -------------------------------------------------------------------------


def test_a_decisions_document_is_not_replaced_unseen(zone, board_user, media):
    decision = planning.decision_create(
        zone=zone, by=board_user, number="12/QĐ-UBND", date=dt.date(2021, 1, 1), authority="UBND TP"
    )
    board = login(board_user)
    api = f"/api/v1/planning/decisions/{decision.pk}/document"

    def upload(name: str, **fields):
        from django.core.files.uploadedfile import SimpleUploadedFile

        return {"document": SimpleUploadedFile(name, make_pdf(), content_type="application/pdf"), **fields}

    assert board.post(api, upload("ban-ky.pdf", version=1)).status_code == 200
    _refused_as_stale(board.post(api, upload("ban-khac.pdf", version=1)))
    _refused_without_version(board.post(api, upload("ban-khac.pdf")))
    page = f"/planning/decisions/{decision.pk}/document/attach"
    stale = board.post(page, upload("tu-trang-cu.pdf", version=1))
    assert stale.status_code == 409 and "tải lại" in stale.content.decode()  # the reason, on the page
    assert board.post(page, upload("khong-phien-ban.pdf")).status_code == 409
    decision = PlanningDecision.objects.get(pk=decision.pk)
    assert decision.document_name == "ban-ky.pdf" and len(stored_files(media)) == 1


# --- the ecosystem ------------------------------------------------------------------------------


def test_a_new_target_replaces_an_existing_one_only_once_it_was_shown(zone, board_user):
    indicator = Indicator.objects.get(code="T2")
    ecosystem.target_set(by=board_user, indicator=indicator, zone=zone, year=2025, value=60)
    board = login(board_user)
    form = {"indicator": indicator.pk, "zone": zone.code, "year": 2025, "value": "75", "note": ""}
    shown = board.post("/ecosystem/targets/new/", form | {"version": "0"})  # the new form knows of no target
    assert shown.status_code == 409
    assert "60" in shown.content.decode() and 'name="version" value="1"' in shown.content.decode()
    assert Target.objects.get(indicator=indicator, zone=zone, year=2025).value == 60
    assert board.post("/ecosystem/targets/new/", form | {"version": "1"}).status_code == 302  # seen: replaced
    assert Target.objects.get(indicator=indicator, zone=zone, year=2025).value == 75


def test_an_actor_ends_only_from_the_version_read(zone, board_user):
    fund = ecosystem.actor_create(by=board_user, zone=zone, kind="fund", name_vi="Quỹ", fund_kind="public")
    board = login(board_user)
    url = f"/ecosystem/actors/{fund.pk}/end/"
    assert board.post(url, {"on": "2024-06-30", "version": "1"}).status_code == 302
    assert board.post(url, {"on": "2025-12-31", "version": "1"}).status_code == 409
    assert board.post(url, {"on": "2025-12-31"}).status_code == 409
    assert Actor.objects.get(pk=fund.pk).active_until == dt.date(2024, 6, 30)


# --- the document -------------------------------------------------------------------------------

# Writes on a path naming a record that need no version, and why. A new one belongs here only with
# its reason; every other write on a record must require `version` (or If-Match) and declare 409.
NOT_AN_OVERWRITE = {
    # marking one's own notification read: the time of the first reading stays, nothing is replaced
    "POST /api/v1/inbox/{notification_id}/read",
    # a new file beside the petition's others (at most ten, counted under the petition's row lock)
    "POST /api/v1/petitions/{reference}/attachments",
    # a petition put on the conference's agenda: a new row, once per petition (a second is 422)
    "POST /api/v1/conferences/{conference_id}/tablings",
}


def test_every_write_on_a_record_requires_the_version_read_in_the_document():
    from zonedesk.api import api, requires_version

    schema = api.get_openapi_schema()
    writes, missing = set(), []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in {"post", "patch", "put", "delete"} or "{" not in path:
                continue
            key = f"{method.upper()} {path}"
            writes.add(key)
            if key in NOT_AN_OVERWRITE:
                continue
            if not requires_version(schema, operation) or "409" not in operation["responses"]:
                missing.append(key)
            elif "version" not in operation["responses"]["409"]["description"]:
                missing.append(f"{key} (its 409 does not say why)")
    assert not missing, f"writes on a record without the version their writer read: {missing}"
    assert NOT_AN_OVERWRITE <= writes, f"exceptions for operations that no longer exist: {NOT_AN_OVERWRITE - writes}"
