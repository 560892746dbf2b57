"""Reads of the roadmaps: lists with their progress, timelines, what needs attention, the figures
and history of site clearance, and which enterprises have reviewed their roadmaps.

Every list starts from `Roadmap.objects.restrict(user)`, so nobody sees a milestone, package or
figure of a roadmap they may not open. Statuses are derived on the day asked (`status.py`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Prefetch, QuerySet

from zonedesk.core.models import Zone
from zonedesk.investment.models import Enterprise, ProjectStatus
from zonedesk.roadmaps.models import ClearancePackage, ClearanceProgress, Milestone, Roadmap, RoadmapKind
from zonedesk.roadmaps.status import ATTENTION, Status, expected_progress, roadmap_status, status_of


def visible_roadmaps(*, user: Any, zone: Zone | None = None, kind: str | None = None) -> QuerySet:
    qs = Roadmap.objects.restrict(user).select_related("zone", "owner_agency", "owner_enterprise", "project")
    if zone is not None:
        qs = qs.filter(zone=zone)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _milestones() -> QuerySet:
    return Milestone.objects.select_related("package", "responsible_agency", "responsible_enterprise").prefetch_related(
        "depends_on", "package__parcels"
    )


@dataclass
class Summary:
    milestones: int = 0
    done: int = 0
    progress_pct: int = 0  # mean of the milestones' progress, weighted by their planned days
    statuses: Counter = field(default_factory=Counter)

    @property
    def late(self) -> int:
        return self.statuses[Status.LATE]

    @property
    def at_risk(self) -> int:
        return self.statuses[Status.AT_RISK]

    @property
    def status(self) -> Status:
        """The roadmap's status, in agreement with its progress: late or at risk when a milestone
        is; done when every one is; not started only when none has started (so its progress is 0);
        else on track (some done or under way, the rest not due to start yet)."""
        return roadmap_status(self.statuses, self.milestones)


def summarise(milestones: list[Milestone], today: dt.date) -> Summary:
    s = Summary(milestones=len(milestones))
    weight = total = 0
    for m in milestones:
        m.status = status_of(m, today)
        s.statuses[m.status] += 1
        days = (m.planned_end - m.planned_start).days + 1
        weight += days
        total += days * m.progress_pct
    s.done = s.statuses[Status.DONE]
    s.progress_pct = total // weight if weight else 0
    return s


def roadmap_list(*, user: Any, today: dt.date, zone: Zone | None = None, kind: str | None = None) -> list[Roadmap]:
    """The roadmaps a person may see, each with `.summary` (progress, late and at-risk counts)."""
    roadmaps = list(
        visible_roadmaps(user=user, zone=zone, kind=kind).prefetch_related(
            Prefetch("milestones", queryset=Milestone.objects.order_by("position", "pk"))
        )
    )
    for r in roadmaps:
        r.summary = summarise(list(r.milestones.all()), today)
    return roadmaps


def roadmap_milestones(roadmap: Roadmap, today: dt.date) -> tuple[list[Milestone], Summary]:
    """A roadmap's milestones in order, each with `.status` and `.expected_pct`."""
    milestones = list(_milestones().filter(roadmap=roadmap).order_by("position", "planned_start", "pk"))
    summary = summarise(milestones, today)
    for m in milestones:
        m.expected_pct = expected_progress(m.planned_start, m.planned_end, today)
        m.package_or_none = getattr(m, "package", None)  # the reverse one-to-one raises when absent
        m.dependencies = list(m.depends_on.all())
    return milestones, summary


# --- timelines (Gantt) -----------------------------------------------------------------------


@dataclass
class Bar:
    left: float  # per cent of the timeline's width
    width: float


@dataclass
class Tick:
    left: float
    label: str


MAX_TICKS = 7  # labels on the time axis (they must not run into each other at half a page's width)


def _bar(start: dt.date, end: dt.date, first: dt.date, days: int) -> Bar:
    left = (start - first).days * 100 / days
    width = max(((end - start).days + 1) * 100 / days, 0.4)
    return Bar(round(left, 3), round(min(width, 100 - left), 3))


def timeline(milestones: list[Milestone], today: dt.date) -> dict[str, Any] | None:
    """Where each milestone's planned and actual bars sit on one time axis, with ticks at the
    first of each month (or quarter, or year, as the span asks) and today's line."""
    if not milestones:
        return None
    first = min(min(m.planned_start, m.actual_start or m.planned_start) for m in milestones)
    last = max(
        max(m.planned_end, m.actual_end or (max(today, m.actual_start) if m.actual_start else m.planned_end))
        for m in milestones
    )
    first, last = first.replace(day=1), max(last, first + dt.timedelta(days=27))
    days = (last - first).days + 1
    rows = []
    for m in milestones:
        actual = None
        if m.actual_start:
            actual = _bar(m.actual_start, m.actual_end or min(max(today, m.actual_start), last), first, days)
        rows.append({"milestone": m, "planned": _bar(m.planned_start, m.planned_end, first, days), "actual": actual})
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= MAX_TICKS), 120)
    ticks, month = [], dt.date(first.year, 1 + (first.month - 1) // step * step if step < 12 else 1, 1)
    while month <= last:
        if month >= first:
            label = str(month.year) if step >= 12 else month.strftime("%m/%Y")
            ticks.append(Tick(round((month - first).days * 100 / days, 3), label))
        y, mo = divmod(month.month - 1 + step, 12)
        month = dt.date(month.year + y, mo + 1, 1)
    on_axis = first <= today <= last
    return {
        "rows": rows,
        "ticks": ticks,
        "first": first,
        "last": last,
        "today": round((today - first).days * 100 / days, 3) if on_axis else None,
    }


def zone_timeline(*, user: Any, zone: Zone, today: dt.date) -> list[dict[str, Any]]:
    """Every visible roadmap of a zone as one bar (its first planned start to last planned end),
    on one axis, with its progress and its status (`Summary.status`, which agrees with the progress)."""
    roadmaps = [r for r in roadmap_list(user=user, today=today, zone=zone) if r.summary.milestones]
    if not roadmaps:
        return []
    spans = []
    for r in roadmaps:
        ms = list(r.milestones.all())
        start = min(m.planned_start for m in ms)
        end = max(m.planned_end for m in ms)
        spans.append((r, start, end))
    fake = [
        Milestone(planned_start=s, planned_end=e, actual_start=None, actual_end=None, progress_pct=0)
        for _r, s, e in spans
    ]
    axis = timeline(fake, today)
    rows = []
    for (r, _s, _e), row in zip(spans, axis["rows"], strict=True):
        rows.append({"roadmap": r, "planned": row["planned"], "status": r.summary.status})
    return [
        {"rows": rows, "ticks": axis["ticks"], "today": axis["today"], "first": axis["first"], "last": axis["last"]}
    ]


# --- what needs attention --------------------------------------------------------------------


def attention(*, user: Any, today: dt.date, zone: Zone | None = None) -> list[Milestone]:
    """Late and at-risk milestones across every roadmap the person may see: late first, then by
    planned end."""
    candidates = (
        _milestones()
        .select_related("roadmap", "roadmap__zone")
        .filter(roadmap__in=visible_roadmaps(user=user, zone=zone), actual_end__isnull=True)
        .filter(planned_start__lte=today)
    )
    found = []
    for m in candidates:
        m.status = status_of(m, today)
        if m.status in ATTENTION:
            m.days_late = (today - m.planned_end).days if m.status == Status.LATE else 0
            m.expected_pct = expected_progress(m.planned_start, m.planned_end, today)
            found.append(m)
    found.sort(key=lambda m: (m.status != Status.LATE, m.planned_end, m.pk))
    return found


# --- site clearance --------------------------------------------------------------------------


@dataclass
class ClearanceTotals:
    packages: int = 0
    handed_over: int = 0
    area_to_clear_m2: Decimal = Decimal(0)
    area_handed_over_m2: Decimal = Decimal(0)
    households_affected: int = 0
    households_agreed: int = 0
    compensation_approved_vnd: int = 0
    compensation_paid_vnd: int = 0
    resettlement_households: int = 0

    @property
    def area_pct(self) -> int | None:
        if not self.area_to_clear_m2:
            return None
        return int(self.area_handed_over_m2 * 100 / self.area_to_clear_m2)

    @property
    def households_pct(self) -> int | None:
        return self.households_agreed * 100 // self.households_affected if self.households_affected else None

    @property
    def paid_pct(self) -> int | None:
        if not self.compensation_approved_vnd:
            return None
        return self.compensation_paid_vnd * 100 // self.compensation_approved_vnd


def _packages(*, user: Any, zone: Zone | None = None, roadmap: Roadmap | None = None) -> QuerySet:
    roadmaps = visible_roadmaps(user=user, zone=zone, kind=RoadmapKind.CLEARANCE)
    if roadmap is not None:
        roadmaps = roadmaps.filter(pk=roadmap.pk)
    return ClearancePackage.objects.filter(milestone__roadmap__in=roadmaps)


def clearance_totals(*, user: Any, zone: Zone | None = None, roadmap: Roadmap | None = None) -> ClearanceTotals:
    t = ClearanceTotals()
    for p in _packages(user=user, zone=zone, roadmap=roadmap):
        t.packages += 1
        t.handed_over += p.handed_over_on is not None
        t.area_to_clear_m2 += p.area_to_clear_m2
        t.area_handed_over_m2 += p.area_handed_over_m2
        t.households_affected += p.households_affected
        t.households_agreed += p.households_agreed
        t.compensation_approved_vnd += p.compensation_approved_vnd
        t.compensation_paid_vnd += p.compensation_paid_vnd
        t.resettlement_households += p.resettlement_households
    return t


def clearance_history(*, user: Any, zone: Zone | None = None, roadmap: Roadmap | None = None) -> list[dict[str, Any]]:
    """Site clearance over time: on each day something was recorded, the area handed over, the
    households that agreed and the compensation paid, summed over the packages (each package at
    its latest record on or before that day)."""
    records = (
        ClearanceProgress.objects.filter(package__in=_packages(user=user, zone=zone, roadmap=roadmap))
        .order_by("on", "pk")
        .values_list("on", "package_id", "area_handed_over_m2", "households_agreed", "compensation_paid_vnd")
    )
    latest: dict[int, tuple[Decimal, int, int]] = {}
    days: list[dict[str, Any]] = []
    for on, package_id, area, agreed, paid in records:
        latest[package_id] = (area, agreed, paid)
        row = {
            "on": on,
            "area_m2": sum((v[0] for v in latest.values()), Decimal(0)),
            "households_agreed": sum(v[1] for v in latest.values()),
            "paid_vnd": sum(v[2] for v in latest.values()),
        }
        if days and days[-1]["on"] == on:
            days[-1] = row
        else:
            days.append(row)
    return days


# --- enterprises' reviews --------------------------------------------------------------------


def enterprise_reviews(*, zone: Zone, year: int) -> list[dict[str, Any]]:
    """Each enterprise of the zone with a project under way: its development roadmaps and the
    day of its last review, and whether it has reviewed one this year (for the board)."""
    enterprises = (
        Enterprise.objects.filter(zone=zone, projects__status__in=_ACTIVE)
        .distinct()
        .order_by("name", "pk")
        .prefetch_related(
            Prefetch(
                "roadmaps",
                queryset=Roadmap.objects.filter(kind=RoadmapKind.ENTERPRISE)
                .annotate(last_review=Max("reviews__reviewed_on"))
                .select_related("project"),
            )
        )
    )
    rows = []
    for e in enterprises:
        roadmaps = list(e.roadmaps.all())
        last = max((r.last_review for r in roadmaps if r.last_review), default=None)
        rows.append(
            {
                "enterprise": e,
                "roadmaps": roadmaps,
                "last_review": last,
                "reviewed": bool(last and last.year == year),
            }
        )
    return rows


_ACTIVE = [
    ProjectStatus.REGISTERED,
    ProjectStatus.LAND_HANDED_OVER,
    ProjectStatus.UNDER_CONSTRUCTION,
    ProjectStatus.OPERATING,
]
