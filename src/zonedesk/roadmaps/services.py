"""Every write of the roadmaps, each in one transaction.

Who writes: board officers and admins every roadmap (`roadmap.edit`); an enterprise its own
development roadmaps (`Roadmap.objects.restrict(user, "change")`); `by=None` is the system (the
demo builder, management commands). Anyone else gets `PermissionDenied`. Bad input raises
`ServiceError` with per-field messages and writes nothing; a change the milestone's state
refuses raises `TransitionError`, a stale writer `ConflictError`.

The rules of dependencies: a milestone never depends on itself or on a milestone that depends
on it (no cycle, however long), and it cannot finish before every milestone it depends on has
finished, nor on an earlier day. Handing over a site-clearance package finishes its milestone
and makes its parcels under clearance available (vacant, or reserved when a project holds
them), in the same transaction, with a new plan generation (the map and OGC API see it at once).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, Value, When
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from zonedesk.cases.notifications import notify_users
from zonedesk.core.errors import ConflictError, ServiceError, TransitionError
from zonedesk.core.generations import generation_bump
from zonedesk.core.inputs import MAX_VND, Wording, clean_area, clean_text, clean_whole, raise_if
from zonedesk.core.models import Agency, Role, User, Zone
from zonedesk.core.numbers import num
from zonedesk.core.permissions import has_capability
from zonedesk.core.versions import locked
from zonedesk.investment.models import Enterprise, Project
from zonedesk.investment.services import milestone_record
from zonedesk.planning.models import Layer, Occupancy, Parcel
from zonedesk.planning.selectors import PLAN_GENERATION, current_revision_ids
from zonedesk.roadmaps.models import (
    ClearancePackage,
    ClearanceProgress,
    Milestone,
    OwnerKind,
    Roadmap,
    RoadmapKind,
    RoadmapReview,
)
from zonedesk.roadmaps.status import Status, status_of

MAX_TITLE = 300
MAX_TEXT = 5_000
MAX_AREA_M2 = Decimal("100000000")  # 10,000 ha
MAX_HOUSEHOLDS = 1_000_000
EARLIEST = dt.date(2000, 1, 1)
LATEST = dt.date(2100, 12, 31)
KEEP = object()  # an argument left out: the value stays as it is
ROADMAP_FIELDS = frozenset({"title_vi", "title_en", "description", "owner_name", "key_task", "public"})


def can_edit_any(user: Any) -> bool:
    """Board officers and admins keep every roadmap."""
    return has_capability(user, "roadmap.edit")


def can_change(user: Any, roadmap: Roadmap) -> bool:
    return Roadmap.objects.restrict(user, "change").filter(pk=roadmap.pk).exists()


def can_review(user: Any, roadmap: Roadmap) -> bool:
    """Only the enterprise's own people review its development roadmap."""
    return (
        roadmap.kind == RoadmapKind.ENTERPRISE
        and getattr(user, "role", None) == Role.ENTERPRISE
        and user.enterprise_id == roadmap.owner_enterprise_id
    )


def _require_change(by: Any, roadmap: Roadmap) -> None:
    if by is not None and not can_change(by, roadmap):
        raise PermissionDenied(_("You may not change this roadmap."))


# --- checks of input -------------------------------------------------------------------------


def _text(value: Any, field: str, errors: dict[str, str], *, required: bool, limit: int = MAX_TITLE) -> str:
    return clean_text(value, field, errors, required=required, limit=limit)


def _date(value: Any, field: str, errors: dict[str, str], *, required: bool, today: dt.date | None = None):
    if value is None:
        if required:
            errors[field] = _("Enter a date.")
        return None
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        errors[field] = _("Enter a date.")
        return None
    if not EARLIEST <= value <= LATEST:
        errors[field] = _("Enter a date from %(a)s to %(b)s.") % {"a": EARLIEST.year, "b": LATEST.year}
        return None
    if today is not None and value > today:
        errors[field] = _("The date cannot be in the future.")
        return None
    return value


_RANGE = Wording(  # what the roadmap pages say of a number
    blank=_lazy("Enter a whole number."),
    not_whole=_lazy("Enter a whole number."),
    negative=_lazy("Enter a number from %(low)s to %(high)s."),
    zero=_lazy("Enter a number from %(low)s to %(high)s."),
    too_large=_lazy("Enter a number from %(low)s to %(high)s."),
)


def _whole(value: Any, field: str, errors: dict[str, str], *, high: int) -> int | None:
    return clean_whole(value, field, errors, high=high, wording=_RANGE)


_AREA = Wording(  # what the roadmap pages say of an area
    blank=_lazy("Enter an area in square metres."),
    not_whole=_lazy("Enter an area in square metres."),
    negative=_lazy("Enter an area from 0 to %(max)s m²."),
    zero=_lazy("Enter an area from 0 to %(max)s m²."),
    too_large=_lazy("Enter an area from 0 to %(max)s m²."),
)


def _area(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    """An area of a package (`core.inputs.clean_area`), to a tenth of a square metre."""
    return clean_area(value, field, errors, high=MAX_AREA_M2, wording=_AREA, required=True, places=1)


def _period(start, end, errors: dict[str, str], *, start_field: str, end_field: str) -> None:
    if start and end and start_field not in errors and end_field not in errors and end < start:
        errors[end_field] = _("The end cannot come before the start.")


# --- roadmaps --------------------------------------------------------------------------------


@transaction.atomic
def roadmap_create(
    *,
    by: Any,
    zone: Zone,
    kind: str,
    title_vi: str,
    owner_kind: str,
    title_en: str = "",
    description: str = "",
    owner_agency: Agency | None = None,
    owner_enterprise: Enterprise | None = None,
    owner_name: str = "",
    project: Project | None = None,
    key_task: bool = False,
    public: bool | None = None,
    is_synthetic: bool = False,
) -> Roadmap:
    """A new roadmap. An enterprise creates only its own development roadmaps (not public)."""
    if by is not None and not can_edit_any(by):
        own = getattr(by, "role", None) == Role.ENTERPRISE and owner_enterprise is not None
        if not (own and kind == RoadmapKind.ENTERPRISE and owner_enterprise.pk == by.enterprise_id):
            raise PermissionDenied(_("You may not create this roadmap."))
    errors: dict[str, str] = {}
    title_vi = _text(title_vi, "title_vi", errors, required=True)
    title_en = _text(title_en, "title_en", errors, required=False)
    description = _text(description, "description", errors, required=False, limit=MAX_TEXT)
    owner_name = _text(owner_name, "owner_name", errors, required=False)
    if kind not in RoadmapKind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if owner_kind not in OwnerKind.values:
        errors["owner_kind"] = _("Choose an owner from the list.")
    if owner_kind == OwnerKind.ENTERPRISE:
        if owner_enterprise is None:
            errors["owner_enterprise"] = _("Choose the enterprise.")
        elif owner_enterprise.zone_id != zone.pk:
            errors["owner_enterprise"] = _("The enterprise is not in this zone.")
    elif owner_enterprise is not None:
        errors["owner_enterprise"] = _("Only an enterprise's roadmap names an enterprise.")
    if owner_kind in {OwnerKind.AGENCY, OwnerKind.COMMUNE}:
        if owner_agency is None:
            errors["owner_agency"] = _("Choose the agency or commune.")
        elif owner_kind == OwnerKind.COMMUNE and owner_agency.kind != Agency.Kind.COMMUNE:
            errors["owner_agency"] = _("Choose a commune.")
    elif owner_agency is not None:
        errors["owner_agency"] = _("Only an agency's or a commune's roadmap names an agency.")
    if owner_kind == OwnerKind.COMMITTEE and not owner_name:
        errors["owner_name"] = _("Give the steering committee's name.")
    if kind == RoadmapKind.ENTERPRISE:
        if owner_kind != OwnerKind.ENTERPRISE:
            errors["owner_kind"] = _("An enterprise development roadmap is owned by its enterprise.")
        if project is not None and owner_enterprise is not None and project.enterprise_id != owner_enterprise.pk:
            errors["project"] = _("The project belongs to another enterprise.")
        elif project is not None and Roadmap.objects.filter(kind=RoadmapKind.ENTERPRISE, project=project).exists():
            errors["project"] = _("This project already has its development roadmap.")
    elif project is not None:
        errors["project"] = _("Only an enterprise development roadmap names a project.")
    raise_if(errors)
    return Roadmap.objects.create(
        zone=zone,
        kind=kind,
        title_vi=title_vi,
        title_en=title_en,
        description=description,
        owner_kind=owner_kind,
        owner_agency=owner_agency,
        owner_enterprise=owner_enterprise,
        owner_name=owner_name,
        project=project,
        key_task=bool(key_task),
        public=(kind != RoadmapKind.ENTERPRISE) if public is None else bool(public),
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def roadmap_update(*, by: Any, roadmap: Roadmap, version: int | None = None, **changes: Any) -> Roadmap:
    """Change a roadmap's own fields (titles, description, owner's name, key task, public); its
    zone, kind and owner stay (a new owner is a new roadmap)."""
    _require_change(by, roadmap)
    unknown = set(changes) - ROADMAP_FIELDS
    if (
        "key_task" in changes
        and by is not None
        and not can_edit_any(by)
        and bool(changes["key_task"]) != roadmap.key_task
    ):
        raise PermissionDenied(_("Only the management board names a key local task."))
    if unknown:
        raise ServiceError({"__all__": _("These fields cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))}})
    _lock_roadmap(roadmap)
    fresh = Roadmap.objects.get(pk=roadmap.pk)
    if version is not None and fresh.version != version:
        raise ConflictError(
            _("The roadmap was changed by someone else (version %(theirs)s, you had %(yours)s): reload it.")
            % {"theirs": fresh.version, "yours": version}
        )
    errors: dict[str, str] = {}
    for field in ("title_vi", "title_en", "owner_name"):
        if field in changes:
            changes[field] = _text(changes[field], field, errors, required=field == "title_vi")
    if "description" in changes:
        changes["description"] = _text(changes["description"], "description", errors, required=False, limit=MAX_TEXT)
    if fresh.owner_kind == OwnerKind.COMMITTEE and "owner_name" in changes and not changes["owner_name"]:
        errors["owner_name"] = _("Give the steering committee's name.")
    raise_if(errors)
    for field in ("key_task", "public"):
        if field in changes:
            changes[field] = bool(changes[field])
    for field, value in changes.items():
        setattr(fresh, field, value)
    fresh.version += 1
    fresh.save()
    return fresh


@transaction.atomic
def roadmap_from_project(*, by: Any, project: Project) -> Roadmap:
    """An enterprise's development roadmap for a project, its milestones taken from the
    schedule of the investment certificate (each linked to the milestone it comes from)."""
    schedule = list(project.milestones.order_by("planned_date", "pk"))
    try:
        with transaction.atomic():
            roadmap = roadmap_create(
                by=by,
                zone=project.zone,
                kind=RoadmapKind.ENTERPRISE,
                # named by the project's name, which people know it by; its code is shown beside
                title_vi=f"Lộ trình phát triển: {project.name_vi}"[:300],
                title_en=f"Development roadmap: {project.name_en}"[:300] if project.name_en else "",
                owner_kind=OwnerKind.ENTERPRISE,
                owner_enterprise=project.enterprise,
                project=project,
                is_synthetic=project.is_synthetic,
            )
    except IntegrityError as exc:  # another request made it a moment ago (roadmap_one_per_project)
        raise ServiceError({"project": _("This project already has its development roadmap.")}) from exc
    previous = project.certificate_date
    for i, item in enumerate(schedule, 1):
        start = min(previous, item.planned_date)
        done = item.actual_date
        Milestone.objects.create(
            roadmap=roadmap,
            position=i,
            title=str(item),
            responsible_name=project.enterprise.name,
            responsible_enterprise=project.enterprise,
            planned_start=start,
            planned_end=item.planned_date,
            actual_start=min(start, done) if done else None,
            actual_end=done,
            progress_pct=100 if done else 0,
            schedule_milestone=item,
        )
        previous = item.planned_date
    return roadmap


@transaction.atomic
def roadmap_review(*, by: Any, roadmap: Roadmap, note: str = "", on: dt.date | None = None) -> RoadmapReview:
    """The enterprise records that it reviewed its development roadmap (once a day at most). Only
    its own people review it: the board sees who has, and a review by someone else would hide
    that the enterprise has not."""
    if by is not None and not can_review(by, roadmap):
        raise PermissionDenied(_("Only the enterprise reviews its own development roadmap."))
    today = timezone.localdate()
    errors: dict[str, str] = {}
    on = _date(on or today, "reviewed_on", errors, required=True, today=today)
    note = _text(note, "note", errors, required=False, limit=MAX_TEXT)
    raise_if(errors)
    review = RoadmapReview.objects.filter(roadmap=roadmap, reviewed_on=on).first()
    if review is None:
        return RoadmapReview.objects.create(
            roadmap=roadmap, reviewed_on=on, note=note, reviewed_by=by if getattr(by, "pk", None) else None
        )
    review.note = note or review.note
    review.save(update_fields=["note"])
    return review


# --- milestones ------------------------------------------------------------------------------


def _lock_roadmap(roadmap: Roadmap) -> None:
    """Writes of one roadmap run one at a time (the roadmap row first, then its milestone), so
    two people cannot together break a rule each checked alone (a package code, a finish date)."""
    Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()


def _locked(milestone: Milestone, version: int | None) -> Milestone:
    _lock_roadmap(milestone.roadmap)
    return locked(
        milestone,
        version,
        _("The milestone was changed by someone else (version %(theirs)s, you had %(yours)s): reload it."),
        related=["roadmap"],
    )


def _depends_closure(start: Iterable[int]) -> set[int]:
    """Every milestone reached from `start` by following "depends on" (start included)."""
    seen: set[int] = set()
    frontier = set(start)
    edges = Milestone.depends_on.through.objects
    while frontier:
        seen |= frontier
        frontier = set(edges.filter(from_milestone_id__in=frontier).values_list("to_milestone_id", flat=True)) - seen
    return seen


def _check_dependencies(
    milestone: Milestone | None,
    roadmap: Roadmap,
    depends_on: list[Milestone],
    errors: dict[str, str],
    by: Any = None,
) -> None:
    if not depends_on:
        return
    if any(not isinstance(d, Milestone) or d.pk is None for d in depends_on):
        errors["depends_on"] = _("Choose milestones from the list.")
        return
    if milestone is not None and any(d.pk == milestone.pk for d in depends_on):
        errors["depends_on"] = _("A milestone cannot depend on itself.")
        return
    # one query: the dependencies' roadmaps that are of this zone and that the writer may see
    roadmaps = Roadmap.objects.all() if by is None else Roadmap.objects.restrict(by)
    allowed = set(
        roadmaps.filter(pk__in={d.roadmap_id for d in depends_on}, zone_id=roadmap.zone_id).values_list("pk", flat=True)
    )
    if any(d.roadmap_id not in allowed for d in depends_on):
        errors["depends_on"] = _("A milestone depends only on milestones of the same zone that you may see.")
        return
    if milestone is not None and milestone.pk in _depends_closure(d.pk for d in depends_on):
        errors["depends_on"] = _(
            "This would make a cycle: a milestone chosen here already depends, directly or not, on this one."
        )


def _check_finish(
    milestone: Milestone | None,
    depends_on: list[Milestone],
    actual_end: dt.date | None,
    errors: dict[str, str],
) -> None:
    """A milestone finishes only after every milestone it depends on, and no dependent that
    has finished may then have finished before it."""
    if actual_end is not None:
        for d in depends_on:
            if d.actual_end is None:
                errors["actual_end"] = _("“%(title)s”, which this milestone depends on, has not finished.") % {
                    "title": d.title
                }
                return
            if d.actual_end > actual_end:
                errors["actual_end"] = _(
                    "“%(title)s”, which this milestone depends on, finished on %(date)s: this one cannot "
                    "finish earlier."
                ) % {"title": d.title, "date": d.actual_end.strftime("%d/%m/%Y")}
                return
    if milestone is not None and milestone.pk is not None:
        for dep in milestone.dependents.filter(actual_end__isnull=False):
            if actual_end is None or dep.actual_end < actual_end:
                errors["actual_end"] = _(
                    "“%(title)s”, which depends on this milestone, finished on %(date)s: this one must "
                    "have finished by then."
                ) % {"title": dep.title, "date": dep.actual_end.strftime("%d/%m/%Y")}
                return


def _clean_plan(title: Any, responsible_name: Any, planned_start: Any, planned_end: Any, errors: dict[str, str]):
    """The fields every new milestone (a package's too) must have right."""
    title = _text(title, "title", errors, required=True)
    responsible_name = _text(responsible_name, "responsible_name", errors, required=True)
    planned_start = _date(planned_start, "planned_start", errors, required=True)
    planned_end = _date(planned_end, "planned_end", errors, required=True)
    _period(planned_start, planned_end, errors, start_field="planned_start", end_field="planned_end")
    return title, responsible_name, planned_start, planned_end


def _responsible(
    responsible_agency: Agency | None, responsible_enterprise: Enterprise | None, errors: dict[str, str]
) -> None:
    if responsible_agency is not None and responsible_enterprise is not None:
        errors["responsible_agency"] = _("Name either an agency or an enterprise, not both.")


@transaction.atomic
def milestone_add(
    *,
    by: Any,
    roadmap: Roadmap,
    title: str,
    responsible_name: str,
    planned_start: dt.date,
    planned_end: dt.date,
    responsible_agency: Agency | None = None,
    responsible_enterprise: Enterprise | None = None,
    depends_on: Iterable[Milestone] = (),
    position: int | None = None,
    condition: Any = None,
) -> Milestone:
    """A new milestone; `condition`: the condition of the innovation ecosystem it acts on."""
    _require_change(by, roadmap)
    errors: dict[str, str] = {}
    title, responsible_name, planned_start, planned_end = _clean_plan(
        title, responsible_name, planned_start, planned_end, errors
    )
    _responsible(responsible_agency, responsible_enterprise, errors)
    deps = list({d.pk: d for d in depends_on}.values())
    _check_dependencies(None, roadmap, deps, errors, by)
    raise_if(errors)
    _lock_roadmap(roadmap)
    if position is None:
        position = (roadmap.milestones.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    milestone = Milestone.objects.create(
        roadmap=roadmap,
        position=position,
        title=title,
        responsible_name=responsible_name,
        responsible_agency=responsible_agency,
        responsible_enterprise=responsible_enterprise,
        planned_start=planned_start,
        planned_end=planned_end,
        condition=condition,
    )
    milestone.depends_on.set(deps)
    _touch(roadmap)
    return milestone


@transaction.atomic
def milestone_plan(
    *,
    by: Any,
    milestone: Milestone,
    planned_start: dt.date,
    planned_end: dt.date,
    depends_on: Iterable[Milestone] | None = None,
    title: str | None = None,
    responsible_name: str | None = None,
    condition: Any = KEEP,
    version: int | None = None,
) -> Milestone:
    """Change a milestone's plan: its dates, its dependencies, its title or responsible party,
    and the condition of the innovation ecosystem it acts on (None: none; left out: kept)."""
    _require_change(by, milestone.roadmap)
    m = _locked(milestone, version)
    errors: dict[str, str] = {}
    planned_start = _date(planned_start, "planned_start", errors, required=True)
    planned_end = _date(planned_end, "planned_end", errors, required=True)
    _period(planned_start, planned_end, errors, start_field="planned_start", end_field="planned_end")
    if title is not None:
        m.title = _text(title, "title", errors, required=True)
    if responsible_name is not None:
        m.responsible_name = _text(responsible_name, "responsible_name", errors, required=True)
    deps = None if depends_on is None else list({d.pk: d for d in depends_on}.values())
    if deps is not None:
        _check_dependencies(m, m.roadmap, deps, errors, by)
        _check_finish(None, deps, m.actual_end, errors)
        if "actual_end" in errors:
            errors["depends_on"] = errors.pop("actual_end")
    raise_if(errors)
    if planned_end != m.planned_end:
        m.overdue_notified_on = None  # a new deadline: its lateness is news again
    m.planned_start, m.planned_end = planned_start, planned_end
    if condition is not KEEP:
        m.condition = condition
    m.version += 1
    m.save()
    if deps is not None:
        m.depends_on.set(deps)
    _touch(m.roadmap)
    return m


@transaction.atomic
def milestone_progress(
    *,
    by: Any,
    milestone: Milestone,
    progress_pct: int,
    actual_start: dt.date | None = None,
    actual_end: dt.date | None = None,
    version: int | None = None,
) -> Milestone:
    """Record how far a milestone has come. An actual end finishes it (progress 100%); progress
    without an actual start starts it today. A package's progress comes from its figures."""
    _require_change(by, milestone.roadmap)
    m = _locked(milestone, version)
    if hasattr(m, "package"):
        raise TransitionError(_("A site-clearance package moves with its figures: record them instead."))
    today = timezone.localdate()
    errors: dict[str, str] = {}
    progress = _whole(progress_pct, "progress_pct", errors, high=100)
    actual_start = _date(actual_start, "actual_start", errors, required=False, today=today)
    actual_end = _date(actual_end, "actual_end", errors, required=False, today=today)
    if actual_end is not None:
        if progress is not None and progress != 100:
            errors["progress_pct"] = _("A finished milestone is at 100%.")
        actual_start = actual_start or m.actual_start or actual_end
    elif progress == 100:
        errors["actual_end"] = _("Give the day it finished.")
    if progress and actual_start is None:
        actual_start = m.actual_start or today
    _period(actual_start, actual_end, errors, start_field="actual_start", end_field="actual_end")
    if "actual_end" not in errors:
        _check_finish(m, list(m.depends_on.all()), actual_end, errors)
    raise_if(errors)
    m.progress_pct, m.actual_start, m.actual_end = progress, actual_start, actual_end
    m.version += 1
    m.save(update_fields=["progress_pct", "actual_start", "actual_end", "version", "updated_at"])
    _touch(m.roadmap)
    schedule = m.schedule_milestone
    keeps_registry = by is None or has_capability(by, "registry.edit")
    if actual_end is not None and schedule is not None and schedule.actual_date is None and keeps_registry:
        # the board's record is the registry's too; an enterprise's own word never changes the registry
        milestone_record(milestone=schedule, actual_date=actual_end)
    return m


def schedule_recorded(*, schedule_milestone: Any) -> int:
    """The registry recorded the actual date of a milestone of an investment certificate: the
    roadmap milestones made from it finish that day (unless finished already). Called by
    `investment.services.milestone_record`, in its transaction (registered in `RoadmapsConfig.ready`);
    returns how many changed."""
    changed = 0
    day = schedule_milestone.actual_date
    if day is None:
        return 0
    for m in Milestone.objects.filter(schedule_milestone=schedule_milestone, actual_end__isnull=True):
        errors: dict[str, str] = {}
        _check_finish(m, list(m.depends_on.all()), day, errors)
        if errors:  # a dependency still open: the roadmap shows it, and its owner sorts it out
            continue
        m.actual_start = m.actual_start if m.actual_start and m.actual_start <= day else day
        m.actual_end, m.progress_pct = day, 100
        m.version += 1
        m.save(update_fields=["progress_pct", "actual_start", "actual_end", "version", "updated_at"])
        changed += 1
    return changed


def schedule_replanned(*, schedule_milestone: Any, shift: dt.timedelta) -> int:
    """The registry moved a milestone of an investment certificate later (a schedule extended by
    the one-stop desk): the roadmap milestones made from it and not finished move by as much.
    Called by `investment.services.schedule_extend`, in its transaction; returns how many moved."""
    changed = 0
    for m in Milestone.objects.filter(schedule_milestone=schedule_milestone, actual_end__isnull=True):
        m.planned_start += shift
        m.planned_end += shift
        m.overdue_notified_on = None  # a new deadline: its lateness is news again
        m.version += 1
        m.save(update_fields=["planned_start", "planned_end", "overdue_notified_on", "version", "updated_at"])
        _touch(m.roadmap)
        changed += 1
    return changed


@transaction.atomic
def milestone_link_condition(*, by: Any, milestone: Milestone, condition: Any) -> Milestone:
    """Name the condition of the innovation ecosystem a milestone acts on (None: none); the
    scorecard lists it among the condition's actions."""
    _require_change(by, milestone.roadmap)
    milestone.condition = condition
    milestone.save(update_fields=["condition", "updated_at"])
    return milestone


def _touch(roadmap: Roadmap) -> None:
    Roadmap.objects.filter(pk=roadmap.pk).update(updated_at=timezone.now())


# --- site clearance --------------------------------------------------------------------------


@transaction.atomic
def package_create(
    *,
    by: Any,
    roadmap: Roadmap,
    code: str,
    title: str,
    responsible_name: str,
    planned_start: dt.date,
    planned_end: dt.date,
    area_to_clear_m2: Any,
    households_affected: int,
    compensation_approved_vnd: int = 0,
    resettlement_households: int = 0,
    resettlement_note: str = "",
    parcels: Iterable[Parcel] = (),
    responsible_agency: Agency | None = None,
    depends_on: Iterable[Milestone] = (),
) -> ClearancePackage:
    """A site-clearance package: a milestone of a site-clearance roadmap with its figures."""
    _require_change(by, roadmap)
    # the rules below hold across the zone (a code, a parcel in one open package): its row
    # lock makes two writers of packages of one zone take turns
    Zone.objects.select_for_update().filter(pk=roadmap.zone_id).first()
    _lock_roadmap(roadmap)
    errors: dict[str, str] = {}
    if roadmap.kind != RoadmapKind.CLEARANCE:
        errors["__all__"] = _("Packages belong to a site-clearance roadmap.")
    _clean_plan(title, responsible_name, planned_start, planned_end, errors)  # all messages at once
    code = _text(code, "code", errors, required=True, limit=40)
    if code and ClearancePackage.objects.filter(milestone__roadmap__zone=roadmap.zone, code=code).exists():
        errors["code"] = _("This zone already has a package %(code)s.") % {"code": code}
    area = _area(area_to_clear_m2, "area_to_clear_m2", errors)
    if area is not None and area <= 0:
        errors["area_to_clear_m2"] = _("Enter the area to clear.")
    households = _whole(households_affected, "households_affected", errors, high=MAX_HOUSEHOLDS)
    approved = _whole(compensation_approved_vnd, "compensation_approved_vnd", errors, high=MAX_VND)
    resettle = _whole(resettlement_households, "resettlement_households", errors, high=MAX_HOUSEHOLDS)
    if households is not None and resettle is not None and resettle > households:
        errors["resettlement_households"] = _("More households to resettle than households affected.")
    note = _text(resettlement_note, "resettlement_note", errors, required=False, limit=MAX_TEXT)
    parcels = list({p.pk: p for p in parcels}.values())
    if any(p.zone_id != roadmap.zone_id for p in parcels):
        errors["parcels"] = _("Every parcel must be in the roadmap's zone.")
    elif parcels:
        in_force = set(current_revision_ids(Layer.PARCELS, zones=Zone.objects.filter(pk=roadmap.zone_id)))
        taken = sorted(
            ClearancePackage.objects.filter(handed_over_on__isnull=True, milestone__roadmap__zone=roadmap.zone)
            .filter(parcels__code__in=[p.code for p in parcels])
            .values_list("parcels__code", flat=True)
            .distinct()
        )
        if any(p.revision_id not in in_force for p in parcels):
            errors["parcels"] = _("Choose parcels of the plan in force.")
        elif taken:
            errors["parcels"] = _("Already in a package not yet handed over: %(codes)s.") % {"codes": ", ".join(taken)}
    raise_if(errors)
    milestone = milestone_add(
        by=by,
        roadmap=roadmap,
        title=title,
        responsible_name=responsible_name,
        responsible_agency=responsible_agency,
        planned_start=planned_start,
        planned_end=planned_end,
        depends_on=depends_on,
    )
    package = ClearancePackage.objects.create(
        milestone=milestone,
        code=code,
        area_to_clear_m2=area,
        households_affected=households,
        compensation_approved_vnd=approved,
        resettlement_households=resettle,
        resettlement_note=note,
    )
    package.parcels.set(parcels)
    return package


def _progress_of(handed: Decimal, to_clear: Decimal) -> int:
    return int((handed * 100 / to_clear).to_integral_value(rounding=ROUND_FLOOR))


@transaction.atomic
def package_record(
    *,
    by: Any,
    package: ClearancePackage,
    on: dt.date,
    area_handed_over_m2: Any,
    households_agreed: int,
    compensation_paid_vnd: int,
    compensation_approved_vnd: int | None = None,
    note: str = "",
    version: int | None = None,
) -> ClearanceProgress:
    """The package's figures as they stand on a day (so far, not the day's increment); its
    milestone's progress is the share of its area handed over."""
    _require_change(by, package.milestone.roadmap)
    m = _locked(package.milestone, version)
    package = ClearancePackage.objects.select_for_update().get(pk=package.pk)
    if package.handed_over_on is not None:
        raise TransitionError(_("The package was handed over: its figures are final."))
    today = timezone.localdate()
    errors: dict[str, str] = {}
    on = _date(on, "on", errors, required=True, today=today)
    last = package.progress.order_by("-on", "-pk").values_list("on", flat=True).first()
    if on and last and on < last:
        errors["on"] = _("Figures of %(date)s are already recorded: a record cannot come before them.") % {
            "date": last.strftime("%d/%m/%Y")
        }
    area = _area(area_handed_over_m2, "area_handed_over_m2", errors)
    if area is not None and area > package.area_to_clear_m2:
        errors["area_handed_over_m2"] = _("More than the area to clear (%(area)s m²).") % {
            "area": num(package.area_to_clear_m2, None)
        }
    agreed = _whole(households_agreed, "households_agreed", errors, high=MAX_HOUSEHOLDS)
    if agreed is not None and agreed > package.households_affected:
        errors["households_agreed"] = _("More than the households affected (%(n)s).") % {
            "n": package.households_affected
        }
    approved = package.compensation_approved_vnd
    if compensation_approved_vnd is not None:
        approved = _whole(compensation_approved_vnd, "compensation_approved_vnd", errors, high=MAX_VND)
    paid = _whole(compensation_paid_vnd, "compensation_paid_vnd", errors, high=MAX_VND)
    if paid is not None and approved is not None and paid > approved:
        errors["compensation_paid_vnd"] = _("More than the compensation approved.")
    note = _text(note, "note", errors, required=False, limit=MAX_TEXT)
    raise_if(errors)
    package.area_handed_over_m2, package.households_agreed = area, agreed
    package.compensation_paid_vnd, package.compensation_approved_vnd = paid, approved
    package.save()
    m.progress_pct = _progress_of(area, package.area_to_clear_m2)
    if m.actual_start is None and (area or agreed or paid):
        m.actual_start = on
    m.version += 1
    m.save(update_fields=["progress_pct", "actual_start", "version", "updated_at"])
    _touch(m.roadmap)
    return ClearanceProgress.objects.create(
        package=package,
        on=on,
        area_handed_over_m2=area,
        households_agreed=agreed,
        compensation_paid_vnd=paid,
        note=note,
        recorded_by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def package_hand_over(
    *, by: Any, package: ClearancePackage, on: dt.date, note: str = "", version: int | None = None
) -> ClearancePackage:
    """The cleared land is handed over: the package's whole area, its milestone finished on
    `on`, and its parcels under clearance become available (vacant, or reserved for the project
    that holds them)."""
    _require_change(by, package.milestone.roadmap)
    m = _locked(package.milestone, version)
    package = ClearancePackage.objects.select_for_update().get(pk=package.pk)
    if package.handed_over_on is not None:
        raise TransitionError(_("The package was already handed over."))
    today = timezone.localdate()
    errors: dict[str, str] = {}
    on = _date(on, "on", errors, required=True, today=today)
    last = package.progress.order_by("-on", "-pk").values_list("on", flat=True).first()
    if on and last and on < last:
        errors["on"] = _("Figures of %(date)s are already recorded: the hand-over cannot come before them.") % {
            "date": last.strftime("%d/%m/%Y")
        }
    if on and "on" not in errors:
        _check_finish(m, list(m.depends_on.all()), on, errors)
        if "actual_end" in errors:
            errors["on"] = errors.pop("actual_end")
    note = _text(note, "note", errors, required=False, limit=MAX_TEXT)
    raise_if(errors)
    package.area_handed_over_m2 = package.area_to_clear_m2
    package.handed_over_on = on
    package.save()
    m.progress_pct, m.actual_end = 100, on
    m.actual_start = m.actual_start or on
    m.version += 1
    m.save(update_fields=["progress_pct", "actual_start", "actual_end", "version", "updated_at"])
    ClearanceProgress.objects.create(
        package=package,
        on=on,
        area_handed_over_m2=package.area_to_clear_m2,
        households_agreed=package.households_agreed,
        compensation_paid_vnd=package.compensation_paid_vnd,
        note=note or _("Handed over."),
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    # the parcels of the plan in force with the package's codes (a newer revision may have
    # replaced the rows the package was made with; its parcels keep their codes)
    codes = list(package.parcels.values_list("code", flat=True))
    in_force = current_revision_ids(Layer.PARCELS, zones=Zone.objects.filter(pk=m.roadmap.zone_id))
    changed = Parcel.objects.filter(revision_id__in=in_force, code__in=codes, occupancy=Occupancy.CLEARANCE).update(
        occupancy=Case(When(project__isnull=False, then=Value(Occupancy.RESERVED)), default=Value(Occupancy.VACANT))
    )
    if changed:
        generation_bump(PLAN_GENERATION)  # the map, the vacant-land finder and the OGC API
    _touch(m.roadmap)
    return package


# --- background work -------------------------------------------------------------------------


def _people(m: Milestone) -> list[Any]:
    """Who answers for a milestone: its agency's officers, else its enterprise's people, else the
    owner's (agency or enterprise); the board's officers when none of those has an account."""
    active = User.objects.filter(is_active=True)
    agency_id = m.responsible_agency_id or (None if m.responsible_enterprise_id else m.roadmap.owner_agency_id)
    enterprise_id = m.responsible_enterprise_id or m.roadmap.owner_enterprise_id
    people: list[Any] = []
    if agency_id:
        people = list(active.filter(agency_id=agency_id))
    elif enterprise_id:
        people = list(active.filter(enterprise_id=enterprise_id))
    return people or list(active.filter(role=Role.BOARD))


def milestones_notify_overdue(*, today: dt.date | None = None) -> int:
    """Tell the responsible party of each milestone that has become late, once per deadline
    (a new planned end makes it news again). Returns how many milestones were notified."""
    today = today or timezone.localdate()
    told = 0
    late = (
        Milestone.objects.filter(actual_end__isnull=True, planned_end__lt=today)
        .filter(overdue_notified_on__isnull=True)
        .select_related("roadmap")
        .order_by("planned_end", "pk")
    )
    for m in late:
        with transaction.atomic():
            fresh = Milestone.objects.select_for_update().filter(pk=m.pk, overdue_notified_on__isnull=True).first()
            if fresh is None or status_of(fresh, today) != Status.LATE:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                subject = _("Late milestone: %(title)s") % {"title": m.title}
                body = "\n".join(
                    [
                        _("The milestone was due on %(date)s and has not finished (%(pct)s%% done).")
                        % {"date": m.planned_end.strftime("%d/%m/%Y"), "pct": m.progress_pct},
                        "",
                        f"{m.roadmap.title_vi}: {m.title}",
                    ]
                )
            people = _people(m)
            if not people:  # nobody to tell yet: try again at the next tick
                continue
            notify_users(users=people, subject=subject, body=body, link=reverse("roadmap_detail", args=[m.roadmap_id]))
            fresh.overdue_notified_on = today
            fresh.save(update_fields=["overdue_notified_on"])
            told += 1
    return told
