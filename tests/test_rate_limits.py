"""Issue 8: the public's calls of the API are limited per address (core/throttle.py), in the
shared cache; scripts/cluster (tests/test_cluster.py) shows the count is one across servers."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_public_api_answers_429_past_its_limit_per_address(client, settings, board_user):
    settings.PUBLIC_API_LIMIT = 3
    for _ in range(3):
        assert client.get("/api/v1/zones").status_code == 200
    response = client.get("/api/v1/zones")
    assert response.status_code == 429 and response["Retry-After"] == "60"
    assert response.json()["detail"]
    assert client.get("/api/v1/projects").status_code == 429  # one count for every operation
    assert client.get("/api/v1/zones", REMOTE_ADDR="203.0.113.9").status_code == 200  # another address
    officer = Client()
    officer.force_login(board_user)
    for _ in range(5):  # logged-in people are not counted
        assert officer.get("/api/v1/zones").status_code == 200


def test_expired_counts_are_deleted_by_the_workers_periodic_work():
    """Without a cache server the counts are rows (core.throttle): the periodic work deletes
    those past their window and keeps the live ones."""
    import datetime as dt

    from django.utils import timezone

    from zonedesk.core import throttle
    from zonedesk.core.models import RateCount

    assert throttle.throttle_hit(scope="t", ident="old", limit=2, window_seconds=60)
    assert throttle.throttle_hit(scope="t", ident="new", limit=2, window_seconds=60)
    RateCount.objects.filter(key="throttle:t:old").update(expires=timezone.now() - dt.timedelta(seconds=1))
    assert throttle.rate_counts_tick.call() == {"deleted": 1}
    assert list(RateCount.objects.values_list("key", "count")) == [("throttle:t:new", 1)]
    # an expired count starts again at one, not where it stopped
    for _ in range(3):
        throttle.throttle_hit(scope="t", ident="new", limit=2, window_seconds=60)
    assert not throttle.throttle_hit(scope="t", ident="new", limit=2, window_seconds=60)
    RateCount.objects.update(expires=timezone.now())
    assert throttle.throttle_hit(scope="t", ident="new", limit=2, window_seconds=60)


@pytest.fixture
def redis_cache(settings, tmp_path):
    """A throwaway redis-server as the default cache (as in production: CACHE_URL=redis://...)."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    server = shutil.which("redis-server") or "/usr/bin/redis-server"
    if not os.access(server, os.X_OK):
        if os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
            pytest.fail("redis-server is missing: CI must install it (scripts/test does)")
        pytest.skip("redis-server is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(
        [
            server,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            },
        }
        from django.core.cache import caches

        yield caches["default"]
    finally:
        proc.terminate()
        proc.wait(10)


def test_on_redis_the_count_is_exact_in_one_round_trip_and_ends_with_its_window(redis_cache):
    """On Redis a call is counted with one pipelined round trip (core/throttle.py): the limit
    still lets exactly `limit` calls through, the count is a plain integer the cache reads back,
    and it expires with its window."""
    from zonedesk.core.throttle import throttle_hit

    results = [throttle_hit(scope="t", ident="198.51.100.1", limit=3, window_seconds=60) for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert redis_cache.get("throttle:t:198.51.100.1") == 5
    client = redis_cache._cache.get_client()
    assert 0 < client.ttl(redis_cache.make_and_validate_key("throttle:t:198.51.100.1")) <= 60
    assert throttle_hit(scope="t", ident="198.51.100.2", limit=3, window_seconds=60)  # another address


@pytest.mark.parametrize(
    "backend",
    ["django.core.cache.backends.filebased.FileBasedCache", "django.core.cache.backends.db.DatabaseCache"],
)
def test_a_cache_that_increments_by_reading_then_writing_leaves_the_counts_to_the_database(settings, tmp_path, backend):
    """Django's file and database caches add one by a read then a write (two processes at once
    lose a hit): the limits are then counted in the database's atomic statement."""
    from zonedesk.core import throttle
    from zonedesk.core.models import RateCount

    settings.CACHES = {**settings.CACHES, "default": {"BACKEND": backend, "LOCATION": str(tmp_path)}}
    assert throttle.throttle_hit(scope="t", ident="a", limit=1, window_seconds=60)
    assert not throttle.throttle_hit(scope="t", ident="a", limit=1, window_seconds=60)
    assert RateCount.objects.get(key="throttle:t:a").count == 2
