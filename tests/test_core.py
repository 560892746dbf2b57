"""Core: settings refuse unsafe production, accent folding, the working-day calendar, demo accounts."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from zonedesk.core.calendar import add_working_days, is_working_day, next_working_day
from zonedesk.core.models import CalendarDay, Role, User
from zonedesk.core.text import fold

GOOD_KEY = "k7Hq2vN9xR4tY8wZ1pL6mB3cD5fG0jS2aE7uI9oP4rT6yW8q"


def _start(env_changes: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "ZONEDESK_ENV"}}
    env.update({"ZONEDESK_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"}, **env_changes)
    return subprocess.run(
        [sys.executable, "-m", "zonedesk", "check"], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "env, message",
    [
        ({"ZONEDESK_ENV": "production"}, "SECRET_KEY"),
        ({"ZONEDESK_ENV": "production", "SECRET_KEY": "django-insecure-" + "x" * 50}, "SECRET_KEY"),
        ({"ZONEDESK_ENV": "production", "SECRET_KEY": GOOD_KEY, "DEBUG": "true"}, "DEBUG"),
    ],
)
def test_production_refuses_to_start_unsafe(tmp_path, env, message):
    result = _start(env, tmp_path)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_a_real_key_and_demo_off(tmp_path):
    result = _start(
        {"ZONEDESK_ENV": "production", "SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "zonedesk.example"}, tmp_path
    )
    assert result.returncode == 0, result.stderr
    demo = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django;django.setup();from django.conf import settings;print(settings.DEMO_MODE)",
        ],
        env={
            **os.environ,
            "ZONEDESK_ENV": "production",
            "SECRET_KEY": GOOD_KEY,
            "ZONEDESK_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "zonedesk.settings",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert demo.stdout.strip() == "False"


@pytest.mark.parametrize(
    "text, folded",
    [
        ("Hòa Lạc", "hoa lac"),
        ("KHU CÔNG NGHỆ CAO", "khu cong nghe cao"),
        ("Đông  Anh", "dong anh"),
        ("Thạch Thất", "thach that"),
        ("Nguyễn Ðức", "nguyen duc"),
        ("", ""),
    ],
)
def test_fold_removes_vietnamese_accents(text, folded):
    assert fold(text) == folded


@pytest.mark.django_db
def test_working_days_know_tet_and_the_swapped_days():
    assert not is_working_day(dt.date(2026, 2, 17))  # Tết
    assert not is_working_day(dt.date(2026, 9, 2))  # National Day
    assert not is_working_day(dt.date(2026, 11, 22))  # a Sunday
    assert is_working_day(dt.date(2026, 11, 23))
    # Tết 2026: a petition received on Friday 13 Feb is answered 1 working day later on 23 Feb
    assert next_working_day(dt.date(2026, 2, 14)) == dt.date(2026, 2, 23)
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)
    # The board's table wins: Saturday 22 Aug 2026 is worked in exchange for 31 Aug
    assert not is_working_day(dt.date(2026, 8, 22))
    CalendarDay.objects.create(date=dt.date(2026, 8, 22), is_working_day=True, name="Làm bù cho 31/8")
    assert is_working_day(dt.date(2026, 8, 22))
    assert not is_working_day(dt.date(2026, 8, 31))


@pytest.mark.django_db
def test_demo_accounts_log_in_only_in_demo_mode(client, settings):
    user = User(username="demo-board", role=Role.BOARD, is_demo=True)
    user.set_password("zonedesk-demo")
    user.save()
    settings.DEMO_MODE = True
    assert client.login(username="demo-board", password="zonedesk-demo")
    client.logout()
    settings.DEMO_MODE = False
    assert not client.login(username="demo-board", password="zonedesk-demo")


@pytest.mark.django_db
def test_role_memberships_are_enforced_by_the_database(agency):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=Role.ENTERPRISE)  # an enterprise user without an enterprise
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="y", role=Role.BOARD, agency=agency)  # a board officer inside an agency
