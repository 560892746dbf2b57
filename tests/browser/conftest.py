"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test opens records its console errors, uncaught exceptions and requests, so a
test can check that a page loads cleanly and asks nothing of any other host.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path(os.environ.get("ZONEDESK_SHOTS") or Path(tempfile.gettempdir()) / "shots")  # /tmp/shots


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("ZONEDESK_CHROMIUM", "/usr/bin/chromium"),
            headless=True,
            args=CHROMIUM_ARGS,
        )
        yield browser
        browser.close()


@dataclass
class Visit:
    """A browser tab on the live server, with what it logged and asked for."""

    page: object
    base_url: str
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base_url + path

    def goto(self, path: str):
        return self.page.goto(self.url(path))

    def foreign_requests(self) -> list[str]:
        return [u for u in self.requests if not u.startswith(self.base_url + "/")]

    def login(self, username: str, password: str, next_path: str = "/") -> None:
        self.goto(f"/login/?next={next_path}")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        with self.page.expect_navigation():
            self.page.click("form.stack-form button[type=submit]")
        # the second step (core/twofactor.py): the code of the account's authenticator, as its app
        # would show it (set up first if the account has none)
        if "/login/code/" in self.page.url or "/account/two-factor/" in self.page.url:
            from django_otp.plugins.otp_totp.models import TOTPDevice

            from zonedesk.core import twofactor

            device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "-pk").first()
            TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a code is taken once per 30 s
            device.refresh_from_db()
            self.page.fill("#id_code", twofactor.current_code(device))
            with self.page.expect_navigation():
                self.page.click("form.stack-form button[type=submit]")
            # a first authenticator shows its recovery codes once, then leads on to next_path
            if self.page.locator(".recovery-codes").count():
                with self.page.expect_navigation():
                    self.page.click(".recovery-codes a.button.primary")

    def shot(self, name: str) -> Path:
        SHOTS.mkdir(parents=True, exist_ok=True)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def visit(browser, live_server, transactional_db):
    v = new_visit(browser, live_server.url, {"width": 1280, "height": 900}, timeout=15_000)
    yield v
    v.page.context.close()


@pytest.fixture(scope="module")
def demo_site(demo_everything, django_db_blocker):
    """A live server over the run's committed demo (`demo_everything`, tests/conftest.py), for the
    tests that read the whole demo in the browser (charts, the screenshot walk): they share the
    run's one build, where pytest-django's `live_server` would empty the database after each
    test. Their logins commit (sessions, a second-step device), so they are marked `demo_writes`."""
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        yield server
        server._live_server_modified_settings.disable()
        server.stop()


def new_visit(
    browser, base_url: str, viewport: dict | None = None, reduced_motion: str | None = None, timeout: int = 20_000
) -> Visit:
    """A tab of its own browser context (close it with `visit.page.context.close()`);
    `reduced_motion="reduce"`: the person asked for no animation (the charts then draw at once);
    `timeout`: how long a step may wait (ms; the tests of the whole demo's pages give 60 s: the
    test command runs three test runs on two cores)."""
    context = browser.new_context(
        locale="vi-VN", viewport=viewport or {"width": 1366, "height": 900}, reduced_motion=reduced_motion
    )
    page = context.new_page()
    page.set_default_timeout(timeout)
    v = Visit(page=page, base_url=base_url)
    page.on("console", lambda msg: msg.type == "error" and v.errors.append(msg.text))
    page.on("pageerror", lambda exc: v.errors.append(str(exc)))
    page.on("request", lambda request: v.requests.append(request.url))
    return v
