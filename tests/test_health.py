"""/healthz (liveness) and /readyz (readiness) for load balancers: real database, real cache
backends, no mocks."""

from __future__ import annotations

import copy
import socket

import pytest
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"


def _closed_port() -> int:
    with socket.socket() as s:  # bound, then released: nothing listens there
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_without_the_database(client):
    response = client.get("/healthz")  # no django_db mark: a query would raise
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "no-store" in response["Cache-Control"]


def test_health_answers_any_host_over_plain_http(client, settings):
    """A load balancer asks by the machine's address, over HTTP, before the HTTPS redirect."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["zonedesk.example.vn"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/api/v1/zones", HTTP_HOST="10.0.0.7:8000").status_code == 400  # the rest still checks


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_migrations(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}, "failed": []}
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_readyz_fails_while_a_migration_is_not_applied(client):
    """As on a server whose code is newer than the database: forget that the newest migration of
    an app was applied (the test's transaction puts it back)."""
    recorder = MigrationRecorder(connection)
    newest = recorder.migration_qs.filter(app="petitions").order_by("-id").first()
    newest.delete()
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["failed"] == ["migrations"]
    assert body["checks"]["migrations"] == "failed: 1 unapplied"
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_fails_when_the_shared_cache_does_not_answer(client, settings):
    port = _closed_port()
    settings.SHARED_CACHE = True
    with override_settings(
        CACHES={"default": {"BACKEND": REDIS_CACHE, "LOCATION": f"redis://127.0.0.1:{port}/0"}},
        SESSION_ENGINE="django.contrib.sessions.backends.db",
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["cache"]
    assert body["checks"]["cache"] == "failed: ConnectionError"
    assert str(port) not in response.content.decode()  # an error's class, never its message


@pytest.mark.django_db
def test_readyz_checks_a_shared_cache_that_answers(client, settings, tmp_path):
    """A file-based cache is shared by the processes of one machine: it counts as shared."""
    settings.SHARED_CACHE = True
    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path}}
    ):
        response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "migrations": "ok", "cache": "ok"}


def test_health_endpoints_only_read(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert client.post("/readyz").status_code == 405


@pytest.mark.django_db
def test_readyz_fails_when_the_database_does_not_answer(client):
    """The default connection is replaced by one to a port where nothing listens (SQLite: a file
    in a missing folder) for the time of the request."""
    original = connections["default"]
    settings_dict = copy.deepcopy(original.settings_dict)
    if original.vendor == "sqlite":
        settings_dict["NAME"] = "/nonexistent-folder/zonedesk.sqlite3"
    else:
        settings_dict["PORT"] = _closed_port()
    unreachable = type(original)(settings_dict, "default")
    connections["default"] = unreachable
    try:
        response = client.get("/readyz")
    finally:
        unreachable.close()
        connections["default"] = original
    assert response.status_code == 503
    body = response.json()
    assert body["failed"] == ["database"]
    assert body["checks"] == {"database": "failed: OperationalError", "migrations": "skipped: no database"}
