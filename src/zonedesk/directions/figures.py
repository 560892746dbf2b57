"""The follow-up figures of directions, as the Government Office reports on the tasks the
Government and its leaders set: for the tasks of the directions issued in a year,

* set: every task;
* due: those whose deadline has come (the deadline before today, or the task done);
  a regular task (no deadline) is never due;
* done on time: accepted, reported done by the deadline; done late: accepted, reported after it;
* overdue: not done and past the deadline; in progress: not done and not yet due (regular
  tasks included);
* on-time rate: done on time / due.

Per lead unit (agency, commune, board unit, enterprise), with a ranking of the units by their
on-time rate, and per direction. One grouped query for each breakdown; the answer is cached under
the generation `TASK_FIGURES_GENERATION` (every save of a direction or a task bumps it:
`directions.apps`) and until midnight (when more tasks become due). `published_only`: the figures
over the published directions only (the public's).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from zonedesk.core.generations import cached
from zonedesk.directions.models import Direction, Status, Task

TASK_FIGURES_GENERATION = "directions.figures"
FIELDS = ("set", "due", "done_on_time", "done_late", "overdue", "in_progress")


def _counts(today: dt.date) -> dict[str, Any]:
    done = Q(status=Status.DONE)
    return {
        "set": Count("pk"),
        "due": Count("pk", filter=done | Q(deadline__lt=today)),
        "done_on_time": Count("pk", filter=done & Q(on_time=True)),
        "done_late": Count("pk", filter=done & Q(on_time=False)),
        "overdue": Count("pk", filter=~done & Q(deadline__lt=today)),
        "in_progress": Count("pk", filter=~done & (Q(deadline__gte=today) | Q(deadline__isnull=True))),
    }


def _row(values: dict[str, Any]) -> dict[str, Any]:
    row = {name: values.get(name) or 0 for name in FIELDS}
    row["on_time_rate"] = round(row["done_on_time"] / row["due"], 4) if row["due"] else None
    return row


def tasks_of(year: int | None, *, published_only: bool = False) -> QuerySet[Task]:
    rows = Task.objects.all()
    if year is not None:
        rows = rows.filter(direction__date__year=year)
    if published_only:
        rows = rows.filter(direction__published=True)
    return rows


def compute(*, year: int | None = None, published_only: bool = False, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    rows = tasks_of(year, published_only=published_only)
    counts = _counts(today)
    whole = _row(rows.aggregate(**counts))
    by_lead = rows.values("lead_agency", "lead_unit", "lead_enterprise").annotate(**counts).order_by()
    units = []
    names = _lead_names(by_lead)
    for r in by_lead:
        key = (
            f"agency:{r['lead_agency']}"
            if r["lead_agency"]
            else f"unit:{r['lead_unit']}"
            if r["lead_unit"]
            else f"enterprise:{r['lead_enterprise']}"
        )
        units.append({"key": key, "name": names.get(key, key), **_row(r)})
    # the ranking: the best on-time rate first; among equals the one with more tasks due; units
    # with nothing due yet last
    units.sort(key=lambda u: (u["on_time_rate"] is None, -(u["on_time_rate"] or 0), -u["due"], u["name"]))
    for rank, u in enumerate(units, start=1):
        u["rank"] = rank if u["on_time_rate"] is not None else None
    by_direction = rows.values("direction").annotate(**counts).order_by()
    directions = {d.pk: d for d in Direction.objects.filter(pk__in=[r["direction"] for r in by_direction])}
    per_direction = sorted(
        (
            {
                "id": r["direction"],
                "number": directions[r["direction"]].number,
                "title": directions[r["direction"]].title,
                "date": directions[r["direction"]].date,
                **_row(r),
            }
            for r in by_direction
        ),
        key=lambda d: (d["date"], d["id"]),
        reverse=True,
    )
    return {
        "year": year,
        "today": today,
        "published_only": published_only,
        "whole": whole,
        "by_unit": units,
        "by_direction": per_direction,
    }


def _lead_names(rows) -> dict[str, str]:
    from zonedesk.core.models import Agency
    from zonedesk.investment.models import Enterprise
    from zonedesk.procedures.models import Unit

    rows = list(rows)
    names: dict[str, str] = {}
    for field, model in (("lead_agency", Agency), ("lead_unit", Unit), ("lead_enterprise", Enterprise)):
        ids = [r[field] for r in rows if r[field]]
        for obj in model.objects.filter(pk__in=ids):
            names[f"{field[5:]}:{obj.pk}"] = str(obj.name)
    return names


def years() -> list[int]:
    """The years a visitor may choose, newest first."""
    from django.db.models import Min

    this = timezone.localdate().year
    first = Direction.objects.aggregate(m=Min("date"))["m"]
    start = min(first.year, this) if first is not None else this
    return list(range(this, start - 1, -1))


def until_midnight() -> dt.datetime:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return dt.datetime.combine(tomorrow, dt.time.min, timezone.get_default_timezone())


def figures(*, year: int | None = None, published_only: bool = False) -> dict[str, Any]:
    """`compute`, from the cache while no direction or task has changed and until midnight."""
    key = f"task-figures:{year or '*'}:{int(published_only)}:{get_language() or 'vi'}"
    return cached(
        TASK_FIGURES_GENERATION,
        key,
        lambda: (compute(year=year, published_only=published_only), until_midnight()),
    )


__all__ = ["FIELDS", "TASK_FIGURES_GENERATION", "compute", "figures", "tasks_of", "until_midnight", "years"]
