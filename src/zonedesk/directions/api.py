"""API of the follow-up of directions, with the pages' permission rules: the directions a person
may see (the public: the published ones), the tasks of the caller's own unit (the board's side:
all, filtered), a lead unit's progress report (with the task's `version`: a stale one is 409),
and the figures (the public's over the published directions only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from zonedesk.core.permissions import actor_of, get_restricted_or_404
from zonedesk.core.schemas import ERRORS, ErrorOut, InputSchema, version_field
from zonedesk.directions import figures, selectors, services
from zonedesk.directions.models import Direction, DirectionKind, Task

router = Router(tags=["directions"])


def _user(request):
    if not request.user.is_authenticated:
        raise AuthenticationError
    return request.user


class TaskOut(Schema):
    id: int
    direction: int
    number: int
    content: str
    lead: str = Field(description='the lead unit\'s key: "agency:ID", "unit:ID" or "enterprise:ID"')
    lead_name: str
    deadline: dt.date | None = Field(description="none: a regular task")
    status: str
    percent: int
    overdue: bool
    on_time: bool | None
    version: int


class DirectionOut(Schema):
    id: int
    kind: str
    number: str
    date: dt.date
    title_vi: str
    title_en: str
    published: bool
    tasks: int


class ReportOut(Schema):
    created_at: dt.datetime
    percent: int
    done: bool
    text: str


class DirectionTaskOut(TaskOut):
    reports: list[ReportOut]


class DirectionDetailOut(DirectionOut):
    summary: str
    issuer: str
    conference: int | None
    task_list: list[DirectionTaskOut]


def _task_row(t: Task, today: dt.date) -> dict[str, Any]:
    return {
        "id": t.pk,
        "direction": t.direction_id,
        "number": t.number,
        "content": t.content,
        "lead": t.lead_key,
        "lead_name": t.lead_name,
        "deadline": t.deadline,
        "status": t.status,
        "percent": t.percent,
        "overdue": t.is_overdue(today),
        "on_time": t.on_time,
        "version": t.version,
    }


def _direction_row(d: Direction) -> dict[str, Any]:
    return {
        "id": d.pk,
        "kind": d.kind,
        "number": d.number,
        "date": d.date,
        "title_vi": d.title_vi,
        "title_en": d.title_en,
        "published": d.published,
        "tasks": len(d.tasks.all()),
    }


class DirectionQuery(Schema):
    kind: DirectionKind | None = None
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/directions", response=list[DirectionOut], summary="Directions (the public: those published)")
def direction_list(request, query: Query[DirectionQuery]):
    rows = selectors.directions_for(request.user, kind=query.kind or "", year=query.year).prefetch_related("tasks")
    return [_direction_row(d) for d in rows[:500]]


@router.get(
    "/directions/{direction_id}",
    response={200: DirectionDetailOut, 404: ErrorOut},
    summary="One direction and its tasks",
)
def direction_detail(request, direction_id: int):
    d = get_restricted_or_404(Direction.objects.all(), request.user, pk=direction_id)
    today = timezone.localdate()
    public = not request.user.is_authenticated
    tasks = (
        Task.objects.restrict(request.user)
        .filter(direction=d)
        .select_related("lead_agency", "lead_unit", "lead_enterprise")
    )
    tasks = list(tasks)
    seen = selectors.reports_by_task(tasks, request.user)  # one query, not one a task
    rows = []
    for t in tasks:
        reports = [
            {"created_at": r.created_at, "percent": r.percent, "done": r.done, "text": r.text} for r in seen[t.pk]
        ]
        rows.append({**_task_row(t, today), "reports": reports})
    return {
        **_direction_row(d),
        "summary": d.summary,
        "issuer": "" if public else d.issuer,
        "conference": d.conference_id,
        "task_list": rows,
    }


class LinkIn(InputSchema):
    kind: str = Field(..., max_length=30, description="petition, roadmap, milestone, dossier, policy_action, …")
    target: str = Field(..., max_length=64, description="the petition's reference, the dossier's code, or an id")


class TaskIn(InputSchema):
    content: str = Field(..., max_length=20_000)
    lead: str = Field(..., max_length=40, description='"agency:ID", "unit:ID" or "enterprise:ID"')
    deadline: dt.date | None = Field(None, description="none: a regular task")
    support: list[str] = Field(default_factory=list, max_length=50)
    monitor: list[str] = Field(default_factory=list, max_length=50)
    links: list[LinkIn] = Field(default_factory=list, max_length=50, description="what the task acts on")


class DirectionIn(InputSchema):
    kind: DirectionKind
    number: str = Field("", max_length=60)
    date: dt.date
    issuer: str = Field("", max_length=255)
    title_vi: str = Field(..., max_length=500)
    title_en: str = Field("", max_length=500)
    summary: str = Field("", max_length=20_000)
    published: bool | None = Field(None, description="default: conference conclusions are published")
    tasks: list[TaskIn] = Field(..., max_length=100)


@router.post(
    "/directions",
    response={201: DirectionDetailOut, **ERRORS},
    auth=django_auth,
    summary="Issue a direction with its tasks",
)
def direction_issue(request, payload: DirectionIn):
    d = services.direction_issue(
        by=_user(request),
        kind=payload.kind,
        number=payload.number,
        date=payload.date,
        issuer=payload.issuer,
        title_vi=payload.title_vi,
        title_en=payload.title_en,
        summary=payload.summary,
        published=payload.published,
        tasks=[{**t.model_dump(), "links": [(link.kind, link.target) for link in t.links]} for t in payload.tasks],
    )
    return Status(201, direction_detail(request, d.pk))


class TaskQuery(Schema):
    all: bool = Field(False, description="the board's side: every task, not only its own units'")
    status: str = Field("", max_length=20)
    lead: str = Field("", max_length=40)
    overdue: bool = False
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/tasks", response=list[TaskOut], auth=django_auth, summary="Tasks (the caller's unit's own by default)")
def task_list(request, query: Query[TaskQuery]):
    user = _user(request)
    mine = not (query.all and actor_of(user).is_board_side)
    rows = selectors.tasks_for(
        user, mine=mine, status=query.status, lead=query.lead, overdue=query.overdue, year=query.year
    )
    today = timezone.localdate()
    return [_task_row(t, today) for t in rows[:1000]]


class FiguresQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/tasks/figures", summary="Follow-up figures (the public: over the published directions)")
def task_figures(request, query: Query[FiguresQuery]):
    """The answer is cached as the JSON sent, gzipped once (`core.jsoncache`): at national scale a
    year's figures by unit and direction are some 400 kB, and encoding them on every request cost
    more than the cached figures themselves."""
    from django.utils.translation import get_language

    from zonedesk.core.jsoncache import cached_json

    published_only = not actor_of(request.user).is_board_side
    year = query.year or timezone.localdate().year

    def build():
        data = figures.compute(year=year, published_only=published_only)
        answer = {key: data[key] for key in ("year", "published_only", "whole", "by_unit", "by_direction")}
        return answer, figures.until_midnight()

    key = f"task-figures-json:{year}:{int(published_only)}:{get_language() or 'vi'}"
    return cached_json(request, figures.TASK_FIGURES_GENERATION, key, build)


class ReportIn(InputSchema):
    text: str = Field(..., max_length=20_000)
    percent: int = Field(..., ge=0, le=100)
    done: bool = False
    version: int = version_field("task", "GET /tasks answers it")


@router.post(
    "/tasks/{task_id}/reports",
    response={201: TaskOut, **ERRORS},
    auth=django_auth,
    summary="Report on a task (its lead unit)",
)
def task_report(request, task_id: int, payload: ReportIn):
    from django.http import Http404

    task = Task.objects.led_by_user(_user(request)).filter(pk=task_id).first()
    if task is None:
        raise Http404
    services.task_report(
        task=task,
        by=request.user,
        text=payload.text,
        percent=payload.percent,
        done=payload.done,
        version=payload.version,
    )
    task.refresh_from_db()
    return Status(201, _task_row(task, timezone.localdate()))
