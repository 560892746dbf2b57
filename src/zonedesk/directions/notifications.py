"""Who is told what about a task's steps (the inbox is the platform's, `cases.notifications`):
the lead unit when a task is assigned, accepted or returned; the one who issued the direction
and the board's leaders when a task is reported done."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from zonedesk.cases.notifications import notify_users
from zonedesk.directions.people import board_leaders, lead_people

TO_LEAD = {
    "issue": gettext_lazy("A new task for your unit: %(task)s (deadline %(deadline)s)."),
    "accept": gettext_lazy("Your report was accepted: the task %(task)s is done."),
    "return": gettext_lazy("The task %(task)s was returned for more work: %(reason)s"),
}


def _deadline(task: Any) -> str:
    return task.deadline.strftime("%d/%m/%Y") if task.deadline else str(gettext_lazy("regular"))


def on_event(task: Any, action: str, **data: Any) -> None:
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):  # the inbox is Vietnamese first
        _tell(task, action, **data)


def _tell(task: Any, action: str, **data: Any) -> None:
    values = {"task": f"{task.direction.number or task.direction_id}/{task.number}", "deadline": _deadline(task)}
    values["reason"] = data.get("reason", "")
    link = task.get_absolute_url()
    if action in TO_LEAD:
        text = str(TO_LEAD[action]) % values
        notify_users(users=lead_people(task), subject=text[:255], body=text, link=link)
    if action == "report" and data.get("done"):
        text = str(gettext_lazy("Task %(task)s was reported done and waits for your acceptance.")) % values
        people = board_leaders()
        if task.direction.issued_by_id:
            from zonedesk.core.models import User

            people = User.objects.filter(pk__in=[*people.values_list("pk", flat=True), task.direction.issued_by_id])
        notify_users(users=people, subject=text[:255], body=text, link=link)
