"""An installation of its own for a test that runs ZoneDesk's processes (`serve`, `worker`): an
SQLite file in the SQLite run, a new PostgreSQL database (dropped afterwards) on the run's server
in the PostgreSQL run. The test's own database stays untouched; the processes share nothing with
the test but the code."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings


@dataclass
class Installation:
    env: dict[str, str]
    sqlite_path: Path | None = None
    pg: dict | None = None  # psycopg connection parameters

    def zonedesk(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run `zonedesk ARGS` on this installation; its standard output."""
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "zonedesk", *args], env=env or self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def look(self, sql: str) -> tuple:
        """The first row of a query, read through a connection of its own (JSON columns as text)."""
        if self.sqlite_path is not None:
            with sqlite3.connect(self.sqlite_path) as con:
                return con.execute(sql).fetchone()
        import psycopg

        with psycopg.connect(**self.pg) as con:
            row = con.execute(sql).fetchone()
        return tuple(json.dumps(v) if isinstance(v, list | dict) else v for v in row) if row else row


@pytest.fixture
def installation(tmp_path):
    env = os.environ | {"ZONEDESK_DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        path = tmp_path / "zonedesk.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{path}"
        yield Installation(env=env, sqlite_path=path)
        return
    import psycopg

    name = f"zonedesk_own_{uuid.uuid4().hex[:8]}"
    server = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    env["DATABASE_URL"] = f"postgres://{auth}{server['host']}:{server['port']}/{name}"
    try:
        yield Installation(env=env, pg=server | {"dbname": name})
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as con:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
