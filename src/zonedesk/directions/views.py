"""The follow-up pages: the public list and page of published directions, the board's follow-up
(figures, ranking, tasks filtered), a direction's page with its tasks and reports, a unit's own
tasks with the report form, the form that issues a direction. Thin: reads in `selectors` and
`figures`, writes in `services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.core.errors import TransitionError
from zonedesk.core.formviews import save
from zonedesk.core.numbers import whole
from zonedesk.core.permissions import actor_of, get_restricted_or_404
from zonedesk.directions import figures, selectors, services
from zonedesk.directions.forms import DecideForm, DirectionForm, PublishForm, ReportForm, lead_choices
from zonedesk.directions.models import Direction, DirectionKind, Status, Task
from zonedesk.directions.workflow import TASK

PAGE_SIZE = 50


def _year(request: HttpRequest, default: int | None = None) -> int | None:
    year = whole(request.GET.get("year", ""), max_digits=4)
    return year if year is not None and 2000 <= year <= 2100 else default


def _is_board(user: Any) -> bool:
    return actor_of(user).is_board_side


def direction_list(request: HttpRequest) -> HttpResponse:
    """The directions a person may see (the public: those the board published), newest first."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in DirectionKind.values else ""
    year = _year(request)
    rows = selectors.directions_for(request.user, kind=kind, year=year).prefetch_related("tasks")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directions/direction_list.html",
        {
            "page": page,
            "kinds": DirectionKind.choices,
            "kind": kind,
            "year": year,
            "years": figures.years(),
            "is_board": _is_board(request.user),
            "today": timezone.localdate(),
        },
    )


def _direction_page(request: HttpRequest, direction: Direction, *, status: int = 200, forms: dict | None = None):
    user = request.user
    public = not user.is_authenticated
    tasks = list(
        direction.tasks.select_related("lead_agency", "lead_unit", "lead_enterprise").prefetch_related(
            "support_agencies", "support_units", "monitor_agencies", "monitor_units", "links"
        )
    )
    visible = set(Task.objects.restrict(user).filter(direction=direction).values_list("pk", flat=True))
    tasks = [t for t in tasks if t.pk in visible]
    forms = forms or {}
    rows = []
    reports = selectors.reports_by_task(tasks, user, limit=20)  # one query for the page, not one a task
    member = selectors.lead_member_test(user)
    for t in tasks:
        decide = None
        if not public and t.status == Status.REPORTED and TASK.may_attempt(t, "accept", user):
            decide = forms.get(t.pk) or DecideForm(initial={"version": t.version})
        acts_on = [] if public else _links(t, user)
        rows.append({"task": t, "reports": reports[t.pk], "decide": decide, "lead_member": member(t), "links": acts_on})
    return render(
        request,
        "directions/direction_detail.html",
        {
            "direction": direction,
            "rows": rows,
            "public": public,
            "today": timezone.localdate(),
            "may_publish": _is_board(user),
        },
        status=status,
    )


def _links(task: Task, user: Any) -> list[dict[str, Any]]:
    """What the task acts on, as the page names it to this person (a kind no longer registered, a
    target gone or one the person may not see: left out)."""
    from zonedesk.directions import links

    shown = []
    for link in task.links.all():
        found = links.resolve(link.kind, link.target, user)
        if found is not None:
            shown.append({"kind": links.KINDS[link.kind].label, "label": found[0], "url": found[1]})
    return shown


def direction_detail(request: HttpRequest, direction_id: int) -> HttpResponse:
    direction = get_restricted_or_404(Direction.objects.select_related("conference"), request.user, pk=direction_id)
    return _direction_page(request, direction)


def direction_document(request: HttpRequest, direction_id: int) -> HttpResponse:
    direction = get_restricted_or_404(Direction.objects.all(), request.user, pk=direction_id)
    if not direction.document:
        raise Http404
    name = f"{(direction.number or str(direction.pk)).replace('/', '-')}.pdf"
    try:
        handle = direction.document.storage.open(direction.document.name, "rb")
    except (FileNotFoundError, OSError) as exc:  # the file gone from the disk: not found, not a 500
        raise Http404 from exc
    return FileResponse(handle, content_type="application/pdf", filename=name)


def task_report_file(request: HttpRequest, task_id: int, report_id: int) -> HttpResponse:
    """A report's file, to whoever may read the report (the board's side, the lead unit's members:
    `selectors.reports_seen`); anyone else: not found, as for a report they cannot see."""
    task = get_restricted_or_404(Task.objects.all(), request.user, pk=task_id)
    report = selectors.reports_seen(task, request.user).filter(pk=report_id).exclude(file="").first()
    if report is None:
        raise Http404
    name = report.original_name or f"report-{report.pk}.pdf"
    try:
        handle = report.file.storage.open(report.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:  # the file gone from the disk: not found, not a 500
        raise Http404 from exc
    return FileResponse(handle, content_type="application/pdf", as_attachment=True, filename=name)


def direction_followup(request: HttpRequest) -> HttpResponse:
    """The board's and leaders' follow-up: the year's figures with a chart, the units ranked by
    their on-time rate, the tasks filtered by status, unit and overdue."""
    from zonedesk.core.charts import Series, chart

    years = figures.years()
    year = _year(request, years[0])
    data = figures.figures(year=year)
    status = request.GET.get("status", "")
    lead = request.GET.get("lead", "")[:40]
    overdue = request.GET.get("overdue") == "1"
    tasks = selectors.tasks_for(request.user, mine=False, status=status, lead=lead, overdue=overdue, year=year)
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("page"))
    units = [
        {**u, "pct": None if u["on_time_rate"] is None else round(u["on_time_rate"] * 100, 1)} for u in data["by_unit"]
    ]
    charts = {
        "units": chart(
            "bar",
            _("Tasks by lead unit"),
            units[:15],
            label=lambda u: u["name"][:40],
            series=[
                Series(_("Done on time"), lambda u: u["done_on_time"]),
                Series(_("Done late"), lambda u: u["done_late"]),
                Series(_("Overdue"), lambda u: u["overdue"]),
                Series(_("Under way"), lambda u: u["in_progress"]),
            ],
            stacked=True,
            horizontal=True,
            integer=True,
        )
    }
    return render(
        request,
        "directions/followup.html",
        {
            "data": data,
            "whole": data["whole"],
            "units": units,
            "charts": charts,
            "year": year,
            "years": sorted({*years, year}, reverse=True),
            "page": page,
            "statuses": Status.choices,
            "status": status,
            "lead": lead,
            "overdue": overdue,
            "leads": lead_choices()[1:],
            "today": timezone.localdate(),
        },
    )


def task_mine(request: HttpRequest) -> HttpResponse:
    """The tasks the person's own unit leads, each with its report form while it is worked on."""
    tasks = list(selectors.tasks_for(request.user, mine=True))
    return _mine_page(request, tasks)


def _mine_page(request: HttpRequest, tasks: list[Task], *, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    rows = [
        {
            "task": t,
            "form": (forms.get(t.pk) or ReportForm(initial={"version": t.version, "percent": t.percent}))
            if t.status in {"assigned", "in_progress", "returned"}
            else None,
            "last": t.reports.first(),
        }
        for t in tasks
    ]
    return render(request, "directions/task_mine.html", {"rows": rows, "today": timezone.localdate()}, status=status)


@require_POST
def task_report(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.led_by_user(request.user).select_related("direction"), pk=task_id)
    form = ReportForm(request.POST, request.FILES)
    saved = save(
        form,
        lambda cd: services.task_report(
            task=task,
            by=request.user,
            text=cd["text"],
            percent=cd["percent"],
            done=cd["done"],
            file=cd.get("file"),
            version=cd["version"],
        ),
        refused=(TransitionError,),
    )
    if saved.ok:
        messages.success(request, _("Your report was recorded."))
        return redirect(reverse("task_mine") + f"#task-{task.pk}")
    status = 409 if _read_again(form, task) else 400
    return _mine_page(request, list(selectors.tasks_for(request.user, mine=True)), forms={task.pk: form}, status=status)


@require_POST
def task_decide(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(Task.objects.select_related("direction"), pk=task_id)
    if not TASK.may_attempt(task, "accept", request.user):
        raise PermissionDenied
    form = DecideForm(request.POST)
    saved = save(
        form,
        lambda cd: services.task_decide(
            task=task, action=cd["action"], by=request.user, reason=cd["reason"], version=cd["version"]
        ),
        refused=(TransitionError,),
    )
    if saved.ok:
        messages.success(
            request,
            _("Accepted: the task is done.")
            if form.cleaned_data["action"] == "accept"
            else _("Returned for more work."),
        )
        return redirect(task.get_absolute_url())
    status = 409 if _read_again(form, task) else 400
    return _direction_page(request, task.direction, status=status, forms={task.pk: form})


def _read_again(form: Any, task: Task) -> bool:
    """After a refusal on a stale version: the form shown again carries the task's version now,
    so that the person, having read what changed, can send it (else every try is refused again)."""
    if not getattr(form, "conflict", False):
        return False
    data = form.data.copy()
    data["version"] = str(Task.objects.values_list("version", flat=True).get(pk=task.pk))
    form.data = data
    return True


def direction_new(request: HttpRequest) -> HttpResponse:
    """The form that issues a direction with its tasks (rows: `?rows=N`, three by default)."""
    asked = request.GET.get("rows", "") or request.POST.get("rows", "")
    rows = whole(asked, max_digits=2) or 3
    if request.method != "POST":
        form = DirectionForm(rows=rows, initial={"date": timezone.localdate(), "kind": DirectionKind.NOTICE})
        return render(request, "directions/direction_new.html", {"form": form})
    form = DirectionForm(request.POST, request.FILES, rows=rows)

    def write(cd: dict[str, Any]) -> Direction:
        return services.direction_issue(
            by=request.user,
            kind=cd["kind"],
            number=cd["number"],
            date=cd["date"],
            issuer=cd["issuer"],
            title_vi=cd["title_vi"],
            title_en=cd["title_en"],
            summary=cd["summary"],
            document=cd.get("document"),
            published=True if cd["published"] else None,
            tasks=form.tasks(),
        )

    saved = save(form, write, refused=(PermissionDenied,))
    if saved.ok:
        messages.success(request, _("The direction was issued; each lead unit was told of its task."))
        return redirect(saved.result.get_absolute_url())
    return render(request, "directions/direction_new.html", {"form": form}, status=400)


@require_POST
def direction_publish(request: HttpRequest, direction_id: int) -> HttpResponse:
    """Show the direction and its tasks to the public, or stop showing them (the board's side)."""
    direction = get_object_or_404(Direction, pk=direction_id)
    form = PublishForm(request.POST)
    saved = save(
        form,
        lambda cd: services.direction_publish(
            direction=direction, by=request.user, published=cd["published"], version=cd["version"]
        ),
    )
    if saved.ok:
        messages.success(
            request, _("Published with its tasks.") if saved.result.published else _("No longer shown to the public.")
        )
        return redirect(direction.get_absolute_url())
    status = 409 if getattr(form, "conflict", False) else 400
    response = _direction_page(request, direction, status=status)
    return response
