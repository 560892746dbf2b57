"""A case type's clock: deadlines in office hours or working days on the Vietnamese calendar
(`core.calendar`: weekends, Tết and the other public holidays, the board's `CalendarDay`
exceptions; office hours are the rule `calendar.office_hours`), paused while the case waits for
someone outside, extended, and escalated step by step once overdue.

A `Clock` names the two fields of the case that it moves (`due_field`, `paused_field`); its
methods change the case in memory and return the fields they changed, for the caller's save
(inside its transaction, on the row it locked):

    CLOCK = Clock(due_field="answer_due_at", paused_field="paused_at")
    dossier.answer_due_at = due_after_days(received_at, 15)
    fields = CLOCK.pause(dossier, at=now)         # waiting for the applicant
    fields = CLOCK.resume(dossier, at=later)      # the deadline moves by the office hours it waited
    fields = CLOCK.extend(dossier, days=10)       # the close of office, 10 working days later
    level = escalation_level(dossier.answer_due_at, now=now, steps=[0, 5, 10])
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from zonedesk.core.calendar import add_working_days, add_working_hours, working_days_after, working_hours_between
from zonedesk.core.rules import rule_value


def end_of_working_day(day: dt.date) -> dt.datetime:
    """The close of office on a day (17:00 by default), as an aware datetime."""
    last_block = rule_value("calendar.office_hours", on=day)[-1]
    return dt.datetime.combine(day, dt.time.fromisoformat(last_block[1]), timezone.get_default_timezone())


def due_after_days(start: dt.datetime, days: int) -> dt.datetime:
    """The close of office on the day N working days after `start` (its own day does not count)."""
    return end_of_working_day(add_working_days(timezone.localdate(start), days))


def due_after_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """The moment `hours` office hours after `start` (nights, weekends and days off skipped)."""
    return add_working_hours(start, hours)


def escalation_level(due: dt.datetime, *, now: dt.datetime, steps: Sequence[int]) -> int:
    """How many escalation steps a case overdue since `due` has reached by `now`: step i is
    reached `steps[i]` working days after the due day (0: as soon as it is overdue)."""
    if now <= due:
        return 0
    due_day, today = timezone.localdate(due), timezone.localdate(now)
    return sum(1 for d in steps if d == 0 or working_days_after(due_day, d) <= today)


@dataclass(frozen=True)
class Clock:
    due_field: str
    paused_field: str = "paused_at"

    def due(self, case: Any) -> dt.datetime | None:
        due: dt.datetime | None = getattr(case, self.due_field)
        return due

    def is_paused(self, case: Any) -> bool:
        return getattr(case, self.paused_field) is not None

    def pause(self, case: Any, *, at: dt.datetime) -> list[str]:
        """Stop the clock from `at` (the caller refuses a case already paused, or closed)."""
        setattr(case, self.paused_field, at)
        return [self.paused_field]

    def resume(self, case: Any, *, at: dt.datetime) -> list[str]:
        """Run the clock again: the deadline moves by the office hours it stood still. Nothing
        changes when it was not paused."""
        paused = getattr(case, self.paused_field)
        if paused is None:
            return []
        due = self.due(case)
        if due is not None:
            setattr(case, self.due_field, add_working_hours(due, working_hours_between(paused, at)))
        setattr(case, self.paused_field, None)
        return [self.paused_field, self.due_field]

    def extend(self, case: Any, *, days: int) -> list[str]:
        """Move the deadline to the close of office `days` working days after its own day."""
        due = self.due(case)
        setattr(case, self.due_field, end_of_working_day(add_working_days(timezone.localdate(due), days)))
        return [self.due_field]


__all__ = ["Clock", "due_after_days", "due_after_hours", "end_of_working_day", "escalation_level"]
