"""The Vietnamese working-day calendar, by days and by office hours.

Public holidays (New Year, Tết, Hùng Kings, 30 April, 1 May, National Day) come from the
`holidays` package; the yearly swaps the government decides and any other exception come
from the `CalendarDay` table that the board edits, which wins over both.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("VN", years=year, language="vi").keys())


def _exceptions(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    """The board's exceptions between two days: one plain statement, read on every deadline a
    write computes (the ORM's query building was a tenth of the demo's build)."""
    from django.db import connection

    from zonedesk.core.models import CalendarDay

    table = connection.ops.quote_name(CalendarDay._meta.db_table)
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT "date", "is_working_day" FROM {table} WHERE "date" >= %s AND "date" <= %s',  # noqa: S608 - our table
            [adapt(start), adapt(end)],
        )
        rows = cursor.fetchall()
    return {_as_date(day): bool(working) for day, working in rows}


def _as_date(value: dt.date | str) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(value)


def is_working_day(day: dt.date, *, exceptions: dict[dt.date, bool] | None = None) -> bool:
    if exceptions is None:
        exceptions = _exceptions(day, day)
    if day in exceptions:
        return exceptions[day]
    return day.weekday() < 5 and day not in _public_holidays(day.year)


def next_working_day(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the first working day after it."""
    exceptions = _exceptions(day, day + dt.timedelta(days=30))
    while not is_working_day(day, exceptions=exceptions):
        day += dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, days: int) -> dt.date:
    exceptions = _exceptions(start, start + dt.timedelta(days=days * 2 + 30))
    day = start
    while days > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, exceptions=exceptions):
            days -= 1
    return day


def subtract_working_days(end: dt.date, days: int) -> dt.date:
    """The working day `days` working days before `end` (the board's exceptions read once)."""
    exceptions = _exceptions(end - dt.timedelta(days=days * 2 + 30), end)
    day = end
    while days > 0:
        day -= dt.timedelta(days=1)
        if is_working_day(day, exceptions=exceptions):
            days -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to `end`, both ends as days (0 when `end` is not after
    `start`); the board's exceptions read once, not a query a day."""
    if end <= start:
        return 0
    exceptions = _exceptions(start, end)
    return sum(
        1
        for n in range(1, (end - start).days + 1)
        if is_working_day(start + dt.timedelta(days=n), exceptions=exceptions)
    )


def working_days_after(start: dt.date, days: int) -> dt.date:
    """The day on which `days` working days after `start` end; the day of receipt does not count."""
    return add_working_days(start, days)


def _office_hours(on: dt.date) -> list[tuple[dt.time, dt.time]]:
    from zonedesk.core.rules import rule_value

    return [(dt.time.fromisoformat(a), dt.time.fromisoformat(b)) for a, b in rule_value("calendar.office_hours", on=on)]


def add_working_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """The moment `hours` of office time after `start` (an aware datetime), skipping nights,
    weekends and days off. Office hours are a rule (08:00–12:00 and 13:00–17:00 by default)."""
    from django.utils import timezone

    tz = timezone.get_default_timezone()
    current = timezone.localtime(start, tz)
    remaining = dt.timedelta(hours=hours)
    exceptions = _exceptions(current.date(), current.date() + dt.timedelta(days=int(hours // 4) * 3 + 40))
    day = current.date()
    blocks = _office_hours(day)  # the rule in force when the count starts
    while True:
        if is_working_day(day, exceptions=exceptions):
            for begin, end in blocks:
                block_start = dt.datetime.combine(day, begin, tz)
                block_end = dt.datetime.combine(day, end, tz)
                if current >= block_end:
                    continue
                current = max(current, block_start)
                available = block_end - current
                if remaining <= available:
                    return current + remaining
                remaining -= available
                current = block_end
        day += dt.timedelta(days=1)
        current = dt.datetime.combine(day, dt.time(0), tz)


def working_hours_between(start: dt.datetime, end: dt.datetime) -> float:
    """Office hours between two moments (0 when `end` is not after `start`)."""
    from django.utils import timezone

    tz = timezone.get_default_timezone()
    start, end = timezone.localtime(start, tz), timezone.localtime(end, tz)
    if end <= start:
        return 0.0
    exceptions = _exceptions(start.date(), end.date())
    total = dt.timedelta()
    day = start.date()
    blocks = _office_hours(day)
    while day <= end.date():
        if is_working_day(day, exceptions=exceptions):
            for begin, finish in blocks:
                a = max(start, dt.datetime.combine(day, begin, tz))
                b = min(end, dt.datetime.combine(day, finish, tz))
                if b > a:
                    total += b - a
        day += dt.timedelta(days=1)
    return total.total_seconds() / 3600
