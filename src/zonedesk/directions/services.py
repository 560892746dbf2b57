"""Every write of the follow-up of directions, each in one transaction: issuing a direction with
its tasks, publishing it, a lead unit's progress report, the board's acceptance or return of the
work, and the reminders (`tasks_remind`, the worker's periodic job).

Reminders run on the working-day clock (`core.calendar`: weekends, Tết and the other holidays):
the lead unit is reminded 7, 3 and 1 working days before the deadline (the rule
`directions.reminder_days`), then, once overdue, the task escalates a level at each step of
`directions.escalation_days` (working days after the deadline: the lead unit's head, then the
board's leaders). A lead unit that has not reported for `directions.report_every_days` days is
reminded too. Every reminder sent is recorded (`TaskReminder`, unique per task and key): a run
again on the same day, or a run that finds a reminder already sent, sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.cases import timeline
from zonedesk.cases.notifications import notify_users
from zonedesk.core.calendar import add_working_days, subtract_working_days, working_days_between
from zonedesk.core.errors import ServiceError
from zonedesk.core.files import check_upload
from zonedesk.core.models import Agency
from zonedesk.core.rules import rule_value
from zonedesk.core.versions import locked
from zonedesk.directions import links
from zonedesk.directions.models import (
    WORKING_STATUSES,
    Direction,
    DirectionKind,
    ProgressReport,
    Status,
    Task,
    TaskEvent,
    TaskLink,
    TaskReminder,
)
from zonedesk.directions.people import board_leaders, lead_heads, lead_people
from zonedesk.directions.workflow import TASK

# lazy: said in the language of whoever is refused, not of the process that imported this
TASK_CHANGED = gettext_lazy(
    "The task was changed by someone else (version %(theirs)s, you had read %(yours)s): read it again."
)
DIRECTION_CHANGED = gettext_lazy(
    "The direction was changed by someone else (version %(theirs)s, you had read %(yours)s): read it again."
)
MAX_TASKS = 100
MAX_TEXT = 20_000


# --- leads ---------------------------------------------------------------------------------------
def lead_from(value: Any) -> Any:
    """An agency, a unit of the board or an enterprise, from itself or its key ("agency:12",
    "unit:3", "enterprise:40"); None when it names nothing."""
    from zonedesk.investment.models import Enterprise
    from zonedesk.procedures.models import Unit

    if isinstance(value, Agency | Unit | Enterprise):
        return value
    if not isinstance(value, str) or ":" not in value:
        return None
    kind, _sep, pk = value.partition(":")
    from zonedesk.core.numbers import whole

    number = whole(pk, max_digits=12)
    if number is None:
        return None
    model: Any = {"agency": Agency, "unit": Unit, "enterprise": Enterprise}.get(kind)
    return None if model is None else model._default_manager.filter(pk=number).first()


def _lead_fields(lead: Any) -> dict[str, Any]:
    from zonedesk.procedures.models import Unit

    if isinstance(lead, Agency):
        return {"lead_agency": lead}
    if isinstance(lead, Unit):
        return {"lead_unit": lead}
    return {"lead_enterprise": lead}


def _may_issue(by: Any) -> bool:
    return by is None or (by.is_active and by.role in {"board", "leader", "admin"})


def _check_pdf(upload: Any, field: str) -> Any:
    try:
        return check_upload(
            upload,
            limit=rule_value("directions.file_max_bytes"),
            kinds=frozenset({"pdf"}),
            accepted=_("Accepted: PDF."),
        )
    except ServiceError as exc:
        raise ServiceError({field: exc.message_dict.get("file", exc.messages)}) from exc


def _clean_text(value: Any, field: str, errors: dict[str, str], *, required: bool, limit: int = MAX_TEXT) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if "\x00" in text:
        errors[field] = _("The text holds a character that is not allowed.")
    elif required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > limit:
        errors[field] = _("At most %(n)s characters.") % {"n": limit}
    return text


# --- issuing ---------------------------------------------------------------------------------------
@transaction.atomic
def direction_issue(
    *,
    by: Any,
    kind: str,
    title_vi: str,
    date: dt.date,
    tasks: Sequence[Mapping[str, Any]],
    number: str = "",
    issuer: str = "",
    title_en: str = "",
    summary: str = "",
    document: Any = None,
    published: bool | None = None,
    conference: Any = None,
    at: dt.datetime | None = None,
) -> Direction:
    """A direction and the tasks it sets, in one call. A task: `content`, `lead` (an agency, a
    unit of the board or an enterprise, or its key), `deadline` (a date; None: a regular task),
    `support` and `monitor` (agencies and units, or their keys), `links` ((kind, target) pairs).
    Conference conclusions are published by default; anything else when the board says so."""
    if not _may_issue(by):
        raise PermissionDenied(_("Only the board's officers and leaders issue directions."))
    at = at or timezone.now()
    errors: dict[str, str] = {}
    if kind not in DirectionKind.values:
        errors["kind"] = _("Unknown kind of direction.")
    title_vi = _clean_text(title_vi, "title_vi", errors, required=True, limit=500)
    title_en = _clean_text(title_en, "title_en", errors, required=False, limit=500)
    number = _clean_text(number, "number", errors, required=False, limit=60)
    summary = _clean_text(summary, "summary", errors, required=False)
    issuer = _clean_text(issuer, "issuer", errors, required=False, limit=255)
    if not issuer and by is not None:
        issuer = by.get_full_name() or by.username
    if not isinstance(date, dt.date) or not (dt.date(2000, 1, 1) <= date <= dt.date(2100, 12, 31)):
        errors["date"] = _("Enter a valid date.")
        date = timezone.localdate(at)
    if conference is not None and kind != DirectionKind.CONFERENCE:
        errors["conference"] = _("Only a conference's conclusions name the conference.")
    if not tasks:
        errors["tasks"] = _("A direction sets at least one task.")
    elif len(tasks) > MAX_TASKS:
        errors["tasks"] = _("At most %(n)s tasks in one direction.") % {"n": MAX_TASKS}
    rows = []
    for i, spec in enumerate(tasks[:MAX_TASKS], start=1):
        row = spec.get("row")  # the form's row (blank rows are left out): its errors go there
        key = f"task_{row if isinstance(row, int) and 0 < row <= MAX_TASKS else i}"
        content = _clean_text(spec.get("content"), f"{key}_content", errors, required=True)
        lead = lead_from(spec.get("lead"))
        if lead is None:
            errors[f"{key}_lead"] = _("Choose the one unit that leads the task.")
        deadline = spec.get("deadline")
        if deadline is not None and (not isinstance(deadline, dt.date) or deadline < date):
            errors[f"{key}_deadline"] = _("The deadline is a date on or after the direction's date.")
        elif deadline is not None and deadline > dt.date(2100, 12, 31):
            errors[f"{key}_deadline"] = _("Enter a valid date.")
        support: list[Any] = []
        monitor: list[Any] = []
        for name, bucket in (("support", support), ("monitor", monitor)):
            for value in spec.get(name) or ():
                found = lead_from(value)
                if found is None or found.__class__.__name__ == "Enterprise":
                    errors[f"{key}_{name}"] = _("Choose agencies or units of the board.")
                else:
                    bucket.append(found)
        task_links = []
        for link_kind, target in spec.get("links") or ():
            if link_kind not in links.KINDS or links.resolve(link_kind, str(target)) is None:
                errors[f"{key}_links"] = _("The task links to something that does not exist.")
            else:
                task_links.append((link_kind, str(target)))
        rows.append((content, lead, deadline, support, monitor, task_links))
    if errors:
        raise ServiceError(errors)
    checked = _check_pdf(document, "document") if document is not None else None
    direction = Direction(
        kind=kind,
        number=number,
        date=date,
        issuer=issuer,
        issued_by=by,
        title_vi=title_vi,
        title_en=title_en,
        summary=summary,
        published=(kind == DirectionKind.CONFERENCE) if published is None else bool(published),
        conference=conference,
        created_at=at,
    )
    if checked is not None:
        checked.upload.seek(0)
        direction.document.save(checked.name, checked.upload, save=False)
    direction.save()
    for i, (content, lead, deadline, support, monitor, task_links) in enumerate(rows, start=1):
        task = Task.objects.create(
            direction=direction, number=i, content=content, deadline=deadline, assigned_at=at, **_lead_fields(lead)
        )
        _set_parties(task, support, "support")
        _set_parties(task, monitor, "monitor")
        TaskLink.objects.bulk_create([TaskLink(task=task, kind=k, target=t) for k, t in task_links])
        timeline.record(TaskEvent, task, "issue", by, from_status="", to_status=Status.ASSIGNED, at=at)
    return direction


def _set_parties(task: Task, parties: Iterable[Any], role: str) -> None:
    agencies = [p for p in parties if isinstance(p, Agency)]
    units = [p for p in parties if not isinstance(p, Agency)]
    getattr(task, f"{role}_agencies").set(agencies)
    getattr(task, f"{role}_units").set(units)


@transaction.atomic
def direction_publish(*, direction: Direction, by: Any, published: bool, version: int | None) -> Direction:
    """Show the direction and its tasks to the public, or stop showing them."""
    if not _may_issue(by):
        raise PermissionDenied(_("Only the board's officers and leaders publish directions."))
    direction = locked(direction, version, DIRECTION_CHANGED)
    direction.published = bool(published)
    direction.version += 1
    direction.save(update_fields=["published", "version"])
    return direction


# --- the lead unit's reports -----------------------------------------------------------------------
def _lock(task: Task, version: int | None) -> Task:
    return locked(task, version, TASK_CHANGED, related=("direction",))


def _save(task: Task, fields: Iterable[str]) -> None:
    task.version += 1
    task.save(update_fields=sorted({*fields, "version"}))


@transaction.atomic
def task_report(
    *,
    task: Task,
    by: Any,
    text: str,
    percent: Any,
    done: bool = False,
    file: Any = None,
    version: int | None,
    at: dt.datetime | None = None,
) -> ProgressReport:
    """A progress report of the task's lead unit (only its members report). Reporting it done
    sends it to the board for acceptance; it is finished only once accepted."""
    task = _lock(task, version)
    if not TASK.may_attempt(task, "report", by):
        raise PermissionDenied(_("Only the unit that leads the task reports on it."))
    if task.status not in WORKING_STATUSES:
        raise ServiceError({"__all__": _("The task is awaiting acceptance or done: it takes no more reports.")})
    at = at or timezone.now()
    errors: dict[str, str] = {}
    text = _clean_text(text, "text", errors, required=True)
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        errors["percent"] = _("Give the progress as a whole number from 0 to 100.")
    if errors:
        raise ServiceError(errors)
    done = bool(done) or percent == 100
    checked = _check_pdf(file, "file") if file is not None else None
    report = ProgressReport(task=task, author=by, text=text, percent=100 if done else percent, done=done, created_at=at)
    if checked is not None:
        checked.upload.seek(0)
        report.original_name = checked.name
        report.file.save(checked.name, checked.upload, save=False)
    report.save()
    before = task.status
    task.percent = report.percent
    task.last_report_at = at
    task.status = Status.REPORTED if done else Status.IN_PROGRESS
    fields = ["percent", "last_report_at", "status"]
    if done:
        task.reported_done_at = at
        fields.append("reported_done_at")
    _save(task, fields)
    timeline.record(TaskEvent, task, "report", by, from_status=before, at=at, percent=report.percent, done=done)
    return report


# --- the board's acceptance ------------------------------------------------------------------------
@transaction.atomic
def task_decide(
    *, task: Task, action: str, by: Any, reason: str = "", version: int | None, at: dt.datetime | None = None
) -> Task:
    """Accept the work reported done (the task is done: on time when reported by its deadline),
    or return it for more work with the reason."""
    task = _lock(task, version)
    if action not in {"accept", "return"}:
        raise ServiceError({"action": _("Unknown action.")})
    if isinstance(reason, str) and "\x00" in reason:
        raise ServiceError({"reason": _("The text holds a character that is not allowed.")})
    move = TASK.move(task, action, by, reason)
    at = at or timezone.now()
    fields = ["status"]
    if action == "accept":
        task.done_at = at
        reported = timezone.localdate(task.reported_done_at or at)
        task.on_time = True if task.deadline is None else reported <= task.deadline
        fields += ["done_at", "on_time"]
    else:
        task.reported_done_at = None
        fields.append("reported_done_at")
    _save(task, fields)
    timeline.record(TaskEvent, task, action, by, from_status=move.from_state, reason=move.reason, at=at)
    return task


# --- reminders ---------------------------------------------------------------------------------------
def working_days_before(day: dt.date, days: int) -> dt.date:
    """The working day `days` working days before `day` (weekends and holidays skipped)."""
    return subtract_working_days(day, days)


def _working_days_since(day: dt.date, today: dt.date) -> int:
    """Working days from the day after `day` to `today`, both counted."""
    return working_days_between(day, today)


def _send(task: Task, key: str, today: dt.date, people: Any, subject: str, body: str) -> bool:
    """Record the reminder `key` of the task (once) and tell `people`; False when it was sent before."""
    try:
        with transaction.atomic():
            reminder = TaskReminder.objects.create(task=task, key=key, sent_on=today)
    except IntegrityError:
        return False
    reminder.told = notify_users(users=people, subject=subject[:255], body=body, link=task.get_absolute_url())
    reminder.save(update_fields=["told"])
    return True


def _label(task: Task) -> str:
    return f"{task.direction.number or task.direction.title_vi[:60]} / {task.number}: {task.content[:120]}"


def tasks_remind(*, today: dt.date | None = None) -> dict[str, int]:
    """The reminders due `today` (default: the local date), each sent once: before the deadline,
    escalations after it, missing periodic reports. Returns how many of each were sent."""
    today = today or timezone.localdate()
    sent = {"before": 0, "escalated": 0, "report": 0}
    before_days = sorted(int(d) for d in rule_value("directions.reminder_days", on=today))
    steps = [int(d) for d in rule_value("directions.escalation_days", on=today)]
    every = int(rule_value("directions.report_every_days", on=today))
    # only the tasks for which something may be due today are read (the tick runs every few
    # minutes, over every open task of the country): a deadline within reach of the first
    # reminder (a week's margin for days off), an overdue one not yet escalated to the last step,
    # or no report for a whole period; each is then checked exactly, as before
    horizon = add_working_days(today, max(before_days, default=0)) + dt.timedelta(days=7)
    cutoff = dt.datetime.combine(today - dt.timedelta(days=every), dt.time.max, tzinfo=timezone.get_current_timezone())
    may_be_due = Q(deadline__gte=today, deadline__lte=horizon) | Q(deadline__lt=today, escalation_level__lt=len(steps))
    if every > 0:
        may_be_due |= Q(last_report_at__lte=cutoff) | Q(last_report_at__isnull=True, assigned_at__lte=cutoff)
    open_tasks = (
        Task.objects.filter(status__in=sorted(WORKING_STATUSES))  # a task reported done waits on the board
        .filter(may_be_due)
        .select_related("direction")
        .order_by("deadline", "pk")
    )
    with translation.override(settings.LANGUAGE_CODE):
        for task in open_tasks:
            with transaction.atomic():
                if task.status in WORKING_STATUSES:
                    sent["before"] += _remind_before(task, today, before_days)
                    sent["report"] += _remind_report(task, today, every)
                if task.deadline is not None and task.deadline < today and task.status in WORKING_STATUSES:
                    sent["escalated"] += _escalate(task, today, steps)
    return sent


def _remind_before(task: Task, today: dt.date, before_days: list[int]) -> int:
    if task.deadline is None or task.deadline < today:
        return 0
    due = [n for n in before_days if working_days_before(task.deadline, n) <= today]
    if not due:
        return 0
    n = due[0]  # the most urgent reminder due; those before it are not sent late
    if TaskReminder.objects.filter(task=task, key=f"before:{n}").exists():
        return 0
    subject = _("Reminder: %(days)s working day(s) before the deadline (%(deadline)s) of %(task)s") % {
        "days": n,
        "deadline": task.deadline.strftime("%d/%m/%Y"),
        "task": _label(task),
    }
    if not _send(task, f"before:{n}", today, lead_people(task), subject, subject):
        return 0
    for m in due[1:]:  # the reminders it makes pointless
        TaskReminder.objects.get_or_create(task=task, key=f"before:{m}", defaults={"sent_on": today})
    timeline.record(TaskEvent, task, "remind", None, at=timezone.now(), notify=False, days=n)
    return 1


def _escalate(task: Task, today: dt.date, steps: list[int]) -> int:
    deadline = task.deadline
    assert deadline is not None  # noqa: S101 - only tasks with a deadline are escalated
    late = _working_days_since(deadline, today)
    level = sum(1 for d in steps if d == 0 or late >= d)  # 0: as soon as the deadline has passed
    told = 0
    for step in range(task.escalation_level + 1, level + 1):
        people = lead_heads(task) if step == 1 else board_leaders()
        subject = _("Overdue task (deadline %(deadline)s): %(task)s") % {
            "deadline": deadline.strftime("%d/%m/%Y"),
            "task": _label(task),
        }
        if step > 1:
            subject = _("Overdue for %(days)s working days, to the board's leaders: %(task)s") % {
                "days": late,
                "task": _label(task),
            }
        if _send(task, f"overdue:{step}", today, people, subject, subject):
            told += 1
            timeline.record(TaskEvent, task, "escalate", None, at=timezone.now(), notify=False, level=step)
    if level > task.escalation_level:
        Task.objects.filter(pk=task.pk).update(escalation_level=level)
        task.escalation_level = level
    return told


def _remind_report(task: Task, today: dt.date, every: int) -> int:
    if every <= 0:
        return 0
    last = timezone.localdate(task.last_report_at or task.assigned_at)
    if (today - last).days < every:
        return 0
    period = (today - timezone.localdate(task.assigned_at)).days // every
    subject = _("No progress report for %(days)s days: %(task)s") % {"days": (today - last).days, "task": _label(task)}
    return int(_send(task, f"report:{period}", today, lead_people(task), subject, subject))


__all__ = [
    "direction_issue",
    "direction_publish",
    "lead_from",
    "task_decide",
    "task_report",
    "tasks_remind",
    "working_days_before",
]
