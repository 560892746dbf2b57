"""Issue 21, item 6: how long a logged-in session lives (core/sessions.py).

Officers (board, agency, leader, admin) are logged out after 30 minutes without a request and
12 hours after logging in; enterprises after 24 hours idle and 14 days. Time passes through the
`clock` fixture: Django's `timezone.now`, which the middleware, the session stores and django-otp
read, is moved forward (the database is real; nothing of it is mocked). Each rule is checked with
the database store (the default) and with "cached_db" (the store used with Redis).
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import import_module

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD
from zonedesk.core import sessions

pytestmark = pytest.mark.django_db

ENGINES = ["zonedesk.core.sessions", "django.contrib.sessions.backends.cached_db"]


class Clock:
    """Django's clock, moved forward by the test."""

    def __init__(self) -> None:
        self.offset = dt.timedelta(0)

    def advance(self, **delta) -> None:
        self.offset += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


@pytest.fixture(params=ENGINES, ids=["db", "cached_db"])
def engine(request, settings) -> str:
    settings.SESSION_ENGINE = request.param
    return request.param


def _client(user=None) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    if user is not None:
        client.force_login(user)  # both steps given (tests/conftest.py)
    return client


def _key(client: Client) -> str:
    return client.cookies["sessionid"].value


def _exists(engine: str, key: str) -> bool:
    """Does the store still hold this session (for cached_db: in the cache or the database)?"""
    return import_module(engine).SessionStore().exists(key)


def test_an_officers_session_ends_after_30_idle_minutes_and_is_gone_from_the_server(engine, clock, board_user):
    client = _client(board_user)
    assert client.get("/dashboard/").status_code == 200
    key = _key(client)
    # the store's own expiry follows the rule: 30 minutes ahead, not the 14 days of before
    expires = Session.objects.get(session_key=key).expire_date
    assert expires <= timezone.now() + dt.timedelta(minutes=30, seconds=5)
    # activity keeps it alive: 29 minutes, a request, 29 more minutes, a request (58 since login)
    clock.advance(minutes=29)
    assert client.get("/dashboard/").status_code == 200
    clock.advance(minutes=29)
    assert client.get("/dashboard/").status_code == 200
    # then 31 minutes without a request: to the login page, with why and the way back
    clock.advance(minutes=31)
    response = client.get("/petitions/?status=new")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/petitions/%3Fstatus%3Dnew"
    page = client.get(response["Location"]).content.decode()
    assert "You were logged out after 30 minutes without activity" in page
    assert 'name="next" value="/petitions/?status=new"' in page
    # the session is gone from the server, not only from this browser: its cookie replayed is nobody
    assert not _exists(engine, key)
    assert not Session.objects.filter(session_key=key).exists()
    replay = _client()
    replay.cookies["sessionid"] = key
    assert replay.get("/dashboard/")["Location"].startswith("/login/")


def test_after_an_ended_session_logging_in_again_leads_back_to_the_page(engine, clock, board_user):
    device = TOTPDevice.objects.create(user=board_user, name="phone", confirmed=True)
    client = _client(board_user)
    assert client.get("/petitions/").status_code == 200
    clock.advance(minutes=45)
    assert client.get("/petitions/?status=new")["Location"] == "/login/?next=/petitions/%3Fstatus%3Dnew"
    credentials = {"username": board_user.username, "password": PASSWORD, "next": "/petitions/?status=new"}
    response = client.post("/login/", credentials)
    assert response.status_code == 302 and response["Location"] == "/login/code/?next=/petitions/%3Fstatus%3Dnew"
    code = f"{TOTP(device.bin_key).token():06d}"  # django-otp reads the real time for the code itself
    response = client.post("/login/code/", {"code": code, "next": "/petitions/?status=new"})
    assert response.status_code == 302 and response["Location"] == "/petitions/?status=new"
    assert client.get("/petitions/?status=new").status_code == 200


def test_an_officers_session_ends_12_hours_after_logging_in_even_when_active(engine, clock, leader_user):
    client = _client(leader_user)
    for _ in range(28):  # a request every 25 minutes
        assert client.get("/dashboard/").status_code == 200
        clock.advance(minutes=25)
    assert client.get("/dashboard/").status_code == 200  # 11 h 40 min after logging in
    clock.advance(minutes=19)
    assert client.get("/dashboard/").status_code == 200  # 11 h 59 min after logging in
    key = _key(client)
    clock.advance(minutes=1)
    response = client.get("/dashboard/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/dashboard/"
    assert "a session lasts at most 12 hours" in client.get(response["Location"]).content.decode()
    assert not _exists(engine, key)


def test_an_enterprise_session_outlives_the_officers_idle_period(engine, clock, enterprise_user, board_user):
    enterprise, officer = _client(enterprise_user), _client(board_user)
    assert enterprise.get("/portal/").status_code == 200
    assert officer.get("/dashboard/").status_code == 200
    clock.advance(hours=3)
    assert officer.get("/dashboard/").status_code == 302  # the officer's ended
    assert enterprise.get("/portal/").status_code == 200  # the enterprise's goes on
    # ... for up to 24 hours without a request (ZONEDESK_ENTERPRISE_IDLE_HOURS)
    clock.advance(hours=23, minutes=59)
    assert enterprise.get("/portal/").status_code == 200
    clock.advance(hours=24, minutes=1)
    response = enterprise.get("/portal/")
    assert response.status_code == 302 and response["Location"] == "/login/?next=/portal/"
    assert "logged out after 24 hours without activity" in enterprise.get(response["Location"]).content.decode()


def test_an_enterprise_session_ends_14_days_after_logging_in(engine, clock, enterprise_user):
    client = _client(enterprise_user)
    for _ in range(14):  # a request every 23 hours
        assert client.get("/portal/").status_code == 200
        clock.advance(hours=23)
    assert client.get("/portal/").status_code == 200  # 13 days, 10 hours after logging in
    clock.advance(hours=13, minutes=59)
    assert client.get("/portal/").status_code == 200  # 13 days, 23 h 59 min after logging in
    clock.advance(minutes=1)
    response = client.get("/portal/")
    assert response.status_code == 302
    assert "a session lasts at most 14 days" in client.get(response["Location"]).content.decode()


def test_the_api_answers_401_with_the_reason_when_the_session_ended(engine, clock, agency_user):
    client = _client(agency_user)
    assert client.get("/api/v1/petitions").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/api/v1/petitions")
    assert response.status_code == 401 and response["Content-Type"].startswith("application/json")
    assert set(response.json()) == {"detail"} and "30 minutes without activity" in response.json()["detail"]
    # logged out for good: the next call is the public's (a list the public may not read: 401)
    assert client.get("/api/v1/petitions").json() == {"detail": "Log in first."}


def test_a_public_api_call_with_an_ended_session_says_so(engine, clock, board_user):
    client = _client(board_user)
    assert client.get("/api/v1/projects").status_code == 200
    clock.advance(hours=1)
    response = client.get("/api/v1/projects")
    assert response.status_code == 401 and "without activity" in response.json()["detail"]
    assert client.get("/api/v1/projects").status_code == 200  # now as the public


def test_the_store_itself_refuses_an_ended_session_and_the_worker_deletes_it(clock, board_user, settings):
    """Sessions nobody comes back to: the database row's expiry is the rule's, so the store reads
    nothing for it, and the worker's periodic work deletes the row."""
    settings.SESSION_ENGINE = "zonedesk.core.sessions"
    client = _client(board_user)
    assert client.get("/dashboard/").status_code == 200
    key = _key(client)
    clock.advance(minutes=31)
    assert sessions.SessionStore(session_key=key).load() == {}
    assert Session.objects.filter(session_key=key).exists()
    sessions.clear_ended()
    assert not Session.objects.filter(session_key=key).exists()


def test_the_last_activity_is_written_at_most_once_a_minute(engine, clock, board_user):
    client = _client(board_user)
    client.get("/dashboard/")
    table = Session._meta.db_table

    def session_writes() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/dashboard/").status_code == 200
        return sum(1 for q in queries if re.match(rf'\s*(UPDATE|INSERT)\b.*"?{table}"?', q["sql"], re.I))

    clock.advance(seconds=20)
    assert session_writes() == 0
    clock.advance(seconds=20)
    assert session_writes() == 0
    clock.advance(seconds=25)  # 65 s since the mark
    assert session_writes() == 1
    assert session_writes() == 0


def test_a_session_gone_before_its_end_is_not_called_idle(engine, clock, board_user):
    """Only a session that reached its end is explained: one deleted earlier (a password changed,
    an administrator) leads to the login page as any other page asked for logged out."""
    client = _client(board_user)
    assert client.get("/dashboard/").status_code == 200
    import_module(engine).SessionStore().delete(_key(client))
    clock.advance(minutes=5)
    response = client.get("/dashboard/")
    assert response["Location"] == "/login/?next=/dashboard/"
    assert "You were logged out" not in client.get(response["Location"]).content.decode()


@pytest.fixture
def redis_url(tmp_path):
    """A Redis server of this test's own (Debian's redis-server, which scripts/test installs), on a
    free port, without persistence; stopped afterwards."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    server = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.access("/usr/bin/redis-server", os.X_OK) else ""
    )
    if not server:
        if os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
            pytest.fail("redis-server is missing: CI must install it (scripts/test does)")
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    args = [
        server,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(tmp_path),
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_with_redis_an_idle_officers_session_is_gone_from_the_cache_and_the_database(redis_url, settings, board_user):
    """The deployment with Redis (CACHE_URL=redis://...: sessions in "cached_db"), in real time: an
    idle limit of 4 seconds; the session's copy in Redis lives exactly as long, its row too."""
    import time

    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import caches

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url},
        "answers": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": "answers",
        },
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.OFFICER_SESSION_IDLE_SECONDS = 4
    client = _client(board_user)
    started = time.monotonic()
    assert client.get("/dashboard/").status_code == 200
    key = _key(client)
    import redis

    ttl = redis.Redis.from_url(redis_url).ttl(caches["default"].make_key(KEY_PREFIX + key))
    assert 0 < ttl <= 4, ttl  # in Redis, as deployed, for the idle limit only (not 14 days)
    time.sleep(4.5 - (time.monotonic() - started))
    assert caches["default"].get(KEY_PREFIX + key) is None  # Redis let it go at the session's end
    response = client.get("/dashboard/")
    assert response["Location"] == "/login/?next=/dashboard/"
    assert "without activity" in client.get(response["Location"]).content.decode()
    assert not Session.objects.filter(session_key=key).exists()
