"""Issue 8: two-factor authentication (core/twofactor.py), through the pages as a person would.

Board officers, agency officers, leaders and admins give a code from an authenticator app after
their password, and reach nothing before it; enterprises may turn it on. The codes are computed
here from the device's key, as the person's app would.
"""

from __future__ import annotations

import datetime as dt
import re
from base64 import b32decode

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
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


def _shown_codes(response) -> list[str]:
    """The recovery codes a page shows (once, when they are made)."""
    return re.findall(r'<code class="recovery-code">([0-9A-Z-]+)</code>', response.content.decode())


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
    # on, and its first recovery codes shown once, with the way on to where they were going
    assert response.status_code == 200 and len(_shown_codes(response)) == 10
    assert 'href="/petitions/"' in response.content.decode()
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
    assert len(_shown_codes(client.post("/account/two-factor/", {"code": _code(key)}))) == 10
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
    assert len(_shown_codes(mine.post("/account/two-factor/", {"code": _code(fresh)}))) == 10
    assert TOTPDevice.objects.get(user=agency_user, confirmed=True).key == fresh.hex()


def test_the_session_key_changes_once_the_code_is_given(client, board_user):
    device = _device(board_user)
    _password(client, board_user)
    before = client.cookies["sessionid"].value
    client.post("/login/code/", {"code": _code(device.bin_key)})
    assert client.cookies["sessionid"].value != before
    assert client.get("/dashboard/").status_code == 200


# --- issue 21, item 6: recovery codes, and turning two-step login off only with a code ----------


def _both_steps(user, device: TOTPDevice, next_path: str = "/") -> Client:
    """A browser logged in through the pages with the password and the app's code."""
    client = _english()
    _password(client, user, next_path)
    assert client.post("/login/code/", {"code": _code(device.bin_key)}).status_code == 302
    return client


def _make_codes(client: Client, device: TOTPDevice, *, later: int = 30) -> list[str]:
    """A new set of recovery codes, given the app's next code (the one used to log in is spent)."""
    response = client.post("/account/two-factor/recovery-codes/", {"code": _code(device.bin_key, later=later)})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return _shown_codes(response)


def test_recovery_codes_are_shown_once_kept_hashed_and_out_of_the_audit_trail(board_user):
    from auditlog.models import LogEntry

    from zonedesk.core.models import RecoveryCode

    device = _device(board_user)
    client = _both_steps(board_user, device)
    assert "0 recovery codes left" in client.get("/account/two-factor/").content.decode()
    # the session alone does not make a set: a current code is asked for
    response = client.post("/account/two-factor/recovery-codes/", {"code": ""})
    assert response.status_code == 200 and not _shown_codes(response)
    assert not RecoveryCode.objects.exists()
    codes = _make_codes(client, device)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", c) for c in codes)
    # a text file to download and a print button, on the one page that shows them
    page = client.get("/account/two-factor/").content.decode()
    assert "10 recovery codes left" in page and not any(code in page for code in codes)
    # at rest: hashes only (salted PBKDF2), nothing of a code in the database or the audit trail
    kept = list(RecoveryCode.objects.filter(device=device))
    assert len(kept) == 10 and all(r.code_hash.startswith("pbkdf2_sha256$") for r in kept)
    for code in codes:
        bare = code.replace("-", "")
        assert not RecoveryCode.objects.filter(code_hash__icontains=bare).exists()
    trail = [str(e.changes) + e.object_repr for e in LogEntry.objects.all()]
    assert any("recovery code" in t for t in trail)  # who made them, and when, is recorded...
    for text in trail:  # ... without the codes or their hashes
        assert not any(code.replace("-", "") in text or code in text for code in codes)
        assert not any(r.code_hash in text or r.code_hash.split("$")[-1] in text for r in kept)
        assert "code_hash" not in text


def test_each_recovery_code_works_once_in_place_of_the_apps_code(board_user):
    device = _device(board_user)
    codes = _make_codes(_both_steps(board_user, device), device)
    # a lost phone: password, then a recovery code (typed in lower case, without the dashes)
    client = _english()
    _password(client, board_user, "/dashboard/")
    response = client.post("/login/code/", {"recovery_code": codes[0].replace("-", "").lower(), "next": "/dashboard/"})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    page = client.get("/dashboard/").content.decode()
    assert "You logged in with a recovery code" in page and "9 left" in page
    # the same code again, by someone else with the password: refused, nothing reached
    other = _english()
    _password(other, board_user, "/dashboard/")
    response = other.post("/login/code/", {"recovery_code": codes[0]})
    assert response.status_code == 200 and "not right, or it was used already" in response.content.decode()
    assert other.get("/dashboard/").status_code == 302
    assert "9 recovery codes left" in client.get("/account/two-factor/").content.decode()


def test_a_new_set_of_recovery_codes_voids_the_old_one(board_user):
    device = _device(board_user)
    client = _both_steps(board_user, device)
    old = _make_codes(client, device, later=30)
    new = _make_codes(client, device, later=60)
    assert not set(old) & set(new)
    attempt = _english()
    _password(attempt, board_user)
    assert attempt.post("/login/code/", {"recovery_code": old[1]}).status_code == 200
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # the wrong code's wait
    assert attempt.post("/login/code/", {"recovery_code": new[1]}).status_code == 302


def test_wrong_recovery_codes_are_throttled_with_the_apps_codes(board_user, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 10  # the first wait: 10 s (1 s in production), so no race here
    device = _device(board_user)
    codes = _make_codes(_both_steps(board_user, device), device)
    client = _english()
    _password(client, board_user)
    assert client.post("/login/code/", {"recovery_code": "AAAA-BBBB-CCCC"}).status_code == 200
    # after a wrong recovery code, a right one waits, and so does the app's code (one counter)
    response = client.post("/login/code/", {"recovery_code": codes[2]})
    assert response.status_code == 429 and re.search(r"wait \d+ seconds", response.content.decode())
    assert client.post("/login/code/", {"code": _code(device.bin_key, later=60)}).status_code == 429
    assert client.get("/dashboard/").status_code == 302
    # and after a wrong app code, a recovery code waits too
    device.refresh_from_db()
    device.throttle_reset()
    assert (
        client.post("/login/code/", {"code": "000000" if _code(device.bin_key) != "000000" else "111111"}).status_code
        == 200
    )
    assert client.post("/login/code/", {"recovery_code": codes[2]}).status_code == 429
    # once the wait has passed (its start written 11 s back), the recovery code is taken
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - dt.timedelta(seconds=11)
    )
    assert client.post("/login/code/", {"recovery_code": codes[2]}).status_code == 302
    assert client.get("/dashboard/").status_code == 200


def test_an_enterprise_turns_two_step_login_off_only_with_a_code(enterprise_user):
    from zonedesk.core.models import RecoveryCode

    device = _device(enterprise_user)
    client = _both_steps(enterprise_user, device, "/portal/")
    codes = _make_codes(client, device)
    assert client.get("/account/two-factor/off/").status_code == 200
    # the session alone (no code, a wrong code, the password) turns nothing off
    for data in ({}, {"code": ""}, {"code": "AAAA-BBBB-CCCC"}, {"code": PASSWORD}):
        TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
        assert client.post("/account/two-factor/off/", data).status_code == 200
        assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    # a recovery code turns it off: the authenticator and every recovery code are removed
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    response = client.post("/account/two-factor/off/", {"code": codes[0]})
    assert response.status_code == 302 and response["Location"] == "/account/two-factor/"
    assert not TOTPDevice.objects.filter(user=enterprise_user).exists()
    assert not RecoveryCode.objects.exists()
    later = _english()
    assert _password(later, enterprise_user, "/portal/")["Location"] == "/portal/"  # no code asked


def test_the_apps_code_turns_it_off_too(enterprise_user):
    device = _device(enterprise_user)
    client = _both_steps(enterprise_user, device, "/portal/")
    response = client.post("/account/two-factor/off/", {"code": _code(device.bin_key, later=30)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=enterprise_user).exists()


def test_officers_cannot_turn_two_step_login_off(board_user, agency_user):
    from django.core.exceptions import PermissionDenied

    for user in (board_user, agency_user):
        device = _device(user)
        client = _both_steps(user, device)
        assert client.get("/account/two-factor/off/").status_code == 403
        assert client.post("/account/two-factor/off/", {"code": _code(device.bin_key, later=30)}).status_code == 403
        with pytest.raises(PermissionDenied):
            twofactor.turn_off(user=user, token=_code(device.bin_key, later=60))
        assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
        assert "Turn off two-step login" not in client.get("/account/two-factor/").content.decode()


def test_a_new_authenticator_needs_a_code_of_the_old_one_and_keeps_the_recovery_codes(board_user):
    device = _device(board_user)
    client = _both_steps(board_user, device)
    codes = _make_codes(client, device)
    page = client.get("/account/two-factor/?replace=1").content.decode()
    secret = re.search(r'<code class="totp-secret">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    # with the session only (the new app's code, no code of the old one): nothing changes
    response = client.post("/account/two-factor/", {"replace": "1", "code": _code(key), "current": ""})
    assert response.status_code == 200
    assert TOTPDevice.objects.get(user=board_user, confirmed=True).pk == device.pk
    # with a recovery code standing for the old app: the new one is on, the codes carried over
    response = client.post("/account/two-factor/", {"replace": "1", "code": _code(key, later=30), "current": codes[0]})
    assert response.status_code == 302 and response["Location"] == "/account/two-factor/"
    new = TOTPDevice.objects.get(user=board_user, confirmed=True)
    assert new.pk != device.pk and new.key == key.hex()
    assert twofactor.recovery_codes_left(board_user) == 9


def test_the_admin_removing_a_lost_phone_removes_its_recovery_codes(board_user, admin_user):
    from zonedesk.core.models import RecoveryCode

    device = _device(board_user)
    _make_codes(_both_steps(board_user, device), device)
    assert RecoveryCode.objects.filter(device=device).count() == 10
    admin = _english()
    admin.force_login(admin_user)
    page = admin.get(f"/admin/otp_totp/totpdevice/{device.pk}/delete/").content.decode()
    assert "recovery code" in page.lower()  # the confirmation names what goes with it
    response = admin.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert not RecoveryCode.objects.exists()
    # at the next login the officer sets up a new authenticator
    assert _password(_english(), board_user)["Location"].startswith("/account/two-factor/")
