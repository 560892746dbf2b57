"""The one-stop desk's API, the contract other systems and our checks use: the catalogue, filing
with files, a dossier's steps with the version read, the public lookup (no names, no files), the
figures, and what each caller may reach."""

from __future__ import annotations

import json

import pytest
from django.test import Client


@pytest.fixture
def desk(one_stop_desk):
    return one_stop_desk[0]


def login(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def pdf_file(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")


def file_adjustment(client: Client, project, **extra):
    form = {
        "registered_capital_vnd": project.registered_capital_vnd + 10**10,
        "objectives": "Phần mềm",
        "reason": "Mở rộng",
    }
    data = {
        "procedure": "DT-03",
        "project": project.code,
        "form": json.dumps(form),
        **{f"part_{i}": pdf_file(f"phan-{i}.pdf") for i in (1, 2, 3)},
        **extra,
    }
    return client.post("/api/v1/dossiers/with-files", data)


def test_the_catalogue_lists_and_searches_without_accents_and_says_the_time_limit(desk, client):
    rows = client.get("/api/v1/procedures?q=giay phep lao dong").json()
    assert [r["code"] for r in rows] == ["LD-01"]
    detail = client.get("/api/v1/procedures/LD-01").json()
    assert (detail["processing_time"], detail["time_kind"]) == (10, "working_days")
    assert len(detail["parts"]) == 7 and detail["fee_vnd"] == 600_000
    assert [v["processing_time"] for v in detail["versions"]] == [5, 10]  # the limit changed in 2025
    assert client.get("/api/v1/procedures/NOPE").status_code == 404


def test_an_enterprise_files_with_files_and_follows_its_dossier_others_do_not_see_it(
    desk, enterprise_user, project, other_enterprise_user, other_project
):
    owner = login(enterprise_user)
    answer = file_adjustment(owner, project)
    assert answer.status_code == 201, answer.content
    code = answer.json()["code"]
    assert answer.json()["status"] == "filed" and answer.json()["appointment_date"] is None
    # another enterprise's project: refused, naming the field
    refused = file_adjustment(login(other_enterprise_user), project)
    assert refused.status_code == 422 and "project" in refused.json()["errors"]
    # a part of the wrong type (an image where only PDF is accepted)
    from django.core.files.uploadedfile import SimpleUploadedFile

    image = SimpleUploadedFile("quyet-dinh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, content_type="image/png")
    wrong = file_adjustment(owner, project, part_3=image)
    assert wrong.status_code == 422
    # a part the procedure does not have
    assert file_adjustment(owner, project, part_9=pdf_file("x.pdf")).status_code == 422
    assert login(other_enterprise_user).get(f"/api/v1/dossiers/{code}").status_code == 404
    mine = owner.get(f"/api/v1/dossiers/{code}").json()
    assert mine["status"] == "filed" and mine["form"]["reason"] == "Mở rộng"
    assert [d["code"] for d in owner.get("/api/v1/dossiers").json()] == [code]


def test_each_step_carries_the_version_read_and_the_lookup_shows_no_names(desk, enterprise_user, project, client):
    code = file_adjustment(login(enterprise_user), project).json()["code"]
    desk_client = login(desk["motcua"])
    read = desk_client.get(f"/api/v1/dossiers/{code}").json()
    assert "receive" in read["actions"]
    received = desk_client.post(
        f"/api/v1/dossiers/{code}/actions",
        {"action": "receive", "version": read["version"]},
        content_type="application/json",
    )
    assert received.status_code == 200
    body = received.json()
    assert body["status"] == "received" and body["appointment_date"] and body["unit"] == "QLDT"
    # the same step again on the version read before: 409, nothing written
    stale = desk_client.post(
        f"/api/v1/dossiers/{code}/actions",
        {"action": "receive", "version": read["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    # a supplement request without reasons: 422; with them, the clock stops
    division = login(desk["chuyenvien"])
    version = body["version"]
    bad = division.post(
        f"/api/v1/dossiers/{code}/actions",
        {"action": "request_supplement", "version": version, "items": [{"part": 2}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    asked = division.post(
        f"/api/v1/dossiers/{code}/actions",
        {
            "action": "request_supplement",
            "version": version,
            "items": [{"field": "objectives", "reason": "Chưa rõ quy mô"}],
        },
        content_type="application/json",
    )
    assert asked.status_code == 200 and asked.json()["status"] == "supplement"
    # in the audit trail, with who asked: the dossier's change and the items (written in bulk)
    from auditlog.models import LogEntry

    for model in ("dossier", "supplementitem"):
        assert LogEntry.objects.filter(content_type__model=model, actor=desk["chuyenvien"]).exists(), model
    public = client.get(f"/api/v1/dossiers/lookup?code={code}")
    assert public.status_code == 200
    text = public.content.decode()
    assert public.json()["status"] == "supplement"
    assert enterprise_user.enterprise.name not in text and "motcua" not in text and "pdf" not in text
    assert client.get("/api/v1/dossiers/lookup?code=H26.71-000000-0000").status_code == 404
    assert client.get(f"/api/v1/dossiers/{code}").status_code == 401
    figures = client.get("/api/v1/dossiers/figures").json()
    assert figures["received"] == 1 and figures["online_rate"] == 1.0
    groups = {g["group"]: g for g in figures["index"]["groups"]}
    assert groups["transparency"]["measured"] is False and groups["online"]["score"] == 12.0


def test_the_agency_and_the_public_reach_no_dossier_and_the_admin_takes_no_step(
    desk, enterprise_user, project, agency_user, admin_user, client
):
    code = file_adjustment(login(enterprise_user), project).json()["code"]
    assert login(agency_user).get(f"/api/v1/dossiers/{code}").status_code == 404
    assert login(agency_user).get("/api/v1/dossiers").status_code == 403
    step = {"action": "receive", "version": 1}
    assert (
        login(admin_user).post(f"/api/v1/dossiers/{code}/actions", step, content_type="application/json").status_code
        == 403
    )
    assert client.post(f"/api/v1/dossiers/{code}/actions", step, content_type="application/json").status_code == 401


def test_the_dossier_page_shows_the_form_as_filed_to_its_enterprise_and_the_desk(desk, enterprise_user, project):
    code = file_adjustment(login(enterprise_user), project).json()["code"]
    capital = f"{project.registered_capital_vnd + 10**10:,}".replace(",", ".")
    for who in (enterprise_user, desk["motcua"]):
        page = login(who).get(f"/dossiers/{code}/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        assert "Phần mềm" in page and capital in page


def test_the_public_checks_a_result_by_number_or_file_within_a_limit_per_address(desk, client, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zonedesk.core.models import Rule

    Rule.objects.create(key="procedures.verify_throttle", value=[2, 3600], effective_from="2020-01-01")
    unknown = client.get("/results/verify/?code=H26.71-000000-0000-KQ")
    assert unknown.status_code == 200 and "verify-result" in unknown.content.decode()
    for _ in range(2):
        sent = client.post("/results/verify/", {"pdf": SimpleUploadedFile("kq.pdf", b"%PDF-1.4\n%%EOF\n")})
        assert sent.status_code == 200 and "verify-result" in sent.content.decode()
    refused = client.post("/results/verify/", {"pdf": SimpleUploadedFile("kq.pdf", b"%PDF-1.4\n%%EOF\n")})
    assert refused.status_code == 429 and "verify-result" not in refused.content.decode()


def test_a_units_queue_holds_the_dossiers_at_its_step_and_follows_each_step(desk, enterprise_user, project):
    code = file_adjustment(login(enterprise_user), project).json()["code"]
    desk_client, division = login(desk["motcua"]), login(desk["chuyenvien"])

    def queue(client):
        return [d["code"] for d in client.get("/api/v1/dossiers?waiting_for_me=true").json()]

    assert queue(desk_client) == [code] and queue(division) == []
    version = desk_client.get(f"/api/v1/dossiers/{code}").json()["version"]
    desk_client.post(
        f"/api/v1/dossiers/{code}/actions", {"action": "receive", "version": version}, content_type="application/json"
    )
    assert queue(desk_client) == [] and queue(division) == [code]  # the cached queues follow the step
    assert queue(login(enterprise_user)) == []
