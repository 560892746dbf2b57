"""Issue 21, item 6: recovery codes of two-step login in Chromium, as an officer meets them.

An officer without an authenticator sets one up at the first login, is shown ten recovery codes
once (downloadable as a text file, printable), goes on to the page asked for; later, without the
phone, logs in with one of the codes, which is then spent; the two-step login page says how many
are left. Screenshots at 1366 and 390 px wide (ZONEDESK_SHOTS, /tmp/shots by default).
"""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WIDE, NARROW = {"width": 1366, "height": 900}, {"width": 390, "height": 844}


def _shots(visit, name: str) -> None:
    for label, size in (("1366", WIDE), ("390", NARROW)):
        visit.page.set_viewport_size(size)
        visit.shot(f"{name}-{label}")
        # nothing wider than the screen: no sideways scrolling on a phone
        overflow = visit.page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} at {label} px scrolls sideways by {overflow} px"
    visit.page.set_viewport_size(WIDE)


def test_recovery_codes_from_the_first_set_up_to_a_login_without_the_phone(visit, board_user, tmp_path):
    page = visit.page
    page.set_viewport_size(WIDE)
    visit.goto("/login/?next=/petitions/")
    page.fill("#id_username", board_user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    # the set-up: the key on the page, as an authenticator app would read it from the QR code
    assert "/account/two-factor/" in page.url
    secret = page.locator("code.totp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_code", f"{TOTP(key).token():06d}")
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")

    # the codes, shown once: ten of them, a text file of them, a print button
    codes = page.locator("code.recovery-code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", c) for c in codes)
    expect(page.locator("[data-print]")).to_be_visible()
    _shots(visit, "recovery-codes")
    # printed: the codes without the buttons and the navigation
    page.emulate_media(media="print")
    expect(page.locator("code.recovery-code").first).to_be_visible()
    expect(page.locator("[data-print]")).to_be_hidden()
    expect(page.locator(".site-nav")).to_be_hidden()
    visit.shot("recovery-codes-print")
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.click("[data-download-codes]")
    assert download.value.suggested_filename == "zonedesk-recovery-codes.txt"
    saved = tmp_path / "codes.txt"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8")
    assert all(code in text for code in codes) and board_user.username in text
    # on to the page asked for at the login
    with page.expect_navigation():
        page.click(".recovery-codes a.button.primary")
    assert page.url.endswith("/petitions/")

    # the two-step login page: ten left; the codes are not shown again
    visit.goto("/account/two-factor/")
    expect(page.locator("[data-recovery-left]").first).to_have_attribute("data-recovery-left", "10")
    assert not any(code in page.content() for code in codes)
    _shots(visit, "two-factor-account")

    # later, the phone lost: the password, then one of the codes at the code page
    with page.expect_navigation():
        page.click("form.logout button")
    visit.goto("/login/?next=/dashboard/")
    page.fill("#id_username", board_user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    assert "/login/code/" in page.url
    page.click("details.recovery-login > summary")
    expect(page.locator("#id_recovery_code")).to_be_visible()
    _shots(visit, "code-page-recovery")
    page.fill("#id_recovery_code", codes[3].lower())
    with page.expect_navigation():
        page.click("details.recovery-login button[type=submit]")
    assert page.url.endswith("/dashboard/")
    expect(page.locator(".messages")).to_contain_text("9")

    # spent: the same code does not open another session
    with page.expect_navigation():
        page.click("form.logout button")
    visit.goto("/login/")
    page.fill("#id_username", board_user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    page.click("details.recovery-login > summary")
    page.fill("#id_recovery_code", codes[3])
    with page.expect_navigation():
        page.click("details.recovery-login button[type=submit]")
    assert "/login/code/" in page.url
    expect(page.locator("details.recovery-login .errorlist")).to_be_visible()
    expect(page.locator("details.recovery-login")).to_have_attribute("open", "")

    assert visit.errors == []
    assert visit.foreign_requests() == []


def test_an_enterprise_turns_two_step_login_off_with_a_recovery_code_and_an_idle_session_ends(
    visit, enterprise_user, monkeypatch
):
    import datetime as dt

    from django.utils import timezone
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zonedesk.core import twofactor

    page = visit.page
    page.set_viewport_size(WIDE)
    device = TOTPDevice.objects.create(user=enterprise_user, name="phone", confirmed=True)
    codes = twofactor.recovery_codes_make(user=enterprise_user)
    visit.login(enterprise_user.username, PASSWORD, "/portal/")  # the password, then the app's code
    assert page.url.endswith("/portal/")

    # two-step login off: only with a code (here a recovery code); the page asks for nothing else
    visit.goto("/account/two-factor/")
    with page.expect_navigation():
        page.click("a[href='/account/two-factor/off/']")
    _shots(visit, "two-factor-off")
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")  # no code: refused
    expect(page.locator("#id_code_error")).to_be_visible()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    page.fill("#id_code", codes[0])
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    assert page.url.endswith("/account/two-factor/")  # the set-up page again: it is off
    expect(page.locator(".messages")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=enterprise_user, confirmed=True).exists()

    # a day without a request (enterprises: 24 hours): the next page is the login page, with why
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + dt.timedelta(hours=24, minutes=5))
    visit.goto("/portal/")
    assert "/login/?next=/portal/" in page.url
    expect(page.locator(".messages")).to_contain_text("24")
    _shots(visit, "session-ended")
    # logging in again (no code any more) leads back to the page
    page.fill("#id_username", enterprise_user.username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("form.stack-form button[type=submit]")
    assert page.url.endswith("/portal/")

    assert visit.errors == []
    assert visit.foreign_requests() == []
