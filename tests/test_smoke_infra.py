"""Smoke test of the test infrastructure (scripts/test): the package imports, and the
database Django is configured with is the one DATABASE_URL names, and it answers."""

import os

import pytest
from django.conf import settings


def test_package_imports():
    import zonedesk

    assert zonedesk.__name__ == "zonedesk"


def test_database_matches_database_url():
    engine = settings.DATABASES["default"]["ENGINE"]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        assert engine == "zonedesk.core.dbbackends.postgresql"  # Django's, with the idle-only health check
    else:
        assert engine == "django.db.backends.sqlite3"


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="only when DATABASE_URL names a PostgreSQL server",
)
def test_postgresql_server_answers():
    import psycopg

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"], connect_timeout=5
    ) as conn:
        assert conn.execute("select 1").fetchone() == (1,)
