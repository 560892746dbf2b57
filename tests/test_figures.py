"""The figures the board sums up: counts, capital, workers, revenue, land, behind schedule, late reports."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TODAY
from zonedesk.core.models import Rule
from zonedesk.investment import selectors, services
from zonedesk.investment.models import ScheduleMilestone

pytestmark = pytest.mark.django_db


def _report(project, kind, year, quarter=0, **figures):
    return services.report_submit(
        project=project, period_kind=kind, year=year, quarter=quarter, figures=figures, today=TODAY
    )


def test_zone_figures_sum_reports_and_separate_domestic_from_foreign(zone, make_project):
    a = make_project(zone=zone, capital=300, land_area_m2=100_000)
    b = make_project(zone=zone, capital=700, foreign=True, land_area_m2=300_000)
    make_project(zone=zone, capital=1_000, certificate_date=dt.date(2024, 2, 1))  # not yet registered in 2023
    _report(a, "year", 2023, revenue_vnd=10, workers_total=5, capital_disbursed_cum_vnd=100)
    # b filed quarters only: its revenue is their sum and its workers the last quarter's
    _report(b, "quarter", 2023, 1, revenue_vnd=1, workers_total=7)
    _report(b, "quarter", 2023, 4, revenue_vnd=2, workers_total=9, capital_disbursed_cum_vnd=200)
    f = selectors.zone_figures(zone=zone, year=2023, today=TODAY)
    assert f["projects"] == {"total": 2, "domestic": 1, "foreign": 1}
    assert f["registered_capital_vnd"] == 1_000
    assert f["revenue_vnd"] == 13
    assert f["workers"] == 14
    assert f["disbursed_capital_vnd"] == 300
    assert f["disbursement_rate"] == 0.3
    assert f["land_registration_rate"] == 0.4  # 40 ha of 100 ha for projects


def test_all_zone_figures_add_up_the_zones(zone, other_zone, make_project):
    make_project(zone=zone, capital=100)
    make_project(zone=other_zone, capital=50, foreign=True)
    total = selectors.zone_figures(zone=None, year=2025, today=TODAY)
    assert total["projects"]["total"] == 2
    assert total["registered_capital_vnd"] == 150


def test_terminated_projects_leave_the_figures_from_their_termination(zone, make_project, board_user):
    p = make_project(zone=zone, capital=100)
    services.project_change_status(
        project=p, to_status="terminated", reason="Thu hồi", by=board_user, effective_date=dt.date(2025, 3, 1)
    )
    assert selectors.zone_figures(zone=zone, year=2024, today=TODAY)["projects"]["total"] == 1
    assert selectors.zone_figures(zone=zone, year=2025, today=TODAY)["projects"]["total"] == 0


def test_behind_schedule_lists_overdue_milestones_by_delay(zone, make_project):
    late = make_project(zone=zone, milestones=[{"kind": "construction", "planned_date": dt.date(2025, 1, 1)}])
    on_time = make_project(
        zone=zone,
        milestones=[{"kind": "construction", "planned_date": dt.date(2025, 1, 1), "actual_date": dt.date(2024, 12, 1)}],
    )
    future = make_project(zone=zone, milestones=[{"kind": "operation", "planned_date": dt.date(2027, 1, 1)}])
    rows = selectors.projects_behind_schedule(zone=zone, today=TODAY)
    assert [r["project"] for r in rows] == [late]
    assert rows[0]["days_overdue"] == (TODAY - dt.date(2025, 1, 1)).days
    assert on_time.pk and future.pk


def test_behind_schedule_grace_is_a_rule_the_board_can_change(zone, make_project):
    make_project(zone=zone, milestones=[{"kind": "construction", "planned_date": TODAY - dt.timedelta(days=20)}])
    assert len(selectors.projects_behind_schedule(zone=zone, today=TODAY)) == 1
    Rule.objects.create(key="schedule.behind.grace_days", value=30, effective_from=dt.date(2026, 3, 1))
    assert selectors.projects_behind_schedule(zone=zone, today=TODAY) == []
    ScheduleMilestone.objects.update(planned_date=TODAY - dt.timedelta(days=31))
    assert len(selectors.projects_behind_schedule(zone=zone, today=TODAY)) == 1


def test_report_due_dates_follow_the_rules_and_the_calendar():
    # Q1/2026 is due on the 10th of April 2026, a Friday.
    assert selectors.report_due_date("quarter", 2026, 1) == dt.date(2026, 4, 10)
    # Q2/2026: 10 July 2026 is a Friday.
    assert selectors.report_due_date("quarter", 2026, 2) == dt.date(2026, 7, 10)
    # Yearly 2025 is due 31 March 2026 (a Tuesday).
    assert selectors.report_due_date("year", 2025, 0) == dt.date(2026, 3, 31)
    # Q3/2027: 10 Oct 2027 is a Sunday, so the report is due on Monday 11 Oct.
    assert selectors.report_due_date("quarter", 2027, 3) == dt.date(2027, 10, 11)


def test_changed_deadline_rule_applies_from_its_effective_date():
    Rule.objects.create(key="report.quarterly.due_day", value=20, effective_from=dt.date(2026, 7, 1))
    assert selectors.report_due_date("quarter", 2026, 1) == dt.date(2026, 4, 10)  # ended before the change
    assert selectors.report_due_date("quarter", 2026, 3) == dt.date(2026, 10, 20)


def test_obligations_show_what_an_enterprise_owes(project):
    _report(project, "quarter", 2026, 1, revenue_vnd=1)
    obligations = {
        (o.period_kind, o.year, o.quarter): o
        for o in selectors.report_obligations(projects=project.zone.projects.all(), today=TODAY)
    }
    assert obligations[("quarter", 2026, 1)].state == "filed"
    assert obligations[("quarter", 2026, 2)].state == "late"
    assert ("quarter", 2026, 4) not in obligations  # not over yet
    late = selectors.late_reports(zone=project.zone, today=TODAY)
    assert {(o.period_kind, o.year, o.quarter) for o in late} >= {
        ("quarter", 2026, 2),
        ("quarter", 2026, 3),
        ("year", 2025, 0),
    }
    assert ("quarter", 2026, 1) not in {(o.period_kind, o.year, o.quarter) for o in late}


def test_a_report_not_yet_due_is_due_not_late(project):
    # Q3/2026 is due on 12 October 2026 (10 October is a Saturday); on 5 October it is only due.
    obligations = selectors.report_obligations(projects=project.zone.projects.all(), today=dt.date(2026, 10, 5))
    q3 = next(o for o in obligations if (o.period_kind, o.year, o.quarter) == ("quarter", 2026, 3))
    assert q3.due_date == dt.date(2026, 10, 12)
    assert q3.state == "due"


def test_results_against_targets(zone, make_project):
    p = make_project(zone=zone, target_workers=200, target_revenue_vnd=1_000)
    _report(p, "year", 2025, revenue_vnd=500, workers_total=150)
    row = selectors.results_vs_targets(projects=zone.projects.all(), year=2025)[0]
    assert row["workers"] == {"actual": 150, "target": 200, "rate": 0.75}
    assert row["revenue_vnd"]["rate"] == 0.5


def test_a_project_terminated_mid_year_still_counts_for_that_years_flows(zone, make_project, board_user):
    p = make_project(zone=zone, capital=100)
    _report(p, "quarter", 2025, 1, revenue_vnd=40)
    services.project_change_status(
        project=p, to_status="terminated", reason="Thu hồi", by=board_user, effective_date=dt.date(2025, 6, 18)
    )
    f = selectors.zone_figures(zone=zone, year=2025, today=TODAY)
    assert f["projects"]["total"] == 0  # no longer in force at the end of 2025
    assert f["revenue_vnd"] == 40  # but its first-quarter revenue happened in 2025
    assert selectors.zone_figures(zone=zone, year=2026, today=TODAY)["revenue_vnd"] == 0


def test_sector_capital_is_as_of_the_year_like_the_headline(zone, make_project, board_user):
    p = make_project(zone=zone, capital=100, sector="biotech")
    services.project_amend(
        project=p, date=dt.date(2025, 1, 1), summary="Tăng vốn", capital_change_vnd=50, by=board_user
    )
    mix = {r["sector"]: r for r in selectors.sector_mix(zone=zone, year=2024, today=TODAY)}
    assert (
        mix["biotech"]["capital_vnd"]
        == 100
        == selectors.zone_figures(zone=zone, year=2024, today=TODAY)["registered_capital_vnd"]
    )
    assert {r["sector"]: r for r in selectors.sector_mix(zone=zone, year=2025, today=TODAY)}["biotech"][
        "capital_vnd"
    ] == 150


def test_land_rate_leaves_out_zones_whose_land_for_projects_is_unknown(zone, other_zone, make_project):
    other_zone.leasable_area_ha = None
    other_zone.save()
    make_project(zone=zone, land_area_m2=200_000)
    make_project(zone=other_zone, land_area_m2=900_000)
    assert selectors.zone_figures(zone=None, year=2025, today=TODAY)["land_registration_rate"] == 0.2
