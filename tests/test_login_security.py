"""Issue 8: logging in is locked out after repeated failures (per account and address, and per
address), the admin logs in through the same page, and `check --deploy` is clean with the
production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import Client

from tests.conftest import PASSWORD


def _login(client: Client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_the_account_from_that_address(board_user, leader_user, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = _login(client, "bql1", "sai-mat-khau")
        assert response.status_code == 200 and "_auth_user_id" not in client.session
    response = _login(client, "BQL1", PASSWORD)  # the right password now: still refused, any case
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert "Quá nhiều lần đăng nhập không thành công" in response.content.decode()
    assert _login(Client(), "bql1", PASSWORD, address="198.51.100.9").status_code == 302  # another address
    assert _login(Client(), "ld1", PASSWORD).status_code == 302  # another account from the same address
    cache.clear()  # the window has passed
    assert _login(client, "bql1", PASSWORD).status_code == 302


def test_a_success_clears_the_accounts_failures(board_user, settings):
    client = Client()
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(client, "bql1", "sai-mat-khau")
    assert _login(client, "bql1", PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(settings.LOGIN_FAILURE_LIMIT - 1):
        _login(client, "bql1", "sai-mat-khau")
    assert _login(client, "bql1", PASSWORD).status_code == 302


def test_one_address_trying_many_accounts_is_locked_out(board_user, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 8
    client = Client()
    for i in range(8):
        _login(client, f"khong-co-{i}", "sai")
    assert _login(client, "bql1", PASSWORD).status_code == 429


def test_the_admin_logs_in_through_the_sites_login_page(admin_user):
    response = Client().get("/admin/login/")
    assert response.status_code == 302 and response["Location"].startswith("/login/?next=/admin/login/")


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env |= {
        "ZONEDESK_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "zonedesk.example.vn",
        "ZONEDESK_DATA_DIR": str(tmp_path),
    }
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "zonedesk", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "no issues" in proc.stdout


pytestmark = pytest.mark.django_db
