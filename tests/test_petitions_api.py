"""The petition API: the contract, intake by enterprise and public, access, 409s and the public side."""

from __future__ import annotations

import json

import pytest
from django.core.cache import cache
from django.test import Client

from zonedesk.petitions import services
from zonedesk.petitions.models import Petition

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, data, **extra):
    return client.post(url, data=json.dumps(data), content_type="application/json", **extra)


FORM = {
    "zone": "HHTP",
    "title": "Chậm cấp giấy phép xây dựng",
    "body": "Hồ sơ nộp đã 45 ngày chưa có kết quả.",
    "category": "construction",
}


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_enterprise_files_through_the_api_and_sees_its_petition(zone, project, enterprise_user, other_enterprise_user):
    client = _login(enterprise_user)
    r = _post(client, "/api/v1/petitions", FORM | {"project": project.code})
    assert r.status_code == 201, r.content
    ref = r.json()["reference"]
    assert ref.startswith("PAKN-")
    p = Petition.objects.get(reference=ref)
    assert p.enterprise == enterprise_user.enterprise and p.project == project and p.source == "portal"
    assert [x["reference"] for x in client.get("/api/v1/petitions").json()["items"]] == [ref]
    assert _login(other_enterprise_user).get(f"/api/v1/petitions/{ref}").status_code == 404
    assert _login(other_enterprise_user).get("/api/v1/petitions").json()["count"] == 0


def test_public_form_is_throttled_per_address(zone):
    client = Client()
    body = FORM | {"petitioner_name": "Trần Thị B", "petitioner_email": "b@example.vn", "consent_version": 1}
    codes = [_post(client, "/api/v1/petitions", body, REMOTE_ADDR="203.0.113.7").status_code for _ in range(6)]
    assert codes == [201, 201, 201, 201, 201, 429]
    assert _post(client, "/api/v1/petitions", body, REMOTE_ADDR="203.0.113.8").status_code == 201
    missing = _post(client, "/api/v1/petitions", FORM, REMOTE_ADDR="203.0.113.9")
    assert missing.status_code == 422 and "petitioner_name" in missing.json()["errors"]


def test_a_logged_in_session_needs_its_csrf_token_to_file(zone, project, enterprise_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(enterprise_user)
    assert _post(client, "/api/v1/petitions", FORM).status_code == 403
    client.get("/api/v1/session")
    token = client.cookies["csrftoken"].value
    assert _post(client, "/api/v1/petitions", FORM, HTTP_X_CSRFTOKEN=token).status_code == 201


def test_walk_through_the_api_with_409s(zone, project, enterprise_user, board_user, agency, agency_user):
    ref = _post(_login(enterprise_user), "/api/v1/petitions", FORM).json()["reference"]
    board = _login(board_user)
    detail = board.get(f"/api/v1/petitions/{ref}").json()
    assert set(detail["allowed_actions"]) == {"triage", "reject", "merge"}
    v = detail["version"]
    r = _post(board, f"/api/v1/petitions/{ref}/actions", {"action": "start", "version": v})
    assert r.status_code == 403  # only the lead agency starts
    r = _post(board, f"/api/v1/petitions/{ref}/actions", {"action": "publish", "version": v})
    assert r.status_code == 409 and r.json()["detail"]
    r = _post(board, f"/api/v1/petitions/{ref}/actions", {"action": "triage", "version": v, "impact_workers": 40})
    assert r.status_code == 200 and r.json()["impact_workers"] == 40
    stale = _post(board, f"/api/v1/petitions/{ref}/actions", {"action": "reject", "version": v, "reason": "x"})
    assert stale.status_code == 409  # written on an old version
    v = r.json()["version"]
    r = _post(board, f"/api/v1/petitions/{ref}/actions", {"action": "assign", "version": v, "lead_agency": "NOPE"})
    assert r.status_code == 422 and "lead_agency" in r.json()["errors"]
    r = _post(board, f"/api/v1/petitions/{ref}/actions", {"action": "assign", "version": v, "lead_agency": agency.code})
    assert r.status_code == 200 and r.json()["lead_agency"] == agency.code
    officer = _login(agency_user)
    assert officer.get(f"/api/v1/petitions/{ref}").status_code == 200
    v = officer.get(f"/api/v1/petitions/{ref}").json()["version"]
    a = _post(
        officer,
        f"/api/v1/petitions/{ref}/answers",
        {"body": "Sở đã cấp phép ngày 20/11.", "submit": True, "version": v},
    )
    assert a.status_code == 201 and a.json()["state"] == "submitted"
    # the enterprise does not see the answer before the board approves it
    assert _login(enterprise_user).get(f"/api/v1/petitions/{ref}").json()["answers"] == []
    v = board.get(f"/api/v1/petitions/{ref}").json()["version"]
    r = _post(board, f"/api/v1/petitions/{ref}/actions", {"action": "answer", "version": v})
    assert r.status_code == 200 and r.json()["status"] == "answered"
    owner = _login(enterprise_user).get(f"/api/v1/petitions/{ref}").json()
    assert [x["body"] for x in owner["answers"]] == ["Sở đã cấp phép ngày 20/11."]
    assert owner["petitioner"] is None and owner["confidential_note"] is None


def test_published_answers_show_only_the_public_summary(
    zone, project, enterprise_user, board_user, agency, agency_user
):
    p = services.petition_submit(
        zone=zone,
        title="Bí mật: hợp đồng 12 tỷ",
        body="Giá trị hợp đồng 12 tỷ đồng",
        category="tax",
        enterprise=enterprise_user.enterprise,
    )
    p = services.petition_act(petition=p, action="triage", by=board_user, confidential_note="Hợp đồng 12 tỷ")
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    services.answer_write(petition=p, by=agency_user, body="Đã hoàn thuế theo quy định.", submit=True)
    p = services.petition_act(petition=p, action="answer", by=board_user)
    client = Client()
    assert client.get("/api/v1/petitions/published").json()["count"] == 0
    services.petition_act(
        petition=p, action="publish", by=board_user, public_summary="Doanh nghiệp hỏi về hoàn thuế GTGT."
    )
    items = client.get("/api/v1/petitions/published?q=hoan thue").json()["items"]
    assert len(items) == 1
    text = json.dumps(items, ensure_ascii=False)
    assert "12 tỷ" not in text and "Bí mật" not in text
    assert items[0]["answer"] == "Đã hoàn thuế theo quy định."
    assert client.get(f"/api/v1/petitions/{p.reference}").status_code == 401


def test_figures_contract(zone, project, enterprise_user, board_user, agency, agency_user, client):
    for i in range(3):
        p = services.petition_submit(
            zone=zone, title=f"Vướng mắc {i}", body="Nội dung", category="tax", enterprise=enterprise_user.enterprise
        )
        if i < 2:
            p = services.petition_act(petition=p, action="triage", by=board_user)
            p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
            services.answer_write(petition=p, by=agency_user, body="Trả lời", submit=True)
            services.petition_act(petition=p, action="answer", by=board_user)
    year = p.year
    body = client.get(f"/api/v1/petitions/figures?zone=HHTP&year={year}").json()
    assert body["received"] == 3 and body["resolved"] == 2
    assert body["resolved_on_time_rate"] == 1.0
    assert body["median_days_to_resolve"] is not None
    assert body["agency_ranking"] == [agency.code]


def test_public_search_never_matches_the_private_text(zone, enterprise_user, board_user, agency, agency_user, client):
    p = services.petition_submit(
        zone=zone,
        title="Nhà thầu Xuân Mai",
        body="Tranh chấp với nhà thầu Xuân Mai",
        category="construction",
        enterprise=enterprise_user.enterprise,
    )
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    services.answer_write(petition=p, by=agency_user, body="Đề nghị hai bên thương lượng.", submit=True)
    p = services.petition_act(petition=p, action="answer", by=board_user)
    services.petition_act(petition=p, action="publish", by=board_user, public_summary="Tranh chấp hợp đồng xây dựng.")
    assert client.get("/api/v1/petitions/published?q=xuan mai").json()["count"] == 0
    assert client.get("/api/v1/petitions/published?q=thuong luong").json()["count"] == 1


def test_policy_action_groups_repeated_difficulties(zone, enterprise_user, board_user, agency, agency_user):
    refs = [
        services.petition_submit(
            zone=zone,
            title=f"Giấy phép lao động {i}",
            body="Thời hạn cấp quá dài",
            category="labour",
            enterprise=enterprise_user.enterprise,
        ).reference
        for i in range(2)
    ]
    board = _login(board_user)
    assert _post(_login(agency_user), "/api/v1/policy-actions", {"title": "x", "owner": agency.code}).status_code == 403
    created = _post(
        board, "/api/v1/policy-actions", {"title": "Rút ngắn thời hạn cấp giấy phép lao động", "owner": agency.code}
    )
    assert created.status_code == 201, created.content
    pid, version = created.json()["id"], created.json()["version"]
    r = _post(
        board,
        f"/api/v1/policy-actions/{pid}",
        {"progress": 40, "state": "in_progress", "petitions": refs, "version": version},
    )
    assert r.status_code == 200 and sorted(r.json()["petitions"]) == sorted(refs)
    shown = _login(enterprise_user).get(f"/api/v1/petitions/{refs[0]}").json()["policy_action"]
    assert shown["progress"] == 40 and shown["state"] == "in_progress"
    bad = _post(board, f"/api/v1/policy-actions/{pid}", {"progress": 140, "version": r.json()["version"]})
    assert bad.status_code == 422


def test_a_published_answer_stays_public_after_closing(zone, enterprise_user, board_user, agency, agency_user, client):
    p = services.petition_submit(
        zone=zone,
        title="Cấp nước",
        body="Áp lực nước yếu",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
    )
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    services.answer_write(petition=p, by=agency_user, body="Đã tăng áp.", submit=True)
    p = services.petition_act(petition=p, action="answer", by=board_user)
    p = services.petition_act(petition=p, action="publish", by=board_user, public_summary="Áp lực nước yếu.")
    answered = client.get("/api/v1/petitions/published").json()["items"]
    assert [(a["reference"], a["state"], a["answer"]) for a in answered] == [(p.reference, "answered", "Đã tăng áp.")]
    p = services.petition_act(petition=p, action="close", by=enterprise_user)
    published = client.get("/api/v1/petitions/published").json()
    assert published["count"] == 1 and published["items"][0]["state"] == "resolved"

    # reopened: the published answer stays as the record, and the public is told it is handled again
    p = services.petition_act(
        petition=p, action="reopen", by=enterprise_user, reason="Áp lực vẫn yếu vào giờ cao điểm."
    )
    reopened = client.get("/api/v1/petitions/published").json()["items"]
    assert [(a["state"], a["answer"]) for a in reopened] == [("reopened", "Đã tăng áp.")]
    client.cookies["django_language"] = "en"
    page = client.get("/answers/").content.decode()
    assert f'data-reference="{p.reference}" data-state="reopened"' in page
    assert "Reopened, being handled again" in page and "Đã tăng áp." in page
    assert "Áp lực vẫn yếu" not in page  # the enterprise's reason stays private

    # answered again: the public keeps reading the published answer until the board publishes the new one
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    services.answer_write(petition=p, by=agency_user, body="Đã lắp trạm bơm tăng áp.", submit=True)
    p = services.petition_act(petition=p, action="answer", by=board_user)
    again = client.get("/api/v1/petitions/published").json()["items"]
    assert [(a["state"], a["answer"]) for a in again] == [("reopened", "Đã tăng áp.")]
    assert client.get("/api/v1/petitions/published?q=tram bom").json()["count"] == 0
    services.petition_act(petition=p, action="publish", by=board_user, public_summary="Áp lực nước yếu giờ cao điểm.")
    again = client.get("/api/v1/petitions/published").json()["items"]
    assert [(a["state"], a["answer"]) for a in again] == [("answered", "Đã lắp trạm bơm tăng áp.")]
    assert client.get("/api/v1/petitions/published?q=tram bom").json()["count"] == 1


def test_the_enterprise_api_view_hides_officers_and_internal_notes(
    zone, enterprise_user, board_user, agency, agency_user
):
    p = services.petition_submit(
        zone=zone,
        title="Điện",
        body="Mất điện",
        category="infrastructure",
        enterprise=enterprise_user.enterprise,
        by=enterprise_user,
    )
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    answer = services.answer_write(petition=p, by=agency_user, body="Nháp", submit=True)
    services.answer_return(answer=answer, by=board_user, note="Ghi chú nội bộ cho cơ quan")
    events = _login(enterprise_user).get(f"/api/v1/petitions/{p.reference}").json()["events"]
    text = json.dumps(events, ensure_ascii=False)
    assert "Ghi chú nội bộ" not in text and board_user.username not in text and agency_user.username not in text
    board_view = json.dumps(_login(board_user).get(f"/api/v1/petitions/{p.reference}").json(), ensure_ascii=False)
    assert "Ghi chú nội bộ" in board_view


def test_no_reference_of_another_enterprise_leaks_through_merges_or_policy_actions(
    zone, enterprise_user, other_enterprise_user, board_user, agency
):
    mine = services.petition_submit(
        zone=zone, title="A", body="A", category="labour", enterprise=enterprise_user.enterprise
    )
    theirs = services.petition_submit(
        zone=zone, title="B", body="B", category="labour", enterprise=other_enterprise_user.enterprise
    )
    action = services.policy_action_create(title="Rút ngắn thủ tục", owner=agency, by=board_user)
    services.petitions_group(petitions=[mine, theirs], action=action, by=board_user)
    services.petition_act(petition=theirs, action="merge", by=board_user, into=mine)
    other = _login(other_enterprise_user)
    assert other.get(f"/api/v1/petitions/{theirs.reference}").json()["merged_into"] is None
    listed = other.get("/api/v1/policy-actions").json()[0]["petitions"]
    assert listed == [theirs.reference]
    assert sorted(_login(board_user).get("/api/v1/policy-actions").json()[0]["petitions"]) == sorted(
        [mine.reference, theirs.reference]
    )


def test_over_long_triage_fields_are_422_not_a_crash(zone, enterprise_user, board_user):
    p = services.petition_submit(
        zone=zone, title="Đất", body="Lô đất", category="land", enterprise=enterprise_user.enterprise
    )
    r = _post(
        _login(board_user),
        f"/api/v1/petitions/{p.reference}/actions",
        {"action": "triage", "version": p.version, "parcel_code": "x" * 300},
    )
    assert r.status_code == 422 and "parcel_code" in r.json()["errors"]
    with pytest.raises(Exception) as exc:
        services.petition_act(petition=p, action="triage", by=board_user, procedure="y" * 1000)
    assert "procedure" in exc.value.message_dict


def test_schema_errors_name_the_field_on_both_intake_endpoints(zone, client):
    too_long = {"zone": zone.code, "title": "Ngập", "body": "x" * 20_001, "category": "infrastructure"}
    as_json = client.post("/api/v1/petitions", data=json.dumps(too_long), content_type="application/json")
    assert as_json.status_code == 422 and list(as_json.json()["errors"]) == ["body"]
    as_form = client.post("/api/v1/petitions/with-files", {**too_long, "title": "x" * 301})
    assert as_form.status_code == 422 and sorted(as_form.json()["errors"]) == ["body", "title"]


def test_published_answers_of_a_zone_named_in_any_case(
    zone, other_zone, enterprise_user, board_user, agency, agency_user
):
    """?zone=hhtp is HHTP in the public API and on the public page, as in the planning API."""
    p = services.petition_submit(
        zone=zone, title="Hoàn thuế", body="Hỏi về hoàn thuế", category="tax", enterprise=enterprise_user.enterprise
    )
    p = services.petition_act(petition=p, action="triage", by=board_user)
    p = services.petition_act(petition=p, action="assign", by=board_user, lead_agency=agency)
    services.answer_write(petition=p, by=agency_user, body="Đã hoàn thuế theo quy định.", submit=True)
    p = services.petition_act(petition=p, action="answer", by=board_user)
    services.petition_act(petition=p, action="publish", by=board_user, public_summary="Hỏi về hoàn thuế GTGT.")
    client = Client()
    assert client.get("/api/v1/petitions/published?zone=hhtp").json()["count"] == 1
    assert client.get("/api/v1/petitions/published?zone=kcntl").json()["count"] == 0
    page = client.get("/answers/", {"zone": "hhtp", "year": p.year}).content.decode()
    assert '<input type="hidden" name="zone" value="HHTP">' in page and p.reference in page  # the zone is chosen
