"""The registry's writes: what a board officer or an enterprise would notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from tests.conftest import TODAY, make_tax_code
from zonedesk.core.errors import ServiceError
from zonedesk.investment import selectors, services
from zonedesk.investment.models import PeriodicReport, Project, ProjectStatus, StatusChange

pytestmark = pytest.mark.django_db


def _errors(exc_info) -> dict:
    return exc_info.value.message_dict


def test_tax_code_is_checked_with_its_check_digit(zone):
    good = make_tax_code()
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ServiceError) as exc:
        services.enterprise_create(name="Công ty A", tax_code=bad, zone=zone)
    assert "tax_code" in _errors(exc)
    enterprise = services.enterprise_create(name="Công ty A", tax_code=good, zone=zone)
    assert enterprise.tax_code == good
    with pytest.raises(ServiceError) as exc:
        services.enterprise_create(name="Công ty B", tax_code=good, zone=zone)
    assert "tax_code" in _errors(exc)


@pytest.mark.parametrize(
    "capital, message_field",
    [
        (-5, "registered_capital_vnd"),
        (1.5, "registered_capital_vnd"),
        ("12,5e3", "registered_capital_vnd"),
        (0, "registered_capital_vnd"),
    ],
)
def test_bad_capital_is_refused_and_nothing_is_written(zone, make_project, capital, message_field):
    with pytest.raises(ServiceError) as exc:
        make_project(zone=zone, capital=capital)
    assert message_field in _errors(exc)
    assert Project.objects.count() == 0


def test_capital_as_digit_string_is_accepted(zone, make_project):
    project = make_project(zone=zone, capital="250.000.000.000")
    assert project.registered_capital_vnd == 250_000_000_000
    assert isinstance(project.registered_capital_vnd, int)


def test_foreign_invested_project_needs_usd_and_is_flagged(zone):
    investor = services.investor_create(name="Hanwha Aero Engines", nationality="KR")
    enterprise = services.enterprise_create(name="Hanwha Việt Nam", tax_code=make_tax_code(), zone=zone)
    common = dict(
        code="HW1",
        name_vi="Sản xuất linh kiện động cơ",
        enterprise=enterprise,
        sector="aerospace",
        shares=[(investor, 1_000)],
        registered_capital_vnd=4_600_000_000_000,
        certificate_date=dt.date(2019, 1, 1),
        today=TODAY,
    )
    with pytest.raises(ServiceError) as exc:
        services.project_register(**common)
    assert "registered_capital_usd" in _errors(exc)
    project = services.project_register(**common, registered_capital_usd=200_000_000)
    assert project.is_foreign_invested


def test_shares_cannot_exceed_registered_capital(zone):
    investor = services.investor_create(name="Viettel", tax_code=make_tax_code())
    enterprise = services.enterprise_create(name="Viettel", tax_code=make_tax_code(), zone=zone)
    with pytest.raises(ServiceError) as exc:
        services.project_register(
            code="VT1",
            name_vi="Trung tâm",
            enterprise=enterprise,
            sector="research",
            shares=[(investor, 2_000)],
            registered_capital_vnd=1_000,
            certificate_date=dt.date(2019, 1, 1),
            today=TODAY,
        )
    assert "shares" in _errors(exc)


def test_lifecycle_accepts_valid_transitions_and_records_them(project, board_user):
    services.project_change_status(
        project=project,
        to_status="land_handed_over",
        reason="Bàn giao đất",
        by=board_user,
        effective_date=dt.date(2021, 1, 1),
    )
    services.project_change_status(
        project=project,
        to_status="under_construction",
        reason="Khởi công",
        by=board_user,
        effective_date=dt.date(2021, 6, 1),
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_CONSTRUCTION
    history = list(StatusChange.objects.filter(project=project).values_list("from_status", "to_status", "changed_by"))
    assert history[1:] == [
        ("registered", "land_handed_over", board_user.pk),
        ("land_handed_over", "under_construction", board_user.pk),
    ]


@pytest.mark.parametrize("to_status", ["operating", "registered", "nonsense"])
def test_invalid_transition_is_refused(project, board_user, to_status):
    with pytest.raises(ServiceError) as exc:
        services.project_change_status(project=project, to_status=to_status, reason="x", by=board_user)
    assert "to_status" in _errors(exc)
    project.refresh_from_db()
    assert project.status == ProjectStatus.REGISTERED


def test_status_change_needs_a_reason(project, board_user):
    with pytest.raises(ServiceError) as exc:
        services.project_change_status(project=project, to_status="suspended", reason="  ", by=board_user)
    assert "reason" in _errors(exc)


def test_terminated_is_final(project, board_user):
    services.project_change_status(project=project, to_status="terminated", reason="Thu hồi", by=board_user)
    with pytest.raises(ServiceError):
        services.project_change_status(project=project, to_status="operating", reason="x", by=board_user)


def _file(project, user, **kw):
    args = dict(
        project=project,
        period_kind="quarter",
        year=2026,
        quarter=2,
        figures={"revenue_vnd": 1_000_000, "workers_total": 50, "workers_degree": 20},
        by=user,
        today=TODAY,
    )
    args.update(kw)
    return services.report_submit(**args)


def test_report_for_a_future_or_unfinished_period_is_refused(project, enterprise_user):
    with pytest.raises(ServiceError) as exc:
        _file(project, enterprise_user, quarter=4)  # Q4/2026 has not ended on 23 Nov 2026
    assert "quarter" in _errors(exc)
    with pytest.raises(ServiceError) as exc:
        _file(project, enterprise_user, period_kind="year", year=2027, quarter=0)
    assert "year" in _errors(exc)
    assert PeriodicReport.objects.count() == 0


def test_second_report_for_a_period_is_refused_and_correction_keeps_history(project, enterprise_user):
    first = _file(project, enterprise_user)
    with pytest.raises(ServiceError) as exc:
        _file(project, enterprise_user)
    assert "__all__" in _errors(exc)
    corrected = services.report_correct(
        report=first, figures={"revenue_vnd": 2_000_000}, reason="Sai số liệu", by=enterprise_user
    )
    versions = list(PeriodicReport.objects.filter(project=project).order_by("version"))
    assert [(r.version, r.is_current, r.revenue_vnd) for r in versions] == [(1, False, 1_000_000), (2, True, 2_000_000)]
    assert corrected.workers_total == 50  # figures not corrected are carried over
    with pytest.raises(ServiceError) as exc:
        services.report_correct(report=corrected, figures={"revenue_vnd": 3}, reason="", by=enterprise_user)
    assert "correction_reason" in _errors(exc)


@pytest.mark.parametrize(
    "figures, field",
    [
        ({"revenue_vnd": -1}, "revenue_vnd"),
        ({"export_vnd": 10.5}, "export_vnd"),
        ({"workers_total": "many"}, "workers_total"),
        ({"workers_total": 5, "workers_degree": 6}, "workers_degree"),
    ],
)
def test_report_figures_are_validated_by_field(project, enterprise_user, figures, field):
    with pytest.raises(ServiceError) as exc:
        _file(project, enterprise_user, figures=figures)
    assert field in _errors(exc)
    assert PeriodicReport.objects.count() == 0


def test_database_keeps_one_current_report_per_period(project, enterprise_user):
    report = _file(project, enterprise_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodicReport.objects.create(
            project=project,
            period_kind=report.period_kind,
            year=report.year,
            quarter=report.quarter,
            version=2,
            submitted_at=report.submitted_at,
        )


def test_amendment_changes_capital_from_its_date(project, board_user):
    services.project_amend(
        project=project, date=dt.date(2024, 5, 1), summary="Tăng vốn", capital_change_vnd=50_000_000_000, by=board_user
    )
    project.refresh_from_db()
    assert project.registered_capital_vnd == 150_000_000_000
    assert (
        selectors.zone_figures(zone=project.zone, year=2023, today=TODAY)["registered_capital_vnd"] == 100_000_000_000
    )
    assert (
        selectors.zone_figures(zone=project.zone, year=2024, today=TODAY)["registered_capital_vnd"] == 150_000_000_000
    )
    with pytest.raises(ServiceError):
        services.project_amend(project=project, date=dt.date(2024, 6, 1), summary="Giảm", capital_change_vnd=-(10**15))


@pytest.mark.parametrize("text", ["1,5", "1.5", "12.34.567", "1 2", "abc", "1e9"])
def test_decimal_or_malformed_amounts_are_refused_not_read_as_whole(project, enterprise_user, text):
    with pytest.raises(ServiceError) as exc:
        _file(project, enterprise_user, figures={"revenue_vnd": text})
    assert "revenue_vnd" in _errors(exc)


@pytest.mark.parametrize(
    "text, value", [("1.250.000", 1_250_000), ("1,250,000", 1_250_000), ("7 500", 7_500), ("42", 42)]
)
def test_amounts_grouped_by_thousands_are_read(project, enterprise_user, text, value):
    report = _file(project, enterprise_user, figures={"revenue_vnd": text, "workers_total": "1.250"})
    assert report.revenue_vnd == value and report.workers_total == 1_250


def test_absurd_worker_counts_are_refused(project, enterprise_user):
    with pytest.raises(ServiceError) as exc:
        _file(project, enterprise_user, figures={"workers_total": 10**12})
    assert "workers_total" in _errors(exc)
    assert PeriodicReport.objects.count() == 0


def test_no_report_for_a_period_after_termination(project, enterprise_user, board_user):
    services.project_change_status(
        project=project, to_status="terminated", reason="Thu hồi", by=board_user, effective_date=dt.date(2026, 2, 15)
    )
    assert _file(project, enterprise_user, quarter=1).pk  # Q1 began before the termination
    with pytest.raises(ServiceError) as exc:
        _file(project, enterprise_user, quarter=2)
    assert "year" in _errors(exc)


def test_registry_is_read_only_in_the_admin(admin_user, project, client):
    client.force_login(admin_user)
    assert client.get(f"/admin/investment/project/{project.pk}/change/").status_code == 200  # can look
    page = client.post(f"/admin/investment/project/{project.pk}/change/", {"name_vi": "x"})
    assert page.status_code == 403
    project.refresh_from_db()
    assert project.name_vi != "x"
