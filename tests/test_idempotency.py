"""Issue 21, item 8: a write sent again after a lost answer is done once.

The API takes an `Idempotency-Key` header on every write; page forms carry a submission token
(core/idempotency.py). tests/test_server_faults.py and tests/test_limits_served.py send the same
write from several threads at once to a real server."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from zonedesk.core.models import IdempotentRequest
from zonedesk.petitions.models import Petition

pytestmark = pytest.mark.django_db

PUBLIC = {
    "zone": "HHTP",
    "title": "Đường vào khu bị ngập",
    "body": "Mỗi khi mưa lớn đường vào khu bị ngập sâu.",
    "category": "infrastructure",
    "petitioner_name": "Trần Thị Bình",
    "petitioner_email": "binh@example.vn",
    "consent_version": 1,
}


def _post(client, payload, key=None, url="/api/v1/petitions", **extra):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, data=json.dumps(payload), content_type="application/json", **headers, **extra)


def test_a_public_petition_resent_with_its_key_is_filed_once(client, zone):
    first = _post(client, PUBLIC, key="a8f5f167-0001")
    again = _post(client, PUBLIC, key="a8f5f167-0001")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Petition.objects.count() == 1
    # without a key, or with a new one, it is another petition
    assert _post(client, PUBLIC, key="a8f5f167-0002").json()["reference"] != first.json()["reference"]
    assert _post(client, PUBLIC).status_code == 201
    assert Petition.objects.count() == 3


def test_the_same_key_with_another_request_is_refused(client, zone):
    assert _post(client, PUBLIC, key="k-1").status_code == 201
    other = _post(client, PUBLIC | {"title": "Mất điện kéo dài"}, key="k-1")
    assert other.status_code == 422 and "Idempotency-Key" in other.json()["errors"]
    assert Petition.objects.count() == 1


def test_a_key_belongs_to_its_caller(zone, project, enterprise_user, other_enterprise_user):
    form = {k: v for k, v in PUBLIC.items() if not k.startswith(("petitioner", "consent"))}
    mine, theirs = Client(), Client()
    mine.force_login(enterprise_user)
    theirs.force_login(other_enterprise_user)
    a = _post(mine, form, key="same-key")
    b = _post(theirs, form, key="same-key")
    assert a.status_code == b.status_code == 201 and a.json()["reference"] != b.json()["reference"]
    assert "Idempotent-Replayed" not in b  # another enterprise never gets the first one's answer


def test_a_refused_write_can_be_sent_again_with_its_key(client, zone):
    refused = _post(client, PUBLIC | {"title": ""}, key="k-2")
    assert refused.status_code == 422
    assert not IdempotentRequest.objects.exists()  # nothing kept of a refused write
    assert _post(client, PUBLIC | {"title": ""}, key="k-2").status_code == 422
    assert _post(client, PUBLIC, key="k-2").status_code == 201  # the corrected write, same key


@pytest.mark.parametrize("key", ["", "x" * 256, "khóa", "a b"])
def test_a_key_of_the_wrong_form_is_refused(client, zone, key):
    response = _post(client, PUBLIC, key=key)
    assert response.status_code == 422 and "Idempotency-Key" in response.json()["errors"]
    assert not Petition.objects.exists()


def test_a_report_resent_is_filed_once(project, enterprise_user, board_user):
    """Another write than a petition: a periodic report."""
    client = Client()
    client.force_login(enterprise_user)
    report = {
        "project": project.code,
        "period_kind": "year",
        "year": 2024,
        "quarter": 0,
        "revenue_vnd": 9_000_000_000,
        "workers_total": 120,
        "workers_degree": 30,
    }
    filed = _post(client, report, key="r-1", url="/api/v1/reports")
    assert filed.status_code == 201, filed.content
    assert _post(client, report, key="r-1", url="/api/v1/reports").json() == filed.json()
    from zonedesk.investment.models import PeriodicReport

    assert PeriodicReport.objects.count() == 1


def test_the_api_document_offers_the_key_on_every_write(client):
    document = client.get("/api/v1/openapi.json").json()
    writes = [
        op for item in document["paths"].values() for method, op in item.items() if method in {"post", "patch", "put"}
    ]
    assert writes and all(any(p["name"] == "Idempotency-Key" for p in op["parameters"]) for op in writes)


def test_kept_answers_go_after_a_day(client, zone):
    from zonedesk.core.idempotency import idempotency_tick

    _post(client, PUBLIC, key="old")
    _post(client, PUBLIC, key="new")
    IdempotentRequest.objects.filter(key="old").update(created_at=timezone.now() - dt.timedelta(hours=25))
    assert idempotency_tick.call() == {"deleted": 1}
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
    assert _post(client, PUBLIC, key="old").status_code == 201  # a key past its day is a new write
    assert Petition.objects.count() == 3


# --- page forms -----------------------------------------------------------------------------------


def _token(page: str) -> str:
    return re.search(r'name="submission" value="([^"]+)"', page).group(1)


def test_a_page_form_sent_twice_files_once_and_answers_the_same(client, zone):
    page = client.get("/petitions/new/").content.decode()
    form = {k: v for k, v in PUBLIC.items() if k != "petitioner_email"} | {
        "petitioner_phone": "0912 345 678",
        "consent": "on",
        "submission": _token(page),
    }
    first = client.post("/petitions/new/", form)
    again = client.post("/petitions/new/", form)  # a double click, or "send again" after a lost answer
    assert first.status_code == again.status_code == 302 and again["Location"] == first["Location"]
    assert Petition.objects.count() == 1
    # the same form changed (the browser's back button) and sent with its old token: refused
    changed = client.post("/petitions/new/", form | {"title": "Mất điện"})
    assert changed.status_code == 409 and "Mở lại biểu mẫu" in changed.content.decode()
    assert Petition.objects.count() == 1
    # a new showing of the form has a new token
    assert _token(client.get("/petitions/new/").content.decode()) != form["submission"]


def test_a_page_form_with_errors_can_be_corrected_and_sent(client, zone):
    page = client.get("/petitions/new/").content.decode()
    form = {k: v for k, v in PUBLIC.items()} | {"consent": "on", "submission": _token(page), "title": ""}
    shown = client.post("/petitions/new/", form)
    assert shown.status_code == 200 and not Petition.objects.exists()
    corrected = form | {"title": PUBLIC["title"], "submission": _token(shown.content.decode())}
    assert client.post("/petitions/new/", corrected).status_code == 302
    assert Petition.objects.count() == 1


def test_a_visitor_whose_answer_was_lost_reaches_the_thanks_page_of_the_first_send(zone):
    """The first answer (its redirect and its new session cookie) never reached the visitor; the
    browser sends the form again: the same redirect, with the session that knows the petition."""
    first_browser = Client()
    page = first_browser.get("/petitions/new/").content.decode()
    form = PUBLIC | {"consent": "on", "submission": _token(page)}
    assert first_browser.post("/petitions/new/", form).status_code == 302
    resent = Client()  # no cookie of the first answer
    again = resent.post("/petitions/new/", form)
    assert again.status_code == 302 and again["Location"].endswith("/petitions/new/thanks/")
    thanks = resent.get(again["Location"])
    reference = Petition.objects.get().reference
    assert thanks.status_code == 200 and reference in thanks.content.decode()
    # someone at another address holding nothing gets nothing
    assert Client(REMOTE_ADDR="198.51.100.7").post("/petitions/new/", form).status_code == 302
    assert Petition.objects.count() == 2  # another caller: another write (its own key space)


# --- a replay is answered only to whom the gates let through (review of issue 21) -----------------


def test_a_replay_needs_the_csrf_token_like_the_first_send(zone, project, enterprise_user):
    form = {k: v for k, v in PUBLIC.items() if not k.startswith(("petitioner", "consent"))}
    client = Client(enforce_csrf_checks=True)
    client.force_login(enterprise_user)
    client.get("/api/v1/session")
    token = client.cookies["csrftoken"].value
    first = _post(client, form, key="csrf-1", HTTP_X_CSRFTOKEN=token)
    assert first.status_code == 201
    again = _post(client, form, key="csrf-1")  # the same key and body, without the token
    assert again.status_code == 403 and "Idempotent-Replayed" not in again


def test_a_password_alone_never_gets_a_replay_nor_a_verified_session(board_user):
    """The officer wrote with a key from a session that gave its code; someone with the password
    only (the two-step gate pending) sends the same key and body: the gate answers, nothing is
    replayed, no session of the officer's is handed over."""
    from tests.conftest import PASSWORD

    investor = {"name": "Công ty Cổ phần Thử Nghiệm", "nationality": "JP", "kind": "organisation"}
    verified = Client()
    verified.force_login(board_user)
    first = _post(verified, investor, key="inv-1", url="/api/v1/investors")
    assert first.status_code == 201, first.content
    thief = Client()
    assert thief.post("/login/", {"username": board_user.username, "password": PASSWORD}).status_code == 302
    stolen = _post(thief, investor, key="inv-1", url="/api/v1/investors")
    assert stolen.status_code == 403 and "Idempotent-Replayed" not in stolen
    assert "sessionid" not in stolen.cookies or stolen.cookies["sessionid"].value != verified.cookies["sessionid"].value


def test_a_visitor_with_a_stale_session_cookie_still_reaches_the_thanks_page(zone):
    first_browser = Client()
    page = first_browser.get("/petitions/new/").content.decode()
    form = PUBLIC | {"consent": "on", "submission": _token(page)}
    assert first_browser.post("/petitions/new/", form).status_code == 302
    resent = Client()
    resent.cookies["sessionid"] = "a-session-that-ended-long-ago-0123456789"
    again = resent.post("/petitions/new/", form)
    assert again.status_code == 302
    thanks = resent.get(again["Location"])
    assert thanks.status_code == 200 and Petition.objects.get().reference in thanks.content.decode()


def test_replays_count_towards_the_publics_limit(client, zone, settings):
    settings.PUBLIC_API_LIMIT = 3
    statuses = [_post(client, PUBLIC, key="same").status_code for _ in range(5)]
    assert statuses == [201, 201, 201, 429, 429]
    assert Petition.objects.count() == 1
