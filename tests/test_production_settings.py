"""The settings of a several-machine deployment, read from the environment in a fresh process:
the connection pool (DB_POOL), sessions in a shared cache, Redis timeouts (docs/DEPLOY.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

PG = "postgres://zonedesk@db.internal:5432/zonedesk"
SHOW = """
import json
from zonedesk import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "pool": db.get("OPTIONS", {}).get("pool"),
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "connect_timeout": db.get("OPTIONS", {}).get("connect_timeout"),
    "cache": s.CACHES["default"],
    "shared_cache": s.SHARED_CACHE,
    "session_engine": s.SESSION_ENGINE,
}))
"""


def _settings(tmp_path, **env: str) -> dict:
    environment = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL", "DB_POOL"}}
    environment |= {"ZONEDESK_DATA_DIR": str(tmp_path), **env}
    proc = subprocess.run(
        [sys.executable, "-c", SHOW], env=environment, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_embedded_default_keeps_sessions_in_the_database(tmp_path):
    s = _settings(tmp_path)
    assert s["shared_cache"] is False
    assert s["session_engine"] == "zonedesk.core.sessions"  # never in a per-process memory
    assert s["pool"] is None


def test_postgresql_without_a_pool_keeps_connections_per_thread(tmp_path):
    s = _settings(tmp_path, DATABASE_URL=PG)
    assert s["pool"] is None
    assert s["conn_max_age"] == 60
    assert s["connect_timeout"] == 10


@pytest.mark.parametrize(("value", "size"), [("true", 4), ("8", 8)])
def test_db_pool_turns_on_psycopg_s_pool_without_persistent_connections(tmp_path, value, size):
    s = _settings(tmp_path, DATABASE_URL=PG, DB_POOL=value)
    assert s["pool"] == {"min_size": 1, "max_size": size, "timeout": 10.0, "max_idle": 300}
    assert s["conn_max_age"] == 0  # Django refuses a pool with persistent connections


def test_a_redis_cache_holds_the_sessions_and_answers_within_seconds(tmp_path):
    s = _settings(tmp_path, CACHE_URL="redis://cache.internal:6379/0")
    assert s["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert s["cache"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert s["cache"]["OPTIONS"] == {"socket_connect_timeout": 2, "socket_timeout": 2}
    assert s["shared_cache"] is True
    assert s["session_engine"] == "django.contrib.sessions.backends.cached_db"
