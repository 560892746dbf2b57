"""Issue 8: logging in is locked out after repeated failures (per account and address, and per
address), the admin logs in through the same page, and `check --deploy` is clean with the
production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest
from django.test import Client

from tests.conftest import PASSWORD


def _window_passes() -> None:
    """The lock-out's window is over: every count has expired (they are in the database here)."""
    from django.utils import timezone

    from zonedesk.core.models import RateCount

    RateCount.objects.update(expires=timezone.now())


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
    _window_passes()
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


@pytest.mark.parametrize(
    "spelling",
    ["ｂｑｌ１", "bqｌ1", " bql1 ", "BQL1", "bql1\u3000", "ḃql1"],
)
def test_the_lock_out_counts_the_account_whatever_its_spelling(board_user, settings, spelling):
    """Django's login form normalises the name it looks up (NFKC: fullwidth letters, spaces): a
    spelling that reaches the account shares its count, so 5 failures lock out every spelling and
    no more than 5 passwords are checked."""
    client = Client()
    tried = [
        _login(client, name, "sai-mat-khau").status_code for name in ["bql1", "ｂｑｌ１", "bqｌ1", " bql1 ", "BQL1"]
    ]
    assert tried == [200] * 5  # five failures, each under another spelling of one account
    response = _login(client, spelling, PASSWORD)  # the right password under yet another spelling
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    checked = [_login(client, name, "sai").status_code for name in ["ｂql1", "bql１"] * 10]
    assert set(checked) == {429}  # refused unchecked, whatever the spelling


def test_at_most_the_limit_of_passwords_is_checked_for_an_account(board_user, settings):
    """Each attempt is counted before its password is checked: the sixth is refused unchecked
    even when it is right."""
    client = Client()
    codes = [_login(client, "bql1", "sai").status_code for _ in range(settings.LOGIN_FAILURE_LIMIT)]
    assert codes == [200] * settings.LOGIN_FAILURE_LIMIT
    assert _login(client, "bql1", PASSWORD).status_code == 429


def test_logging_in_from_one_office_address_all_day_is_not_locked_out(board_user, leader_user, settings):
    """Successes do not use up the address's allowance (an office behind one address)."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for _ in range(10):
        client = Client()
        assert _login(client, "bql1", PASSWORD).status_code == 302
        assert _login(Client(), "ld1", PASSWORD).status_code == 302


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


def test_a_long_name_from_an_ipv6_address_is_an_ordinary_failure(board_user):
    """The count's key holds the name typed and the address: a long one still fits (no 500)."""
    response = _login(Client(), "x" * 400, "sai", address="2001:db8:85a3:1234:5678:8a2e:370:7334")
    assert response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session
