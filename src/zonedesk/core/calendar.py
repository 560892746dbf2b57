"""The Vietnamese working-day calendar.

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
    from zonedesk.core.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day"))


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
