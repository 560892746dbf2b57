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
