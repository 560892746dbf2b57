"""Every read of the investment registry that is more than a lookup.

The dashboard, the public home, the API and the board's reports all take their figures from
`zone_figures`, so a number is the same wherever it is shown. Its results are cached under the
generation `FIGURES_GENERATION`, which every write of the registry that can change a figure
bumps (`core.generations`): a cached figure is never served after such a write commits, on any
app server.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from zonedesk.core.calendar import next_working_day
from zonedesk.core.generations import cached
from zonedesk.core.inputs import zone_by_code
from zonedesk.core.models import Zone
from zonedesk.core.rules import rule_value
from zonedesk.core.text import fold
from zonedesk.investment.models import (
    Amendment,
    PeriodicReport,
    PeriodKind,
    Project,
    ProjectStatus,
    ScheduleMilestone,
    StatusChange,
    period_end,
    period_label,
)

SUMMED_FIGURES = ("revenue_vnd", "export_vnd", "import_vnd", "rnd_spend_vnd", "taxes_paid_vnd")

# Bumped by the services that register, amend, change the status of a project or file or correct
# a report, and by a change of a zone's land (the admin).
FIGURES_GENERATION = "investment.figures"


def figures_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The day the figures of a year are as of: its last day, or today for the current year."""
    return _as_of(year, today)


def _as_of(year: int, today: dt.date | None) -> dt.date:
    today = today or timezone.localdate()
    return min(dt.date(year, 12, 31), today)


def projects_in_force(*, zone: Zone | None = None, as_of: dt.date) -> QuerySet[Project]:
    """Projects certified on or before `as_of` and not terminated by then."""
    terminated = StatusChange.objects.filter(to_status=ProjectStatus.TERMINATED, effective_date__lte=as_of)
    qs = Project.objects.filter(certificate_date__lte=as_of).exclude(pk__in=terminated.values("project_id"))
    if zone is not None:
        qs = qs.filter(zone=zone)
    return qs


def _latest_report(year: int) -> QuerySet[PeriodicReport]:
    """The report of a project that best describes the end of `year`: the yearly one, else the last quarter."""
    return (
        PeriodicReport.objects.filter(project=OuterRef("pk"), year=year, is_current=True).order_by(
            "-period_kind", "-quarter"
        )  # "year" sorts after "quarter"
    )


def zone_figures(*, zone: Zone | None, year: int, today: dt.date | None = None) -> dict[str, Any]:
    """Headline figures of a zone (or of all zones when `zone` is None) for a year (`_zone_figures`),
    from the cache while no write has changed the registry since they were computed. The key holds
    the day they are as of, so the current year's figures move on at midnight; the timeout
    (`FIGURES_CACHE_SECONDS`) only bounds writes made around the services (a bulk load)."""
    key = f"figures:{zone.pk if zone is not None else '*'}:{year}:{figures_as_of(year, today).isoformat()}"
    return cached(FIGURES_GENERATION, key, lambda: (_zone_figures(zone=zone, year=year, today=today), None))


def _zone_figures(*, zone: Zone | None, year: int, today: dt.date | None = None) -> dict[str, Any]:
    """Headline figures of a zone (or of all zones when `zone` is None) for a year.

    Counts, capital and land are as of the end of the year (or today, for the current year).
    Flows (revenue, export, ...) are the year's yearly reports, or the sum of its quarterly
    reports for a project that has not filed the yearly one, over every project active at
    some time in the year (one terminated in June still counts for its first half). Workers
    are the latest reported within the year; disbursed capital, being cumulative, is the
    latest reported up to the year. The land registration rate counts only zones whose land
    for projects is known.
    """
    as_of = _as_of(year, today)
    projects = projects_in_force(zone=zone, as_of=as_of)
    counts = projects.aggregate(
        total=Count("pk"),
        foreign=Count("pk", filter=Q(is_foreign_invested=True)),
        initial=Coalesce(Sum("initial_capital_vnd"), 0),
        land=Coalesce(Sum("land_area_m2", filter=Q(zone__leasable_area_ha__gt=0)), Decimal(0)),
    )
    amended = Amendment.objects.filter(project__in=projects, date__lte=as_of).aggregate(
        s=Coalesce(Sum("capital_change_vnd"), 0)
    )["s"]
    registered = int(counts["initial"]) + int(amended)

    latest = _latest_report(year)
    stock = projects.annotate(
        w=Subquery(latest.values("workers_total")[:1], output_field=IntegerField()),
        wd=Subquery(latest.values("workers_degree")[:1], output_field=IntegerField()),
    ).aggregate(workers=Coalesce(Sum("w"), 0), workers_degree=Coalesce(Sum("wd"), 0))
    disbursed_sub = (
        PeriodicReport.objects.filter(project=OuterRef("pk"), is_current=True, year__lte=year)
        .order_by("-year", "-period_kind", "-quarter")
        .values("capital_disbursed_cum_vnd")[:1]
    )
    disbursed = projects.annotate(d=Subquery(disbursed_sub)).aggregate(s=Coalesce(Sum("d"), 0))["s"]

    active_in_year = Project.objects.filter(certificate_date__lte=as_of).exclude(
        pk__in=StatusChange.objects.filter(
            to_status=ProjectStatus.TERMINATED, effective_date__lt=dt.date(year, 1, 1)
        ).values("project_id")
    )
    if zone is not None:
        active_in_year = active_in_year.filter(zone=zone)
    current = PeriodicReport.objects.filter(is_current=True, year=year, project__in=active_in_year)
    yearly = current.filter(period_kind=PeriodKind.YEAR)
    quarterly = current.filter(period_kind=PeriodKind.QUARTER).exclude(project__in=yearly.values("project_id"))
    sums = {f: 0 for f in SUMMED_FIGURES}
    for qs in (yearly, quarterly):
        part = qs.aggregate(**{f: Coalesce(Sum(f), 0) for f in SUMMED_FIGURES})
        for f in SUMMED_FIGURES:
            sums[f] += int(part[f])

    zones = [zone] if zone is not None else list(Zone.objects.filter(leasable_area_ha__gt=0))
    leasable_ha = sum((z.leasable_area_ha or Decimal(0)) for z in zones)
    land_m2 = Decimal(counts["land"])
    return {
        "zone": zone.code if zone is not None else None,
        "year": year,
        "as_of": as_of.isoformat(),
        "projects": {
            "total": counts["total"],
            "domestic": counts["total"] - counts["foreign"],
            "foreign": counts["foreign"],
        },
        "registered_capital_vnd": registered,
        "disbursed_capital_vnd": int(disbursed),
        "disbursement_rate": round(int(disbursed) / registered, 4) if registered else None,
        "workers": int(stock["workers"]),
        "workers_degree": int(stock["workers_degree"]),
        **sums,
        "land_area_m2": float(land_m2),
        "leasable_area_m2": float(leasable_ha * 10_000),
        "land_registration_rate": round(float(land_m2 / (leasable_ha * 10_000)), 4) if leasable_ha else None,
    }


def capital_by_year(*, zone: Zone | None = None, until: int) -> list[dict[str, Any]]:
    """Projects and capital first registered in each year (capital at first registration)."""
    qs = Project.objects.filter(certificate_date__year__lte=until)
    if zone is not None:
        qs = qs.filter(zone=zone)
    rows = (
        qs.annotate(y=ExtractYear("certificate_date"))
        .values("y")
        .annotate(
            projects=Count("pk"),
            capital_vnd=Sum("initial_capital_vnd"),
            foreign_capital_vnd=Coalesce(Sum("initial_capital_vnd", filter=Q(is_foreign_invested=True)), 0),
        )
        .order_by("y")
    )
    return [
        {
            "year": r["y"],
            "projects": r["projects"],
            "capital_vnd": int(r["capital_vnd"]),
            "foreign_capital_vnd": int(r["foreign_capital_vnd"]),
        }
        for r in rows
    ]


def investment_attraction(*, zone: Zone | None, year: int, today: dt.date | None = None) -> dict[str, int]:
    """Investment attracted in a year (up to today for the current year), for the board's report:
    projects newly registered (with the capital at registration, the same as `capital_by_year`),
    amendments of certificates (capital added and taken away) and projects terminated (with the
    registered capital they held)."""
    start, as_of = dt.date(year, 1, 1), _as_of(year, today)
    new = Project.objects.filter(certificate_date__range=(start, as_of))
    amendments = Amendment.objects.filter(date__range=(start, as_of))
    terminations = StatusChange.objects.filter(to_status=ProjectStatus.TERMINATED, effective_date__range=(start, as_of))
    if zone is not None:
        new = new.filter(zone=zone)
        amendments = amendments.filter(project__zone=zone)
        terminations = terminations.filter(project__zone=zone)
    foreign = Q(is_foreign_invested=True)
    out = new.aggregate(
        new_projects=Count("pk"),
        new_capital_vnd=Coalesce(Sum("initial_capital_vnd"), 0),
        new_foreign_projects=Count("pk", filter=foreign),
        new_foreign_capital_vnd=Coalesce(Sum("initial_capital_vnd", filter=foreign), 0),
    )
    out |= amendments.aggregate(
        amendments=Count("pk"),
        amended_projects=Count("project", distinct=True),
        capital_added_vnd=Coalesce(Sum("capital_change_vnd", filter=Q(capital_change_vnd__gt=0)), 0),
        capital_removed_vnd=Coalesce(Sum("capital_change_vnd", filter=Q(capital_change_vnd__lt=0)), 0),
    )
    out |= terminations.aggregate(
        terminated_projects=Count("project", distinct=True),
        terminated_capital_vnd=Coalesce(Sum("project__registered_capital_vnd"), 0),
    )
    out = {key: int(value) for key, value in out.items()}
    out["capital_removed_vnd"] = -out["capital_removed_vnd"]
    out["net_capital_vnd"] = (
        out["new_capital_vnd"] + out["capital_added_vnd"] - out["capital_removed_vnd"] - out["terminated_capital_vnd"]
    )
    return out


def sector_mix(*, zone: Zone | None = None, year: int, today: dt.date | None = None) -> list[dict[str, Any]]:
    from zonedesk.investment.models import Sector

    as_of = _as_of(year, today)
    projects = projects_in_force(zone=zone, as_of=as_of)
    amended = Subquery(
        Amendment.objects.filter(project=OuterRef("pk"), date__lte=as_of)
        .order_by()
        .values("project")
        .annotate(s=Sum("capital_change_vnd"))
        .values("s")[:1]
    )
    capital = projects.annotate(c=F("initial_capital_vnd") + Coalesce(amended, 0))
    by_sector = {r["sector"]: int(r["s"] or 0) for r in capital.values("sector").annotate(s=Sum("c")).order_by()}
    rows = projects.values("sector").annotate(projects=Count("pk")).order_by()
    rows = [r | {"capital_vnd": by_sector.get(r["sector"], 0)} for r in rows]
    return sorted(
        (
            {
                "sector": r["sector"],
                "label": str(Sector(r["sector"]).label),
                "projects": r["projects"],
                "capital_vnd": int(r["capital_vnd"] or 0),
            }
            for r in rows
        ),
        key=lambda r: (-r["projects"], r["sector"]),
    )


# --- lists and search ---------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectFilters:
    q: str = ""
    zone: str = ""
    sector: str = ""
    status: str = ""
    ownership: str = ""  # "domestic" or "foreign"

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> ProjectFilters:
        return cls(**{f: str(data.get(f) or "").strip() for f in cls.__dataclass_fields__})


def project_list(*, user: Any, filters: ProjectFilters) -> QuerySet[Project]:
    """The projects a person may see, filtered and searched, in a stable order."""
    qs = Project.objects.restrict(user, "view").select_related("zone", "enterprise")
    if filters.q:
        for word in fold(filters.q).split():
            qs = qs.filter(search_text__contains=word)
    if filters.zone:
        # by id, not through a join: the planner then knows the zone (its size) and walks the
        # zone's index in the list's order instead of reading the whole zone
        zone_id = getattr(zone_by_code(filters.zone), "pk", None)  # its code in any case
        qs = qs.filter(zone_id=zone_id) if zone_id is not None else qs.none()
    if filters.sector:
        qs = qs.filter(sector=filters.sector)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.ownership == "foreign":
        qs = qs.filter(is_foreign_invested=True)
    elif filters.ownership == "domestic":
        qs = qs.filter(is_foreign_invested=False)
    return qs.order_by("code", "pk")


# --- schedule and targets -----------------------------------------------------------------


def projects_behind_schedule(*, zone: Zone | None = None, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Active projects with a schedule milestone overdue, the most overdue first."""
    today = today or timezone.localdate()
    grace = int(rule_value("schedule.behind.grace_days", on=today))
    serious = int(rule_value("schedule.behind.serious_days", on=today))
    cutoff = today - dt.timedelta(days=grace)
    qs = ScheduleMilestone.objects.filter(actual_date__isnull=True, planned_date__lt=cutoff).exclude(
        project__status=ProjectStatus.TERMINATED
    )
    if zone is not None:
        qs = qs.filter(project__zone=zone)
    worst: dict[int, dict[str, Any]] = {}
    for m in qs.select_related("project", "project__zone", "project__enterprise").order_by("planned_date", "pk"):
        if m.project_id in worst:
            worst[m.project_id]["overdue_milestones"] += 1
            continue
        days = (today - m.planned_date).days
        worst[m.project_id] = {
            "project": m.project,
            "milestone": m,
            "days_overdue": days,
            "serious": days >= serious,
            "overdue_milestones": 1,
        }
    return sorted(worst.values(), key=lambda r: (-r["days_overdue"], r["project"].code))


def results_vs_targets(*, projects: QuerySet[Project], year: int) -> list[dict[str, Any]]:
    """Each project's reported results of a year against its targets."""
    latest = _latest_report(year)
    revenue_yearly = PeriodicReport.objects.filter(
        project=OuterRef("pk"), year=year, is_current=True, period_kind=PeriodKind.YEAR
    ).values("revenue_vnd")[:1]
    export_yearly = PeriodicReport.objects.filter(
        project=OuterRef("pk"), year=year, is_current=True, period_kind=PeriodKind.YEAR
    ).values("export_vnd")[:1]
    quarter_sums = (
        PeriodicReport.objects.filter(
            project=OuterRef("pk"), year=year, is_current=True, period_kind=PeriodKind.QUARTER
        )
        .order_by()
        .values("project")
    )
    rows = (
        projects.filter(
            Q(target_workers__isnull=False) | Q(target_revenue_vnd__isnull=False) | Q(target_export_vnd__isnull=False)
        )
        .filter(certificate_date__lte=dt.date(year, 12, 31))
        .select_related("zone", "enterprise")
        .annotate(
            actual_workers=Subquery(latest.values("workers_total")[:1], output_field=IntegerField()),
            revenue_y=Subquery(revenue_yearly),
            export_y=Subquery(export_yearly),
            revenue_q=Subquery(quarter_sums.annotate(s=Sum("revenue_vnd")).values("s")[:1]),
            export_q=Subquery(quarter_sums.annotate(s=Sum("export_vnd")).values("s")[:1]),
        )
        .order_by("code")
    )
    result = []
    for p in rows:
        revenue = p.revenue_y if p.revenue_y is not None else p.revenue_q
        export = p.export_y if p.export_y is not None else p.export_q
        result.append(
            {
                "project": p,
                "workers": _vs(p.actual_workers, p.target_workers),
                "revenue_vnd": _vs(revenue, p.target_revenue_vnd),
                "export_vnd": _vs(export, p.target_export_vnd),
            }
        )
    return result


def _vs(actual: int | None, target: int | None) -> dict[str, Any]:
    actual = int(actual) if actual is not None else None
    rate = round(actual / target, 4) if actual is not None and target else None
    return {"actual": actual, "target": target, "rate": rate}


def project_yearly_series(*, project: Project, years: range) -> list[dict[str, Any]]:
    """Targets and results of one project, year by year, for its chart."""
    reports = list(project.reports.filter(is_current=True, year__in=list(years)))
    series = []
    for y in years:
        yearly = [r for r in reports if r.year == y and r.period_kind == PeriodKind.YEAR]
        quarters = sorted(
            (r for r in reports if r.year == y and r.period_kind == PeriodKind.QUARTER), key=lambda r: r.quarter
        )
        revenue = yearly[0].revenue_vnd if yearly else (sum(r.revenue_vnd for r in quarters) if quarters else None)
        last = yearly[0] if yearly else (quarters[-1] if quarters else None)
        series.append(
            {
                "year": y,
                "revenue_vnd": revenue,
                "workers": last.workers_total if last else None,
                "target_revenue_vnd": project.target_revenue_vnd,
                "target_workers": project.target_workers,
            }
        )
    return series


# --- report obligations -------------------------------------------------------------------


def report_due_date(period_kind: str, year: int, quarter: int) -> dt.date:
    """When a report is due, by the rules in force when its period ends."""
    end = period_end(period_kind, year, quarter)
    if period_kind == PeriodKind.YEAR:
        due = dt.date(
            year + 1,
            int(rule_value("report.yearly.due_month", on=end)),
            int(rule_value("report.yearly.due_day", on=end)),
        )
    else:
        first_day_next = end + dt.timedelta(days=1)
        due = first_day_next.replace(day=int(rule_value("report.quarterly.due_day", on=end)))
    if rule_value("report.due.roll_to_working_day", on=end):
        due = next_working_day(due)
    return due


def days_late(due_date: dt.date, on: dt.date) -> int:
    """Calendar days from a report's due date (already moved to a working day by the rules) to
    `on`: 0 when on time."""
    return max((on - due_date).days, 0)


@dataclass(frozen=True)
class Obligation:
    project: Project
    period_kind: str
    year: int
    quarter: int
    due_date: dt.date
    report: PeriodicReport | None
    today: dt.date
    filed_on: dt.date | None = None  # the day the report was first filed (a correction does not move it)

    @property
    def label(self) -> str:
        return period_label(self.period_kind, self.year, self.quarter)

    @property
    def filed_late(self) -> bool:
        return self.report is not None and self.days_late > 0

    @property
    def days_late(self) -> int:
        """Filed: how late it was filed; not filed: how late it is today."""
        if self.report is not None:
            return days_late(self.due_date, self.filed_on or timezone.localdate(self.report.submitted_at))
        return days_late(self.due_date, self.today)

    @property
    def state(self) -> str:
        if self.report is not None:
            return "filed"
        return "late" if self.due_date < self.today else "due"


def _periods_between(start: dt.date, today: dt.date) -> list[tuple[str, int, int]]:
    periods = []
    for y in range(start.year, today.year + 1):
        for q in (1, 2, 3, 4):
            if period_end(PeriodKind.QUARTER, y, q) < today and period_end(PeriodKind.QUARTER, y, q) >= start:
                periods.append((PeriodKind.QUARTER, y, q))
        if dt.date(y, 12, 31) < today and dt.date(y, 12, 31) >= start:
            periods.append((PeriodKind.YEAR, y, 0))
    return periods


def report_obligations(
    *, projects: QuerySet[Project], today: dt.date | None = None, since: dt.date | None = None
) -> list[Obligation]:
    """Reports owed by active projects for ended periods since `since` (default: a year back)."""
    today = today or timezone.localdate()
    since = since or dt.date(today.year - 1, 1, 1)
    projects = list(
        projects.exclude(status__in=[ProjectStatus.TERMINATED]).select_related("zone", "enterprise").order_by("code")
    )
    filed = {
        (r.project_id, r.period_kind, r.year, r.quarter): r
        for r in PeriodicReport.objects.filter(
            project__in=[p.pk for p in projects], is_current=True, year__gte=since.year
        )
    }
    first_filed = _first_filed(project_ids=[p.pk for p in projects], since_year=since.year)
    due_dates: dict[tuple[str, int, int], dt.date] = {}
    result = []
    for p in projects:
        for kind, y, q in _periods_between(max(since, p.certificate_date), today):
            if (kind, y, q) not in due_dates:
                due_dates[(kind, y, q)] = report_due_date(kind, y, q)
            key = (p.pk, kind, y, q)
            result.append(
                Obligation(p, kind, y, q, due_dates[(kind, y, q)], filed.get(key), today, first_filed.get(key))
            )
    return result


def _first_filed(*, project_ids: list[int], since_year: int) -> dict[tuple[int, str, int, int], dt.date]:
    """The day each period's report was first filed (its first version), by project and period."""
    rows = (
        PeriodicReport.objects.filter(project_id__in=project_ids, year__gte=since_year)
        .order_by()
        .values_list("project_id", "period_kind", "year", "quarter")
        .annotate(first=Min("submitted_at"))
    )
    return {(pid, kind, y, q): timezone.localdate(first) for pid, kind, y, q, first in rows}


def report_timeliness(reports: list[PeriodicReport]) -> list[PeriodicReport]:
    """Sets on each report its period's `due_date`, `first_filed_on` (the first version's day: a
    correction does not make a report late) and `days_late` (0: filed on time)."""
    if not reports:
        return reports
    first_filed = _first_filed(
        project_ids=sorted({r.project_id for r in reports}), since_year=min(r.year for r in reports)
    )
    due_dates: dict[tuple[str, int, int], dt.date] = {}
    for r in reports:
        period = (r.period_kind, r.year, r.quarter)
        if period not in due_dates:
            due_dates[period] = report_due_date(*period)
        r.due_date = due_dates[period]
        r.first_filed_on = first_filed.get((r.project_id, *period), timezone.localdate(r.submitted_at))
        r.days_late = days_late(r.due_date, r.first_filed_on)
    return reports


def previous_report(*, project: Project, period_kind: str, year: int, quarter: int) -> PeriodicReport | None:
    """The project's latest report (current version) of the same kind before the period: the
    figures a new report's form starts from."""
    earlier = (
        Q(year__lt=year) | Q(year=year, quarter__lt=quarter) if period_kind == PeriodKind.QUARTER else Q(year__lt=year)
    )
    return (
        PeriodicReport.objects.filter(project=project, period_kind=period_kind, is_current=True)
        .filter(earlier)
        .order_by("-year", "-quarter")
        .first()
    )


def late_reports(*, zone: Zone | None = None, today: dt.date | None = None) -> list[Obligation]:
    today = today or timezone.localdate()
    projects = Project.objects.all() if zone is None else Project.objects.filter(zone=zone)
    return [o for o in report_obligations(projects=projects, today=today) if o.report is None and o.due_date < today]


def default_year(*, today: dt.date | None = None) -> int:
    """The year the figures pages open on, as a board reads them: the current year, its figures
    to date, as soon as a report of it is in (from the first quarter's reports, in April);
    before that the latest year with reports; last year when there is none."""
    today = today or timezone.localdate()
    years = PeriodicReport.objects.filter(is_current=True, year__lte=today.year)
    latest = years.order_by("-year").values_list("year", flat=True).first()
    return latest or today.year - 1


def zone_overview(*, year: int) -> list[dict[str, Any]]:
    return [{"zone": z, "figures": zone_figures(zone=z, year=year)} for z in Zone.objects.all()]
