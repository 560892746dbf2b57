"""The project's verbs: `zonedesk demo`, `zonedesk serve`, `zonedesk up`."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from zonedesk.core.management.commands.serve import bind_address
from zonedesk_demo.investment import DEMO_PASSWORD
from zonedesk_demo.management.commands.up import public_url

# The processes below run on a SQLite file of their own whatever the run's database: the SQLite
# run proves them, the PostgreSQL run would only repeat it (a minute of building the demo).
sqlite_run_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="runs its own SQLite installation: proven by the SQLite run",
)


def test_addresses():
    assert bind_address("127.0.0.1", 8000) == "127.0.0.1:8000"
    assert bind_address("::1", 8000) == "[::1]:8000"
    assert public_url("0.0.0.0", 8080) == "http://127.0.0.1:8080"  # noqa: S104
    assert public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"


# --- the server, as a real process ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str, deadline: float, proc: subprocess.Popen):
    last = None
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own server
                return response.status, json.loads(response.read())
        except OSError as exc:
            last = exc
            time.sleep(0.3)
    output = ""
    if proc.poll() is not None:
        output = proc.stdout.read() if proc.stdout else ""
    pytest.fail(f"no answer from {url}: {last}\n{output}")


def _start(args: list[str], tmp_path: Path) -> subprocess.Popen:
    env = os.environ | {
        "ZONEDESK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "ZONEDESK_DEMO": "true",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "zonedesk", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _stop(proc: subprocess.Popen) -> str:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.stdout.read() if proc.stdout else ""


@sqlite_run_only
def test_serve_answers_the_api(tmp_path):
    port = _free_port()
    proc = _start(["serve", "--port", str(port), "--workers", "1"], tmp_path)
    try:
        status, body = _get_json(f"http://127.0.0.1:{port}/api/v1/zones", time.monotonic() + 60, proc)
        assert status == 200
        assert body == []  # serve migrates but loads no demo
    finally:
        output = _stop(proc)
    assert proc.returncode == 0, output
    assert "GET /api/v1/zones" in output  # the access log goes to stdout


@sqlite_run_only
def test_up_loads_the_demo_and_serves_it_then_demo_builds_nothing_and_lists_the_accounts(tmp_path):
    """The README's first command on an empty installation, then `zonedesk demo` on what it built:
    one build of the demo for both commands (a build is the suite's longest step)."""
    port = _free_port()
    proc = _start(["up", "--port", str(port), "--workers", "1"], tmp_path)
    try:
        url = f"http://127.0.0.1:{port}/api/v1/zones/HHTP/figures?year=2023"
        # building the demo takes 30-60 s on an idle 2-core machine: a generous limit, not a timing check
        status, body = _get_json(url, time.monotonic() + 240, proc)
        assert status == 200
        assert body["projects"] == {"total": 109, "domestic": 95, "foreign": 14}
        assert body["registered_capital_vnd"] == 115_500_000_000_000
    finally:
        output = _stop(proc)
    assert f"http://127.0.0.1:{port}" in output  # "ZoneDesk at <url>", in the language of the settings
    assert "zonedesk-demo" in output and "hanwha" in output
    # the summary in the settings' language (Vietnamese): one number format throughout
    assert "115.500" in output and "14.500" in output and "30.000" in output
    rates = re.findall(r"\d+[.,]\d+ ?%", output)
    assert len(rates) >= 5 and all("," in r for r in rates), rates  # the plans' and the registry's
    summary = output.split("ZoneDesk ")[0]  # before the server's own log lines
    assert not re.search(r"\d\.\d(?!\d)", summary), "a decimal point in Vietnamese output"

    database = tmp_path / "serve.sqlite3"
    counts = "SELECT (SELECT count(*) FROM investment_project), (SELECT count(*) FROM investment_periodicreport)"
    demo_users = "SELECT count(*) FROM core_user WHERE is_demo"
    with sqlite3.connect(database) as con:
        built, accounts = con.execute(counts).fetchone(), con.execute(demo_users).fetchone()[0]
    assert accounts == 10  # one per role, and the one-stop desk's three (up runs in demo mode)

    # `zonedesk demo` outside demo mode: nothing built, and it says why the accounts cannot log in
    text = _run(["demo"], tmp_path, demo=False)
    assert _vi("The demo dataset is already there (zone %(code)s): nothing to build.") % {"code": "HHTP"} in text
    assert "ZONEDESK_DEMO" in text
    # in demo mode: the accounts listed, none created again
    text = _run(["demo"], tmp_path, demo=True)
    for username in (
        "admin",
        "bql",
        "lanhdao",
        "motcua",
        "chuyenvien",
        "truongphong",
        "thue",
        "xahoalac",
        "fpt",
        "hanwha",
    ):
        assert f"\n{username} " in text
    assert DEMO_PASSWORD in text
    assert _vi("  demo account created: %(username)s").split(":")[0] not in text
    with sqlite3.connect(database) as con:
        assert con.execute(counts).fetchone() == built
        assert con.execute(demo_users).fetchone()[0] == accounts


def _vi(message: str) -> str:
    with translation.override("vi"):
        return translation.gettext(message)


def _run(args: list[str], tmp_path: Path, *, demo: bool) -> str:
    env = os.environ | {
        "ZONEDESK_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        "ZONEDESK_DEMO": "true" if demo else "false",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "zonedesk", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_every_model_change_has_its_migration(db):
    """A constraint or field only in the models would be missing from every real database."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) on a change
