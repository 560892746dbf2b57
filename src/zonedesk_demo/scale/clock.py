"""Deadlines for generated petitions, on the app's calendar laid out once.

A million petitions walk through about ten steps each, every step some office hours after the
last. Calling the app's calendar per step (`core.calendar.add_working_hours` reads the
calendar exceptions and the office-hours rule from the database on every call) would take
hours, so:

* `OfficeClock` lays the office time of the period out once (the working days of
  `core.calendar.is_working_day`, with the board's `CalendarDay` exceptions, and the blocks of
  the `calendar.office_hours` rule) and then adds office hours with two bisections. It mirrors
  `add_working_hours` exactly, including its choice of "12:00" over "13:00" when a count ends
  at the close of a block; tests compare the two on every generated petition.
* `Deadlines` asks `sla.policy_for` once per category, priority and change of policy, and counts
  the day-based deadlines (the close of office N working days later) on the same clock. The
  tests replay every generated petition with `petitions.sla` and `core.calendar` themselves.

Moments are whole seconds since the epoch (UTC) throughout the generator: cheap to compare and
add, turned into aware datetimes only when a row is written.
"""

from __future__ import annotations

import bisect
import datetime as dt

from django.utils import timezone

from zonedesk.core.calendar import is_working_day
from zonedesk.core.models import CalendarDay, Rule
from zonedesk.core.rules import rule_value
from zonedesk.petitions import sla
from zonedesk.petitions.models import Category, Priority, SLAPolicy

HOUR = 3600
DAY = 86400
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


def _boundaries(first: dt.date, last: dt.date, dates: list[dt.date]) -> list[dt.date]:
    """The days from which a dated rule may change between `first` and `last`: `first` and every
    effective date inside the period. A value read on each boundary holds until the next one."""
    return sorted({first, *(d for d in dates if first < d <= last)})


def _by_boundary(boundaries: list[dt.date], day: dt.date) -> dt.date:
    return boundaries[max(bisect.bisect_right(boundaries, day) - 1, 0)]


class OfficeClock:
    """The office time between two days: working days and their office-hour blocks, laid out as
    one line of office seconds, so that adding office hours is a lookup."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        self.first, self.last = first, last
        self.tz = timezone.get_default_timezone()
        exceptions = dict(
            CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list("date", "is_working_day")
        )
        hours_changes = list(
            Rule.objects.filter(key="calendar.office_hours", effective_from__gt=first, effective_from__lte=last)
            .order_by("effective_from")
            .values_list("effective_from", flat=True)
        )
        hour_days = _boundaries(first, last, hours_changes)
        blocks_on = {
            b: [
                (dt.time.fromisoformat(a), dt.time.fromisoformat(z))
                for a, z in rule_value("calendar.office_hours", on=b)
            ]
            for b in hour_days
        }
        self.working_days: list[dt.date] = []
        self.closing: dict[dt.date, int] = {}  # working day -> the close of its last office block
        self.starts: list[int] = []  # each office block: start, end (epoch seconds) ...
        self.ends: list[int] = []
        self.before: list[int] = []  # ... and the office seconds of all blocks before it
        total = 0
        day = first
        while day <= last:
            if is_working_day(day, exceptions=exceptions):
                self.working_days.append(day)
                for begin, end in blocks_on[_by_boundary(hour_days, day)]:
                    a = int(dt.datetime.combine(day, begin, self.tz).timestamp())
                    z = int(dt.datetime.combine(day, end, self.tz).timestamp())
                    self.starts.append(a)
                    self.ends.append(z)
                    self.before.append(total)
                    total += z - a
                    self.closing[day] = z
            day += dt.timedelta(days=1)
        self.until = [b + (z - a) for a, z, b in zip(self.starts, self.ends, self.before, strict=True)]
        self.limit = self.ends[-1]
        # A zone without daylight saving time (Vietnam's): local days are plain arithmetic.
        samples = {
            dt.datetime.combine(first + dt.timedelta(days=d), dt.time(12), self.tz).utcoffset()
            for d in range(0, (last - first).days + 1, 7)
        }
        self.offset = int(samples.pop().total_seconds()) if len(samples) == 1 else None

    # -- office time

    def position(self, t: int) -> int:
        """Office seconds before moment `t` (a moment out of office counts from the next block)."""
        i = bisect.bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        return self.before[i] + min(t - self.starts[i], self.ends[i] - self.starts[i])

    def moment(self, position: int) -> int:
        """The moment at which `position` office seconds have passed; a count that ends exactly at
        the close of a block ends there (12:00, not 13:00), as `add_working_hours` answers."""
        i = bisect.bisect_left(self.until, position)
        if i >= len(self.starts):
            raise ValueError("past the end of the generator's calendar")
        return self.starts[i] + (position - self.before[i])

    def add(self, t: int, seconds: int) -> int:
        """`core.calendar.add_working_hours(t, seconds / 3600)`, for seconds > 0."""
        return self.moment(self.position(t) + seconds)

    def between(self, a: int, b: int) -> int:
        """Office seconds from `a` to `b` (`core.calendar.working_hours_between`, in seconds)."""
        return max(self.position(b) - self.position(a), 0)

    def add_working_days(self, day: dt.date, days: int) -> dt.date:
        """`core.calendar.add_working_days`: the day `days` working days after `day` (its own day
        does not count)."""
        if days <= 0:
            return day
        i = bisect.bisect_right(self.working_days, day) + days - 1
        if i >= len(self.working_days):
            raise ValueError("past the end of the generator's calendar")
        return self.working_days[i]

    def is_office(self, t: int) -> bool:
        i = bisect.bisect_right(self.starts, t) - 1
        return i >= 0 and t < self.ends[i]

    # -- days

    def local_day(self, t: int) -> dt.date:
        """The local date of a moment."""
        if self.offset is not None:
            return dt.date.fromordinal(EPOCH_ORDINAL + (t + self.offset) // DAY)
        return dt.datetime.fromtimestamp(t, self.tz).date()

    def at(self, day: dt.date, hour: int = 0, minute: int = 0, second: int = 0) -> int:
        """The moment of a local date and time."""
        if self.offset is not None:
            return (day.toordinal() - EPOCH_ORDINAL) * DAY + hour * HOUR + minute * 60 + second - self.offset
        return int(dt.datetime.combine(day, dt.time(hour, minute, second), self.tz).timestamp())

    def office_blocks(self, day: dt.date) -> list[tuple[int, int]]:
        """The office blocks of a working day (none on a day off)."""
        a = self.at(day)
        i = bisect.bisect_left(self.starts, a)
        out = []
        while i < len(self.starts) and self.starts[i] < a + DAY:
            out.append((self.starts[i], self.ends[i]))
            i += 1
        return out


class Deadlines:
    """The SLA deadlines of `petitions.sla`: the policies asked once per category, priority and
    change of policy (`sla.policy_for`), the deadlines counted on the `OfficeClock` as
    `sla.due_after_days`, `sla.answer_due` and `petition_extend` count them (the close of office
    N working days later, or N office hours later). No question to the database once built: the
    rows are copied in the background meanwhile, and a query would wait for the copy."""

    def __init__(self, clock: OfficeClock) -> None:
        self.clock = clock
        changes = list(
            SLAPolicy.objects.filter(effective_from__gt=clock.first, effective_from__lte=clock.last).values_list(
                "effective_from", flat=True
            )
        )
        self.policy_days = _boundaries(clock.first, clock.last, changes)
        self.policies: dict[tuple[str, str, dt.date], sla.Policy] = {
            (c, p, b): sla.policy_for(category=c, priority=p, on=b)
            for c in Category.values
            for p in Priority.values
            for b in self.policy_days
        }

    def policy(self, category: str, priority: str, day: dt.date) -> sla.Policy:
        """`sla.policy_for(category=..., priority=..., on=day)`."""
        return self.policies[(category, priority, _by_boundary(self.policy_days, day))]

    def after_days(self, day: dt.date, days: int) -> int:
        """`sla.due_after_days`: the close of office `days` working days after `day`."""
        return self.clock.closing[self.clock.add_working_days(day, days)]

    def acknowledge(self, policy: sla.Policy, t: int) -> int:
        """`add_working_hours(received_at, policy.acknowledge_hours)`."""
        return self.clock.add(t, policy.acknowledge_hours * HOUR)

    def answer(self, policy: sla.Policy, t: int) -> int:
        """`sla.answer_due(policy, t)`."""
        if policy.answer_hours is not None:
            return self.clock.add(t, policy.answer_hours * HOUR)
        return self.after_days(self.clock.local_day(t), policy.answer_days or 15)

    def transfer(self, policy: sla.Policy, t: int) -> int:
        """`sla.due_after_days(t, policy.transfer_days)`: when an assigned agency must hand a
        petition outside its competence back."""
        return self.after_days(self.clock.local_day(t), policy.transfer_days)

    def extend(self, due: int, days: int) -> int:
        """The deadline of `services.petition_extend`: the close of office `days` working days
        after the day of the old deadline."""
        return self.after_days(self.clock.local_day(due), days)

    def working_days_after(self, day: dt.date, days: int) -> dt.date:
        """`core.calendar.working_days_after` (escalation steps)."""
        return self.clock.add_working_days(day, days)
