"""The JSON API: the contract other programs rely on, access, pagination and 422 errors."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import PASSWORD
from zonedesk.investment import services
from zonedesk.investment.models import PeriodicReport

pytestmark = pytest.mark.django_db


def _login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client, url, data):
    return client.post(url, data=json.dumps(data), content_type="application/json")


def test_zone_figures_contract(client, project, other_project):
    r = client.get("/api/v1/zones/HHTP/figures?year=2023")
    assert r.status_code == 200
    body = r.json()
    for key in ("registered_capital_vnd", "disbursed_capital_vnd", "workers", "revenue_vnd", "land_registration_rate"):
        assert key in body
    assert body["projects"] == {"total": 1, "domestic": 1, "foreign": 0}
    assert body["registered_capital_vnd"] == 100_000_000_000
    everything = client.get("/api/v1/figures?year=2023").json()
    assert everything["projects"] == {"total": 2, "domestic": 1, "foreign": 1}
    assert everything["zone"] is None


def test_a_zone_code_in_any_case_names_the_zone(client, zone):
    assert client.get("/api/v1/zones/hhtp").json()["code"] == "HHTP"
    assert client.get("/api/v1/zones/hhtp/figures?year=2023").status_code == 200
    assert client.get("/api/v1/zones/nope").status_code == 404


def test_unknown_zone_is_404_and_bad_year_is_422(client, zone):
    assert client.get("/api/v1/zones/NOPE/figures?year=2023").status_code == 404
    r = client.get("/api/v1/zones/HHTP/figures?year=abc")
    assert r.status_code == 422
    assert "year" in r.json()["errors"]


def _no_duplicate_keys(pairs):
    keys = [key for key, _ in pairs]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    assert not duplicated, f"duplicated mapping keys: {duplicated}"
    return dict(pairs)


@pytest.mark.parametrize("path", ["/api/v1/openapi.json", "/ogc/api"])
def test_the_api_documents_are_valid_openapi_3_without_duplicate_keys(client, path):
    """Swagger UI (the docs page), code generators and strict JSON readers refuse a document whose
    object repeats a key; ninja's `404` and our `"404"` were two keys of one object in 37 operations."""
    from openapi_spec_validator import validate

    response = client.get(path, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    document = json.loads(response.content, object_pairs_hook=_no_duplicate_keys)
    validate(document)
    for item in document["paths"].values():
        for operation in item.values():
            if isinstance(operation, dict) and "responses" in operation:
                assert all(isinstance(code, str) for code in operation["responses"])


def test_openapi_document_and_local_docs_page(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/zones/{code}/figures" in doc["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "swagger-ui-bundle.js" in html and "cdn" not in html.lower()


def test_projects_are_public_but_without_private_fields(client, project):
    r = client.get("/api/v1/projects")
    assert r.status_code == 200
    item = r.json()["items"][0]
    assert item["code"] == project.code
    assert "target_workers" not in item and "targets" not in item
    detail = client.get(f"/api/v1/projects/{project.code}").json()
    assert detail["targets"] is None


def test_project_search_folds_accents(client, project, other_project):
    codes = [p["code"] for p in client.get("/api/v1/projects?q=hoa lac").json()["items"]]
    assert codes == [project.code]
    codes = [p["code"] for p in client.get("/api/v1/projects?q=THANG LONG&ownership=foreign").json()["items"]]
    assert codes == [other_project.code]


def test_project_list_is_paginated_in_a_stable_order(client, zone, make_project):
    for _ in range(7):
        make_project(zone=zone)
    first = client.get("/api/v1/projects?page=1&page_size=5").json()
    second = client.get("/api/v1/projects?page=2&page_size=5").json()
    assert first["count"] == 7
    codes = [p["code"] for p in first["items"] + second["items"]]
    assert codes == sorted(codes) and len(set(codes)) == 7


def test_owner_and_board_see_targets(project, enterprise_user, board_user, other_enterprise_user):
    assert _login(enterprise_user).get(f"/api/v1/projects/{project.code}").json()["targets"]["workers"] == 100
    assert _login(board_user).get(f"/api/v1/projects/{project.code}").json()["targets"]["workers"] == 100
    assert _login(other_enterprise_user).get(f"/api/v1/projects/{project.code}").json()["targets"] is None


def test_reports_need_login_and_are_narrowed_to_the_enterprise(
    client, project, other_project, enterprise_user, other_enterprise_user, board_user, agency_user
):
    mine = services.report_submit(project=project, period_kind="year", year=2025, figures={"revenue_vnd": 7})
    theirs = services.report_submit(project=other_project, period_kind="year", year=2025, figures={"revenue_vnd": 9})
    assert client.get("/api/v1/reports").status_code == 401
    assert _login(agency_user).get("/api/v1/reports").status_code == 403
    own = _login(enterprise_user)
    assert [r["id"] for r in own.get("/api/v1/reports").json()["items"]] == [mine.pk]
    assert own.get(f"/api/v1/reports/{theirs.pk}").status_code == 404  # not 403: it must not know it exists
    assert own.get(f"/api/v1/reports/{mine.pk}").json()["revenue_vnd"] == 7
    assert {r["id"] for r in _login(board_user).get("/api/v1/reports").json()["items"]} == {mine.pk, theirs.pk}


def test_enterprise_files_and_corrects_a_report_through_the_api(project, other_project, enterprise_user):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username=enterprise_user.username, password=PASSWORD)
    assert client.get("/api/v1/session").json()["role"] == "enterprise"  # sets the CSRF cookie
    token = client.cookies.get("csrftoken")
    payload = {
        "project": project.code,
        "period_kind": "quarter",
        "year": 2026,
        "quarter": 1,
        "revenue_vnd": 5,
        "workers_total": 3,
    }
    # without the CSRF token a session cannot write
    assert _post(client, "/api/v1/reports", payload).status_code in (401, 403)
    headers = {"HTTP_X_CSRFTOKEN": token.value} if token else {}
    r = client.post("/api/v1/reports", data=json.dumps(payload), content_type="application/json", **headers)
    assert r.status_code == 201, r.content
    report_id = r.json()["id"]
    again = client.post("/api/v1/reports", data=json.dumps(payload), content_type="application/json", **headers)
    assert again.status_code == 422
    assert again.json()["errors"]["__all__"]
    other = client.post(
        "/api/v1/reports",
        data=json.dumps(payload | {"project": other_project.code}),
        content_type="application/json",
        **headers,
    )
    assert other.status_code == 404
    fix = client.post(
        f"/api/v1/reports/{report_id}/corrections",
        data=json.dumps({"figures": {"revenue_vnd": 6}, "reason": "Nhầm", "version": 1}),
        content_type="application/json",
        **headers,
    )
    assert fix.status_code == 201 and fix.json()["version"] == 2
    assert PeriodicReport.objects.filter(project=project).count() == 2


@pytest.mark.parametrize(
    "change, field",
    [
        ({"revenue_vnd": -1}, "revenue_vnd"),
        ({"revenue_vnd": 1.5}, "revenue_vnd"),
        ({"year": 2030}, "year"),
        ({"quarter": 7}, "quarter"),
        ({"period_kind": "month"}, "period_kind"),
    ],
)
def test_bad_report_is_422_with_field_messages(project, enterprise_user, change, field):
    payload = {"project": project.code, "period_kind": "quarter", "year": 2026, "quarter": 1} | change
    r = _post(_login(enterprise_user), "/api/v1/reports", payload)
    assert r.status_code == 422, r.content
    assert field in r.json()["errors"]
    assert PeriodicReport.objects.count() == 0


def test_board_cannot_file_for_an_enterprise(project, board_user):
    """Only enterprises file reports (the access matrix): the board is refused, and nothing is filed."""
    payload = {"project": project.code, "period_kind": "quarter", "year": 2026, "quarter": 1}
    assert _post(_login(board_user), "/api/v1/reports", payload).status_code == 403
    assert not PeriodicReport.objects.exists()


def test_public_enterprise_and_investor_lists(client, project):
    enterprises = client.get("/api/v1/enterprises?q=cong ty").json()
    assert enterprises["count"] == 1 and enterprises["items"][0]["zone"] == "HHTP"
    assert client.get("/api/v1/investors").json()["count"] == 1
    assert client.get("/api/v1/zones").json()[0]["code"] == "HHTP"


def test_board_cannot_correct_an_enterprise_report(project, board_user, other_enterprise_user):
    report = services.report_submit(project=project, period_kind="year", year=2025, figures={"revenue_vnd": 7})
    body = {"figures": {"revenue_vnd": 8}, "reason": "x"}
    url = f"/api/v1/reports/{report.pk}/corrections"
    assert _post(_login(board_user), url, body).status_code == 403  # the board may read it, not correct it
    assert _post(_login(other_enterprise_user), url, body).status_code == 404  # not known to exist
    assert PeriodicReport.objects.get().revenue_vnd == 7


def test_board_registers_a_project_and_moves_it_along_its_lifecycle(zone, board_user, enterprise_user):
    from tests.conftest import make_tax_code

    board = _login(board_user)
    investor = _post(board, "/api/v1/investors", {"name": "Tập đoàn Phenikaa", "tax_code": make_tax_code()})
    assert investor.status_code == 201, investor.content
    bad_tax = _post(board, "/api/v1/enterprises", {"name": "Phenikaa", "tax_code": "0123456788", "zone": "HHTP"})
    assert bad_tax.status_code == 422 and "tax_code" in bad_tax.json()["errors"]
    enterprise = _post(
        board,
        "/api/v1/enterprises",
        {"name": "Phenikaa", "tax_code": make_tax_code(), "zone": "HHTP", "investors": [investor.json()["id"]]},
    )
    assert enterprise.status_code == 201, enterprise.content
    project = {
        "code": "PHX0000001",
        "name_vi": "Trung tâm nghiên cứu vật liệu",
        "enterprise": enterprise.json()["id"],
        "sector": "materials",
        "shares": [{"investor": investor.json()["id"], "capital_vnd": 500_000_000_000}],
        "registered_capital_vnd": 1_000_000_000_000,
        "certificate_date": "2024-05-10",
        "milestones": [{"kind": "construction", "planned_date": "2025-01-01"}],
    }
    assert _post(board, "/api/v1/projects", project | {"registered_capital_vnd": -1}).status_code == 422
    assert _post(board, "/api/v1/projects", project | {"registered_capital_vnd": 1.5}).status_code == 422
    created = _post(board, "/api/v1/projects", project)
    assert created.status_code == 201, created.content
    assert created.json()["registered_capital_vnd"] == 1_000_000_000_000

    version = created.json()["version"]
    refused = _post(
        board,
        "/api/v1/projects/PHX0000001/status",
        {"status": "operating", "reason": "Đi vào hoạt động", "version": version},
    )
    assert refused.status_code == 422 and "status" in refused.json()["errors"]
    moved = _post(
        board,
        "/api/v1/projects/PHX0000001/status",
        {"status": "land_handed_over", "reason": "Bàn giao đất", "effective_date": "2024-08-01", "version": version},
    )
    assert moved.status_code == 201 and moved.json()["from_status"] == "registered"
    assert client_status(board) == "land_handed_over"
    # an enterprise cannot touch the registry
    assert (
        _post(
            _login(enterprise_user), "/api/v1/projects/PHX0000001/status", {"status": "suspended", "reason": "x"}
        ).status_code
        == 403
    )


def client_status(client) -> str:
    return client.get("/api/v1/projects/PHX0000001").json()["status"]


def test_schema_errors_are_in_the_users_language_and_one_shape(project, enterprise_user):
    client = _login(enterprise_user)
    r = _post(client, "/api/v1/reports", {"period_kind": "quarter", "year": "năm nay"})
    assert r.status_code == 422
    errors = r.json()["errors"]
    assert errors["project"] == ["Trường này là bắt buộc."]
    assert errors["year"] == ["Nhập một số nguyên."]
    broken = client.post("/api/v1/reports", data="{not json", content_type="application/json")
    assert broken.status_code == 400 and "JSON" in broken.json()["detail"]


def test_an_absurd_page_number_is_a_422_not_a_crash(client, project):
    r = client.get("/api/v1/projects?page=99999999999999999999")
    assert r.status_code == 422 and "page" in r.json()["errors"]


def test_correction_errors_use_the_api_field_names(project, enterprise_user):
    report = services.report_submit(project=project, period_kind="year", year=2025, figures={"revenue_vnd": 7})
    r = _post(
        _login(enterprise_user),
        f"/api/v1/reports/{report.pk}/corrections",
        {"figures": {"revenue_vnd": 8}, "reason": " ", "version": report.version},
    )
    assert r.status_code == 422 and "reason" in r.json()["errors"]


def test_ping_answers_without_touching_the_database(client):
    """The benchmark's floor does nothing of its own; what every public call pays, it pays too:
    without a cache server, the public limit's count is its one statement (core.throttle)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/v1/ping")
    assert response.status_code == 200 and response.json() == {"ok": True}
    assert [q["sql"] for q in queries.captured_queries if "core_ratecount" not in q["sql"]] == []
    assert len(queries.captured_queries) == 1
