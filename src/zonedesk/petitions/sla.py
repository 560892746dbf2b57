"""Deadlines of a petition from the board's SLA policies, on the working-day calendar.

Defaults drawn from Vietnamese practice (the board changes them as `SLAPolicy` rows):
acknowledge within 8 office hours (urgent: 4), forward a petition outside the agency's
competence within 5 working days, answer within 15 working days (urgent: 5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from zonedesk.core.calendar import add_working_days, add_working_hours, is_working_day
from zonedesk.core.rules import rule_value
from zonedesk.petitions.models import Priority, SLAPolicy


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


def end_of_working_day(day: dt.date) -> dt.datetime:
    """The close of office on a day (17:00 by default), as an aware datetime."""
    last_block = rule_value("calendar.office_hours", on=day)[-1]
    return dt.datetime.combine(day, dt.time.fromisoformat(last_block[1]), timezone.get_default_timezone())


def due_after_days(start: dt.datetime, days: int) -> dt.datetime:
    """The close of office on the day N working days after `start` (its own day does not count)."""
    return end_of_working_day(add_working_days(timezone.localdate(start), days))


def answer_due(policy: Policy, start: dt.datetime) -> dt.datetime:
    if policy.answer_hours is not None:
        return add_working_hours(start, policy.answer_hours)
    return due_after_days(start, policy.answer_days or 15)


__all__ = ["DEFAULTS", "Policy", "answer_due", "due_after_days", "end_of_working_day", "is_working_day", "policy_for"]
