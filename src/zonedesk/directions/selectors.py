"""The reads of the follow-up pages and the API: the tasks a person follows, filtered."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zonedesk.directions.models import OPEN_STATUSES, Direction, Status, Task


def tasks_for(
    user: Any,
    *,
    mine: bool | None = None,
    status: str = "",
    lead: str = "",
    overdue: bool = False,
    direction: Direction | None = None,
    year: int | None = None,
) -> QuerySet[Task]:
    """The tasks the person may see, filtered. `mine` (default: for anyone but the board's side):
    only those their own unit leads. `lead`: a unit's key ("agency:3")."""
    from zonedesk.core.permissions import actor_of

    actor = actor_of(user)
    rows = Task.objects.restrict(user)
    if mine is None:
        mine = not actor.is_board_side
    if mine:
        rows = Task.objects.led_by_user(user)
    if status in Status.values:
        rows = rows.filter(status=status)
    kind, _sep, pk = lead.partition(":")
    from zonedesk.core.numbers import whole

    number = whole(pk, max_digits=12)
    if number is not None and kind in {"agency", "unit", "enterprise"}:
        rows = rows.filter(**{f"lead_{kind}_id": number})
    if overdue:
        rows = rows.filter(status__in=sorted(OPEN_STATUSES), deadline__lt=timezone.localdate())
    if direction is not None:
        rows = rows.filter(direction=direction)
    if year is not None:
        rows = rows.filter(direction__date__year=year)
    return rows.select_related("direction", "lead_agency", "lead_unit", "lead_enterprise").order_by(
        "deadline", "direction_id", "number"
    )


def directions_for(user: Any, *, kind: str = "", year: int | None = None, q: str = "") -> QuerySet[Direction]:
    from zonedesk.core.text import fold

    rows = Direction.objects.restrict(user)
    if kind:
        rows = rows.filter(kind=kind)
    if year is not None:
        rows = rows.filter(date__year=year)
    if q:
        words = fold(q)
        rows = rows.filter(Q(title_vi__icontains=q) | Q(number__icontains=q) | Q(title_en__icontains=words))
    return rows


def reports_seen(task: Task, user: Any) -> QuerySet:
    """A task's progress reports as this person may read them: the board's side, and the members
    of the unit that leads it (who wrote them); to anyone else who sees the task (another unit of a
    published direction, the public) none."""
    from zonedesk.core.permissions import actor_of

    rows = task.reports.select_related("author")
    if actor_of(user).is_board_side or lead_member_test(user)(task):
        return rows
    return rows.none()


def lead_member_test(user: Any) -> Any:
    """Whether a person belongs to the unit that leads a task, for many tasks: the units they
    belong to read once (one query, and only if a unit of the board leads one of the tasks), then
    a test per task without a query."""
    from zonedesk.procedures.models import UnitMember

    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return lambda task: False
    units: set[int] | None = None  # read at the first task a unit of the board leads

    def test(task: Task) -> bool:
        nonlocal units
        if task.lead_agency_id:
            return user.role == "agency" and user.agency_id == task.lead_agency_id
        if task.lead_enterprise_id:
            return user.role == "enterprise" and user.enterprise_id == task.lead_enterprise_id
        if user.role not in {"board", "leader"}:
            return False
        if units is None:
            units = set(UnitMember.objects.filter(user=user).values_list("unit_id", flat=True))
        return task.lead_unit_id in units

    return test


def reports_by_task(tasks: list[Task], user: Any, *, limit: int | None = None) -> dict[int, list[Any]]:
    """The progress reports of many tasks as `reports_seen` gives them to this person, in one
    query (the newest first; at most `limit` a task)."""
    from zonedesk.core.permissions import actor_of
    from zonedesk.directions.models import ProgressReport

    if actor_of(user).is_board_side:
        ids = [t.pk for t in tasks]
    else:
        member = lead_member_test(user)
        ids = [t.pk for t in tasks if member(t)]
    out: dict[int, list[Any]] = {t.pk: [] for t in tasks}
    if ids:
        for r in ProgressReport.objects.filter(task_id__in=ids).select_related("author"):
            rows = out[r.task_id]
            if limit is None or len(rows) < limit:
                rows.append(r)
    return out


def today() -> dt.date:
    return timezone.localdate()
