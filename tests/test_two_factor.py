"""Issue 8: two-factor authentication (core/twofactor.py), through the pages as a person would.

Board officers, agency officers, leaders and admins give a code from an authenticator app after
their password, and reach nothing before it; enterprises may turn it on. The codes are computed
here from the device's key, as the person's app would.
"""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from zonedesk.core import twofactor

pytestmark = pytest.mark.django_db


def _english() -> Client:
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return c


@pytest.fixture
def client() -> Client:
    return _english()


def _code(key: bytes, *, later: int = 0) -> str:
    totp = TOTP(key)
    totp.time += later
    return f"{totp.token():06d}"


def _password(client: Client, user, next_path: str = "/dashboard/"):
    return client.post("/login/", {"username": user.username, "password": PASSWORD, "next": next_path})


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def test_a_board_officer_reaches_nothing_before_the_code(client, board_user):
    device = _device(board_user)
    response = _password(client, board_user)
    assert response.status_code == 302 and response["Location"] == "/login/code/?next=/dashboard/"
    # with the password only: pages lead to the code page, the API refuses, the code page answers
    response = client.get("/petitions/")
    assert response.status_code == 302 and response["Location"].startswith("/login/code/?next=/petitions/")
    response = client.get("/api/v1/petitions")
    assert response.status_code == 403 and "code" in response.json()["detail"]
    assert client.get("/login/code/").status_code == 200
    # a wrong code is refused, the right one leads on to where they were going
    response = client.post("/login/code/", {"code": "000000" if _code(device.bin_key) != "000000" else "111111"})
    assert response.status_code == 200 and "not right" in response.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # the wrong code's wait (1 s) is tried below, not here
    response = client.post("/login/code/", {"code": _code(device.bin_key), "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client.get("/dashboard/").status_code == 200
    assert client.get("/api/v1/petitions").status_code == 200


def test_a_code_works_once_and_wrong_codes_make_the_next_wait(board_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10  # the first wait: 10 s (1 s in production), so no race here
    device = _device(board_user)
    first = _english()
    _password(first, board_user)
    code = _code(device.bin_key)
    assert first.post("/login/code/", {"code": code})["Location"] == "/"
    # someone who read the code over the shoulder, with the password too, cannot use it again
    second = _english()
    _password(second, board_user)
    assert second.post("/login/code/", {"code": code}).status_code == 200
    assert second.get("/dashboard/").status_code == 302
    # after that wrong code, even the next right one waits: 429 and how long
    response = second.post("/login/code/", {"code": _code(device.bin_key, later=30)})
    assert response.status_code == 429 and re.search(r"wait \d+ seconds", response.content.decode())
    assert second.get("/dashboard/").status_code == 302


def test_an_officer_without_an_authenticator_sets_one_up_before_anything_else(client, agency_user):
    response = _password(client, agency_user, "/petitions/")
    assert response["Location"] == "/account/two-factor/?next=/petitions/"
    assert client.get("/petitions/")["Location"].startswith("/account/two-factor/")
    page = client.get("/account/two-factor/?next=/petitions/").content.decode()
    assert "<svg" in page  # the QR code, drawn on the page (no image from elsewhere)
    secret = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    assert client.post("/account/two-factor/", {"code": "12345"}).status_code == 200  # not it
    assert not TOTPDevice.objects.filter(user=agency_user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=agency_user).update(throttling_failure_count=0)
    response = client.post("/account/two-factor/", {"code": _code(key), "next": "/petitions/"})
    assert response.status_code == 302 and response["Location"] == "/petitions/"
    assert client.get("/petitions/").status_code == 200
    # from now on, logging in asks for its code
    again = _english()
    assert _password(again, agency_user)["Location"].startswith("/login/code/")


def test_a_stolen_password_cannot_replace_the_authenticator(client, board_user):
    _device(board_user)
    _password(client, board_user)
    response = client.get("/account/two-factor/")
    assert response.status_code == 302 and response["Location"].startswith("/login/code/")
    assert TOTPDevice.objects.filter(user=board_user).count() == 1


def test_an_enterprise_logs_in_without_a_code_until_it_turns_one_on(client, enterprise_user):
    response = _password(client, enterprise_user, "/portal/")
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200
    page = client.get("/account/two-factor/").content.decode()
    secret = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    assert client.post("/account/two-factor/", {"code": _code(key)}).status_code == 302
    later = _english()
    assert _password(later, enterprise_user, "/portal/")["Location"] == "/login/code/?next=/portal/"
    assert later.get("/portal/").status_code == 302


def test_demo_accounts_see_their_code_in_demo_mode_only(client, settings, board_user):  # noqa: F811
    device = _device(board_user)
    _password(client, board_user)
    assert "demo-code" not in client.get("/login/code/").content.decode()  # not a demo account
    board_user.is_demo = True
    board_user.save()
    settings.DEMO_MODE = True
    page = client.get("/login/code/").content.decode()
    shown = re.search(r'<code class="demo-code">(\d{6})</code>', page).group(1)
    assert shown == twofactor.current_code(device)
    assert client.post("/login/code/", {"code": shown})["Location"] == "/"


def test_a_set_up_is_finished_only_by_the_session_that_started_it(agency_user):
    def secret_of(client):
        page = client.get("/account/two-factor/").content.decode()
        text = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
        return b32decode(text + "=" * (-len(text) % 8))

    mine, theirs = _english(), _english()
    _password(mine, agency_user)
    key = secret_of(mine)
    _password(theirs, agency_user)  # someone else with the password starts a set-up too
    their_key = secret_of(theirs)
    assert their_key != key
    # the secret shown to the first session is void: its code turns nothing on
    assert mine.post("/account/two-factor/", {"code": _code(key)}).status_code == 200
    assert not TOTPDevice.objects.filter(user=agency_user, confirmed=True).exists()
    fresh = secret_of(mine)  # set up again, from a new secret
    TOTPDevice.objects.filter(user=agency_user).update(throttling_failure_count=0)  # the wrong code's wait
    assert mine.post("/account/two-factor/", {"code": _code(fresh)}).status_code == 302
    assert TOTPDevice.objects.get(user=agency_user, confirmed=True).key == fresh.hex()


def test_the_session_key_changes_once_the_code_is_given(client, board_user):
    device = _device(board_user)
    _password(client, board_user)
    before = client.cookies["sessionid"].value
    client.post("/login/code/", {"code": _code(device.bin_key)})
    assert client.cookies["sessionid"].value != before
    assert client.get("/dashboard/").status_code == 200
