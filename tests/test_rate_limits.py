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
