"""Shared fixtures: a small registry built through the services, and a user per role.

Two enterprises in two zones, so that every access test has "another enterprise" to try.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from zonedesk.core.models import Agency, Role, User, Zone
from zonedesk.investment import services

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

# the `installation` fixture: a ZoneDesk of its own for tests that run its processes
pytest_plugins = ["tests.installations"]

# Tests create many users: a fast hasher keeps them from spending their time in PBKDF2.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="session")
def demo_everything(request, django_db_setup, django_db_blocker):
    """The whole demo (`zonedesk_demo.build.build_everything`, in demo mode), built once per run and
    committed, for the tests that read it (privacy, access, plan and roadmap demos, backups, the
    hostile-text browser test): one build instead of one per module, the suite's longest step.

    Tests that use it run after all others (`pytest_collection_modifyitems` below), since no
    other test expects to find the demo in its database, and they leave it as they found it:
    their writes are in transactions they roll back, except the browser test's, which runs last."""
    from django.test import override_settings
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from zonedesk_demo.build import build_everything

    # pytest-django sets up the test database only when a collected test asks for `db`; when
    # only tests of the committed demo run (one module alone), it is set up here.
    own = None if "default" in _get_databases_for_setup(request.session.items)[0] else {"default"}
    with django_db_blocker.unblock():
        created = own and setup_databases(verbosity=0, interactive=False, aliases=own)
        with override_settings(DEMO_MODE=True):
            demo = build_everything()
    yield demo
    if created:
        with django_db_blocker.unblock():
            teardown_databases(created, verbosity=0)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The tests of the committed demo last (after pytest-django's own order): first those that
    only read it, then those that commit into it (`demo_writes`), and at the very end those a
    live server serves (their database is emptied after them)."""

    def key(item) -> int:
        names = getattr(item, "fixturenames", ())
        if "demo_everything" not in names:
            return 0
        if "transactional_db" in names or "live_server" in names:
            return 3
        return 2 if item.get_closest_marker("demo_writes") else 1

    items.sort(key=key)


@pytest.fixture(autouse=True)
def _today_of_the_test(request):
    """A test module's `TODAY = timezone.localdate()` is read again as each test starts: read once
    at import, a run that crosses midnight in Hanoi (17:00 UTC) compared the code's new day with
    the module's old one (CI failed on report lateness and roadmap dates, on both engines)."""
    module = request.module
    if getattr(module, "TODAY_IS_TODAY", False):
        module.TODAY = timezone.localdate()
    yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The caches hold throttling counters, cached rules and answers: no test inherits another's."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _fresh_suggester():
    """Each test's petitions teach the suggestions from scratch (SQLite reuses the ids of rows
    rolled back by the previous test, so the routing key alone could not tell them apart)."""
    from zonedesk.petitions import suggestions

    suggestions.forget()
    yield
    suggestions.forget()


def _code_given(client, user) -> None:
    """The client's session counts as having passed the second step (core/twofactor.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zonedesk.core import twofactor

    if twofactor.is_required(user):
        device = twofactor.device_of(user) or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def _force_login_with_code(self, user, backend=None):
    """`Client.force_login` and `Client.login`, as a person who has given both the password and
    the code: board, agency and leader accounts reach nothing otherwise. The tests of the two
    steps themselves (tests/test_two_factor.py) log in through the pages."""
    _plain_force_login(self, user, backend)
    _code_given(self, user)


def _login_with_code(self, **credentials):
    from django.contrib.auth import SESSION_KEY

    done = _plain_login(self, **credentials)
    if done:
        _code_given(self, User.objects.get(pk=self.session[SESSION_KEY]))
    return done


from django.test import Client  # noqa: E402

_plain_force_login, _plain_login = Client.force_login, Client.login
Client.force_login, Client.login = _force_login_with_code, _login_with_code

PASSWORD = "correct-horse-battery-staple"

# Valid Vietnamese tax codes (check digit verified by python-stdnum).
_tax_codes = itertools.count(1)


def make_tax_code(prefix: str = "01") -> str:
    from stdnum.vn import mst

    while True:
        body = f"{prefix}{next(_tax_codes):07d}"
        for check in "0123456789":
            if mst.is_valid(body + check):
                return body + check


@pytest.fixture
def zone(db) -> Zone:
    return Zone.objects.create(
        code="HHTP",
        kind=Zone.Kind.HITECH,
        name_vi="Khu Công nghệ cao Hòa Lạc",
        name_en="Hoa Lac Hi-Tech Park",
        province="Hà Nội",
        area_ha=1586,
        leasable_area_ha=100,
    )


@pytest.fixture
def other_zone(db) -> Zone:
    return Zone.objects.create(
        code="KCNTL",
        kind=Zone.Kind.INDUSTRIAL,
        name_vi="Khu công nghiệp Thăng Long",
        name_en="Thang Long Industrial Park",
        province="Hà Nội",
        area_ha=274,
        leasable_area_ha=200,
    )


@pytest.fixture
def agency(db) -> Agency:
    return Agency.objects.create(code="TAX-HN", kind=Agency.Kind.TAX, name_vi="Thuế TP Hà Nội", name_en="Hanoi Tax")


@pytest.fixture
def make_project(db):
    """Register a project (with its own enterprise unless one is given) through the services."""

    counter = itertools.count(1)

    def make(
        *,
        zone: Zone,
        enterprise=None,
        name_vi: str | None = None,
        capital: int = 100_000_000_000,
        foreign: bool = False,
        certificate_date: dt.date = dt.date(2020, 3, 1),
        **extra,
    ):
        n = next(counter)
        if enterprise is None:
            investor = services.investor_create(
                name=f"Nhà đầu tư {n}",
                nationality="JP" if foreign else "VN",
                tax_code="" if foreign else make_tax_code(),
            )
            enterprise = services.enterprise_create(
                name=f"Công ty TNHH Số {n}", tax_code=make_tax_code(), zone=zone, investors=[investor]
            )
        else:
            investor = enterprise.investors.first()
        return services.project_register(
            code=extra.pop("code", f"{zone.code[:3]}{n:07d}"),
            name_vi=name_vi or f"Dự án số {n}",
            enterprise=enterprise,
            zone=zone,
            sector=extra.pop("sector", "software"),
            shares=[(investor, capital // 2 if type(capital) is int and capital > 0 else 1)],
            registered_capital_vnd=capital,
            registered_capital_usd=max(capital // 25_000, 1) if foreign else None,
            certificate_date=certificate_date,
            today=TODAY,
            **extra,
        )

    return make


@pytest.fixture
def project(zone, make_project):
    return make_project(zone=zone, name_vi="Trung tâm R&D Hòa Lạc", land_area_m2=20_000, target_workers=100)


@pytest.fixture
def other_project(other_zone, make_project):
    return make_project(zone=other_zone, name_vi="Nhà máy điện tử Thăng Long", foreign=True)


def _user(username: str, role: str, **extra) -> User:
    user = User(username=username, role=role, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def enterprise_user(project) -> User:
    return _user("dn1", Role.ENTERPRISE, enterprise=project.enterprise)


@pytest.fixture
def other_enterprise_user(other_project) -> User:
    return _user("dn2", Role.ENTERPRISE, enterprise=other_project.enterprise)


@pytest.fixture
def agency_user(agency) -> User:
    return _user("cq1", Role.AGENCY, agency=agency)


@pytest.fixture
def board_user(db) -> User:
    return _user("bql1", Role.BOARD)


@pytest.fixture
def leader_user(db) -> User:
    return _user("ld1", Role.LEADER)


@pytest.fixture
def admin_user(db) -> User:
    return _user("qt1", Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def other_agency(db) -> Agency:
    return Agency.objects.create(code="EVN-HN", kind=Agency.Kind.UTILITY, name_vi="EVN Hà Nội", name_en="EVN Hanoi")


@pytest.fixture
def other_agency_user(other_agency) -> User:
    return _user("cq2", Role.AGENCY, agency=other_agency)


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """An empty MEDIA_ROOT of the test's own, to see which files a write left behind."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = str(root)
    return root


def stored_files(root: Path) -> list[Path]:
    """Every file under a folder, sorted."""
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def one_stop_desk(db):
    """The board's one-stop desk as the demo has it (tests of `zonedesk.procedures`): the people of
    its units (the desk, a specialist, the head of the divisions, the leader) by username, and the
    catalogue of procedures by code."""
    from zonedesk_demo.procedures import build_catalogue

    people = {
        "motcua": _user("motcua", Role.BOARD),
        "chuyenvien": _user("chuyenvien", Role.BOARD),
        "truongphong": _user("truongphong", Role.BOARD),
        "lanhdao": _user("lanhdao", Role.LEADER),
    }
    return people, build_catalogue()
