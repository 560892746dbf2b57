"""Deadlines of a petition from the board's SLA policies, on the case clock (`cases.clock`: the
working-day calendar).

Defaults drawn from Vietnamese practice (the board changes them as `SLAPolicy` rows):
acknowledge within 8 office hours (urgent: 4), forward a petition outside the agency's
competence within 5 working days, answer within 15 working days (urgent: 5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from zonedesk.cases.clock import Clock, due_after_days, due_after_hours, end_of_working_day
from zonedesk.core.calendar import add_working_days, is_working_day
from zonedesk.petitions.models import Priority, SLAPolicy

# the answer deadline is the one the clock pauses, extends and escalates
CLOCK = Clock(due_field="answer_due_at", paused_field="paused_at")


@dataclass(frozen=True)
class Policy:
    acknowledge_hours: int
    transfer_days: int
    answer_days: int | None
    answer_hours: int | None


DEFAULTS = {
    Priority.NORMAL: Policy(acknowledge_hours=8, transfer_days=5, answer_days=15, answer_hours=None),
    Priority.URGENT: Policy(acknowledge_hours=4, transfer_days=5, answer_days=5, answer_hours=None),
}


def policy_for(*, category: str, priority: str, on: dt.date) -> Policy:
    """The most specific policy in force on a day: category and priority, then either, then neither."""
    rows = SLAPolicy.objects.filter(effective_from__lte=on).filter(
        Q(category=category) | Q(category=""), Q(priority=priority) | Q(priority="")
    )
    best = sorted(rows, key=lambda r: (r.category != "", r.priority != "", r.effective_from), reverse=True)
    if best:
        r = best[0]
        return Policy(r.acknowledge_hours, r.transfer_days, r.answer_days, r.answer_hours)
    return DEFAULTS[Priority(priority)]


def answer_due(policy: Policy, start: dt.datetime) -> dt.datetime:
    if policy.answer_hours is not None:
        return due_after_hours(start, policy.answer_hours)
    return due_after_days(start, policy.answer_days or 15)


__all__ = [
    "CLOCK",
    "DEFAULTS",
    "Policy",
    "add_working_days",
    "answer_due",
    "due_after_days",
    "end_of_working_day",
    "is_working_day",
    "policy_for",
]
