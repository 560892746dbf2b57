"""The demo dataset reproduces the published Hoa Lac figures, through the selector and the API.

The demo is built once for this module, inside a transaction that is rolled back at its end
(so the other test modules see an empty registry); every test runs in a savepoint of it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.db.models import Count, Sum
from django.test import override_settings
from django.utils import timezone, translation

from zonedesk.core.models import Agency, Role, User, Zone
from zonedesk.investment import selectors
from zonedesk.investment.models import (
    Amendment,
    Enterprise,
    Investor,
    PeriodicReport,
    PeriodKind,
    Project,
    ProjectInvestor,
    ProjectStatus,
    ScheduleMilestone,
    StatusChange,
)
from zonedesk_demo.investment import (
    BN,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    HHTP,
    REAL_TENANTS,
    build_demo,
    demo_accounts,
    demo_fingerprint,
)
from zonedesk_demo.summary import figures_line

PUBLISHED_2023 = {
    "projects": {"total": 109, "domestic": 95, "foreign": 14},
    "registered_capital_vnd": 115_500 * BN,
    "workers": 14_500,
    "revenue_vnd": 30_000 * BN,
}
MODELS = (
    Zone,
    Agency,
    Investor,
    Enterprise,
    Project,
    ProjectInvestor,
    Amendment,
    ScheduleMilestone,
    StatusChange,
    PeriodicReport,
    User,
)


def row_counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEMO_MODE=True):
                result = build_demo()
            yield {"result": result, "fingerprint": demo_fingerprint(), "counts": row_counts()}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def hhtp(demo, db) -> Zone:
    return Zone.objects.get(code=HHTP)


def _check_published(figures: dict) -> None:
    for key, value in PUBLISHED_2023.items():
        assert figures[key] == value, key
    assert figures["land_registration_rate"] == pytest.approx(0.40, abs=0.005)


# --- the published figures ------------------------------------------------------------------


def test_selector_gives_the_published_2023_figures(hhtp):
    figures = selectors.zone_figures(zone=hhtp, year=2023)
    _check_published(figures)
    assert 0.4 <= figures["disbursement_rate"] <= 0.7


def test_api_gives_the_published_2023_figures(hhtp, client):
    response = client.get("/api/v1/zones/HHTP/figures?year=2023")
    assert response.status_code == 200
    body = response.json()
    _check_published(body)
    assert body["zone"] == HHTP and body["as_of"] == "2023-12-31"


def test_api_figures_of_all_zones_add_up(hhtp, client):
    response = client.get("/api/v1/figures?year=2023")
    assert response.status_code == 200
    body = response.json()
    per_zone = [selectors.zone_figures(zone=z, year=2023) for z in Zone.objects.all()]
    for key in ("registered_capital_vnd", "workers", "revenue_vnd", "export_vnd"):
        assert body[key] == sum(f[key] for f in per_zone), key
    assert body["projects"]["total"] == sum(f["projects"]["total"] for f in per_zone)
    assert body["projects"]["total"] > 109 and body["projects"]["foreign"] > 14
    assert body["registered_capital_vnd"] > 115_500 * BN


def test_published_history(hhtp):
    """28 projects by Aug 2008, 94 / 89,300 bn by Jul 2020, 104 / 100,000 bn by Jul 2023."""

    def at(day):
        projects = selectors.projects_in_force(zone=hhtp, as_of=day)
        initial = projects.aggregate(s=Sum("initial_capital_vnd"))["s"]
        amended = (
            Amendment.objects.filter(project__in=projects, date__lte=day).aggregate(s=Sum("capital_change_vnd"))["s"]
            or 0
        )
        return projects.count(), initial + amended

    assert at(dt.date(2008, 8, 31)) == (28, 587_000_000 * 16_000)  # US$587m at about 16,000 VND/USD
    assert at(dt.date(2020, 7, 31)) == (94, 89_300 * BN)
    assert at(dt.date(2023, 7, 31)) == (104, 100_000 * BN)
    assert at(dt.date(2023, 12, 31)) == (109, 115_500 * BN)


def test_later_years_stay_sensible(hhtp):
    """A project terminated in 2025 and new ones leave the later figures plausible."""
    f2023 = selectors.zone_figures(zone=hhtp, year=2023)
    today = timezone.localdate()
    for year in range(2024, today.year):
        f = selectors.zone_figures(zone=hhtp, year=year)
        assert 105 <= f["projects"]["total"] <= 115
        assert f["registered_capital_vnd"] >= f2023["registered_capital_vnd"]
        assert f["workers"] >= f2023["workers"]
        assert f["revenue_vnd"] >= f2023["revenue_vnd"]
        assert 0.39 <= f["land_registration_rate"] <= 0.45
        assert 0.4 <= f["disbursement_rate"] <= 0.7
    terminated = StatusChange.objects.filter(project__zone=hhtp, to_status=ProjectStatus.TERMINATED)
    assert terminated.count() == 1
    assert terminated.get().effective_date.year == 2025


def test_workers_grow_year_by_year(hhtp):
    workers = [selectors.zone_figures(zone=hhtp, year=y)["workers"] for y in (2021, 2022, 2023)]
    assert workers == sorted(workers)
    assert workers[0] >= 12_000  # Jul 2020: about 13,000 workers


# --- the shape of the dataset ---------------------------------------------------------------


def test_zones_and_agencies(hhtp):
    assert Zone.objects.count() >= 3
    assert hhtp.is_synthetic is False
    assert hhtp.area_ha == 1586
    assert str(hhtp.leasable_area_ha) == "833.62"
    assert "833" in hhtp.description
    others = Zone.objects.exclude(code=HHTP)
    assert all(z.is_synthetic and z.kind == Zone.Kind.INDUSTRIAL for z in others)
    for zone in others:
        assert 12 <= zone.projects.count() <= 30
        assert zone.projects.filter(is_foreign_invested=True).count() >= zone.projects.count() // 3
    kinds = set(Agency.objects.values_list("kind", flat=True))
    assert {"board", "tax", "customs", "planning", "construction", "commune", "police", "labour", "utility"} <= kinds
    assert all(a.name_vi and a.name_en for a in Agency.objects.all())


def test_real_tenants_and_synthetic_flags(hhtp):
    names = " ".join(Investor.objects.values_list("name", flat=True)) + " ".join(
        Enterprise.objects.values_list("name", flat=True)
    )
    for word in ("Viettel", "FPT", "VNPT", "VinSmart", "Hanwha", "Nidec", "Nissan", "Phenikaa"):
        assert word in names
    assert len(REAL_TENANTS) >= 8
    assert not Project.objects.filter(is_synthetic=False).exists()
    assert not Enterprise.objects.filter(is_synthetic=False).exists()
    assert not Investor.objects.filter(is_synthetic=False).exists()
    hanwha = Project.objects.get(enterprise__name__contains="Hanwha")
    nidec = Project.objects.get(enterprise__name__contains="Nidec")
    assert hanwha.registered_capital_usd == 200_000_000 and hanwha.is_foreign_invested
    assert nidec.registered_capital_usd == 400_000_000 and nidec.is_foreign_invested
    assert Project.objects.filter(enterprise__name="Công ty Cổ phần FPT", zone=hhtp).count() == 2


def test_registry_invariants(hhtp):
    # foreign-invested projects state USD; shares fit the registered capital
    assert not Project.objects.filter(is_foreign_invested=True, registered_capital_usd__isnull=True).exists()
    for p in Project.objects.annotate(shared=Sum("shares__capital_vnd")):
        assert 0 < p.shared <= p.initial_capital_vnd <= p.registered_capital_vnd
        last = p.status_changes.order_by("effective_date", "id").last()
        assert last.to_status == p.status
        assert p.certificate_date <= last.effective_date
    # every Hoa Lac project of 2023 certified by then and not terminated by then
    assert Project.objects.filter(zone=hhtp, certificate_date__lte=dt.date(2023, 12, 31)).count() == 109
    statuses = dict(Project.objects.filter(zone=hhtp).values_list("status").annotate(n=Count("pk")))
    assert statuses["operating"] > 60
    assert {"under_construction", "land_handed_over", "registered", "terminated"} <= set(statuses)
    # targets for most projects
    assert Project.objects.filter(target_workers__isnull=False).count() > Project.objects.count() * 0.8


def test_reports_and_disbursement(hhtp):
    assert 2_000 <= PeriodicReport.objects.count() <= 5_000
    years = set(PeriodicReport.objects.filter(period_kind=PeriodKind.YEAR).values_list("year", flat=True))
    assert {2021, 2022, 2023, 2024} <= years
    quarters = set(PeriodicReport.objects.filter(period_kind=PeriodKind.QUARTER).values_list("year", "quarter"))
    assert (2024, 1) in quarters and (2025, 4) in quarters
    # disbursed capital never goes down, project by project
    for project in Project.objects.filter(zone=hhtp)[:40]:
        reports = sorted(project.reports.all(), key=lambda r: (r.period_end, r.period_kind == "year"))
        disbursed = [r.capital_disbursed_cum_vnd for r in reports]
        assert disbursed == sorted(disbursed)
        assert all(r.workers_degree <= r.workers_total for r in reports)


def test_some_projects_behind_schedule(hhtp):
    behind = selectors.projects_behind_schedule(zone=hhtp)
    assert 8 <= len(behind) <= 12
    assert sum(r["serious"] for r in behind) >= 2
    assert len(selectors.projects_behind_schedule()) > len(behind)


def test_some_reports_late(hhtp):
    late = selectors.late_reports()
    assert 5 <= len(late) <= 30
    # the late quarterly reports are of last year or this one (the demo's today is the real today)
    assert all(o.period_kind == PeriodKind.YEAR or o.year >= timezone.localdate().year - 1 for o in late)
    fpt = Enterprise.objects.get(name="Công ty Cổ phần FPT")
    owed = selectors.report_obligations(projects=Project.objects.filter(enterprise=fpt))
    assert any(o.report is None for o in owed)


def test_the_summary_of_the_commands_gives_the_published_figures_in_english(hhtp):
    """What `zonedesk demo` and `zonedesk up` print after the build (their Vietnamese output: the
    test of `up` in test_commands.py)."""
    with translation.override("en"):
        line = figures_line()
    assert "109 projects (95 domestic, 14 foreign-invested)" in line
    assert "115,500 bn VND" in line and "14,500 workers" in line and "30,000 bn VND" in line
    assert "land registered 40.0%" in line


# --- idempotence and determinism ------------------------------------------------------------


def test_second_build_changes_nothing(demo, db):
    result = build_demo()
    assert result.created is False
    assert row_counts() == demo["counts"]
    assert demo_fingerprint() == demo["fingerprint"]
    assert [a[0] for a in result.accounts] == [a[0] for a in demo["result"].accounts]


def _wipe() -> None:
    User.objects.filter(is_demo=True).delete()
    PeriodicReport.objects.all().delete()
    Project.objects.all().delete()
    Enterprise.objects.all().delete()
    Investor.objects.all().delete()
    Agency.objects.all().delete()
    Zone.objects.all().delete()


def test_rebuild_into_empty_database_gives_same_rows_and_no_accounts_outside_demo_mode(demo, db, settings):
    settings.DEMO_MODE = False
    _wipe()
    assert Project.objects.count() == 0
    result = build_demo()
    assert result.created is True
    assert result.accounts == []
    assert not User.objects.filter(is_demo=True).exists()
    assert demo_fingerprint() == demo["fingerprint"]
    counts = row_counts()
    assert counts.pop("User") == demo["counts"]["User"] - len(DEMO_ACCOUNTS)
    assert counts == {k: v for k, v in demo["counts"].items() if k != "User"}


# --- demo accounts ----------------------------------------------------------------------------


def test_one_demo_account_per_role(demo, db):
    accounts = demo["result"].accounts
    one_stop_desk = {"motcua", "chuyenvien", "truongphong"}  # the units of the board (procedures)
    assert {a[0] for a in accounts} == {"admin", "bql", "lanhdao", "thue", "xahoalac", "fpt", "hanwha", *one_stop_desk}
    assert all(a[1] == DEMO_PASSWORD for a in accounts)
    users = {u.username: u for u in User.objects.filter(is_demo=True)}
    assert {u.role for u in users.values()} == set(Role.values)
    assert users["admin"].is_staff and users["admin"].is_superuser
    assert not any(u.is_superuser for name, u in users.items() if name != "admin")
    assert users["thue"].agency.kind == Agency.Kind.TAX
    assert users["xahoalac"].agency.kind == Agency.Kind.COMMUNE and users["xahoalac"].agency.code == "UBND-HOALAC"
    assert users["fpt"].enterprise.name == "Công ty Cổ phần FPT"
    assert "Hanwha" in users["hanwha"].enterprise.name
    assert users["fpt"].enterprise.zone.code == users["hanwha"].enterprise.zone.code == HHTP
    assert [a[0] for a in demo_accounts()] == [a[0] for a in accounts]


@pytest.mark.parametrize("username", ["admin", "bql", "lanhdao", "thue", "xahoalac", "fpt", "hanwha"])
def test_demo_accounts_log_in_in_demo_mode(demo, db, client, settings, username):
    settings.DEMO_MODE = True
    assert client.login(username=username, password=DEMO_PASSWORD)


def test_demo_accounts_cannot_log_in_outside_demo_mode(demo, db, client, settings):
    settings.DEMO_MODE = False
    for username in ("admin", "bql", "fpt"):
        assert not client.login(username=username, password=DEMO_PASSWORD)
    assert demo_accounts() == []


def test_enterprise_sees_only_its_own_reports(demo, db, client, settings):
    settings.DEMO_MODE = True
    assert client.login(username="fpt", password=DEMO_PASSWORD)
    fpt = User.objects.get(username="fpt").enterprise
    body = client.get("/api/v1/reports?page=1").json()
    own = PeriodicReport.objects.filter(project__enterprise=fpt, is_current=True).count()
    assert body["count"] == own > 0
    codes = set(Project.objects.filter(enterprise=fpt).values_list("code", flat=True))
    assert {r["project"] for r in body["items"]} <= codes
