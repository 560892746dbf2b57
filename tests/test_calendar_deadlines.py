"""Deadlines on the Vietnamese working-day calendar, with real dates."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from zonedesk.core.calendar import add_working_hours, working_days_after, working_hours_between
from zonedesk.core.models import CalendarDay

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=HANOI)


def test_fifteen_working_days_across_tet_2026():
    # Received Wednesday 11 Feb 2026; Tết keeps offices shut 14–22 Feb (Sat 14 to Sun 22).
    # Working days: 12, 13 Feb (2), 23–27 Feb (7), 2–6 Mar (12), 9, 10, 11 Mar: the 15th.
    assert working_days_after(dt.date(2026, 2, 11), 15) == dt.date(2026, 3, 11)


def test_the_day_of_receipt_does_not_count():
    assert working_days_after(dt.date(2026, 11, 16), 1) == dt.date(2026, 11, 17)
    assert working_days_after(dt.date(2026, 11, 20), 1) == dt.date(2026, 11, 23)  # Friday → Monday
    # 24 November is Vietnam Culture Day, a day off from 2026
    assert working_days_after(dt.date(2026, 11, 23), 1) == dt.date(2026, 11, 25)


def test_a_compensating_working_saturday_counts_once_the_board_records_it():
    # 2026: 31 Aug off in exchange for working Saturday 22 Aug.
    start = dt.date(2026, 8, 20)  # Thursday
    assert working_days_after(start, 2) == dt.date(2026, 8, 24)  # Fri 21, Mon 24
    CalendarDay.objects.create(date=dt.date(2026, 8, 22), is_working_day=True, name="Làm bù ngày 31/8")
    assert working_days_after(start, 2) == dt.date(2026, 8, 22)  # Fri 21, Sat 22
    # and 31 Aug (off) and 1–2 Sep (National Day) are skipped
    assert working_days_after(dt.date(2026, 8, 28), 1) == dt.date(2026, 9, 3)


def test_working_hours_skip_lunch_nights_and_weekends():
    assert add_working_hours(at(2026, 11, 16, 9, 0), 8) == at(2026, 11, 17, 9, 0)
    assert add_working_hours(at(2026, 11, 16, 11, 0), 2) == at(2026, 11, 16, 14, 0)  # lunch 12–13
    assert add_working_hours(at(2026, 11, 20, 16, 0), 4) == at(2026, 11, 23, 11, 0)  # Friday → Monday
    assert add_working_hours(at(2026, 11, 15, 20, 0), 1) == at(2026, 11, 16, 9, 0)  # received on a Sunday night
    assert add_working_hours(at(2026, 11, 23, 16, 0), 2) == at(2026, 11, 25, 9, 0)  # over Culture Day
    assert working_hours_between(at(2026, 11, 16, 9, 0), at(2026, 11, 17, 9, 0)) == 8


def test_working_hours_across_tet():
    # An urgent petition received Friday 13 Feb 2026 at 15:00: 4 office hours end Monday 23 Feb at 10:00.
    assert add_working_hours(at(2026, 2, 13, 15, 0), 4) == at(2026, 2, 23, 10, 0)


def test_due_date_contract(client):
    r = client.get("/api/v1/calendar/due-date?start=2026-02-11&working_days=15")
    assert r.status_code == 200
    assert r.json() == {"due_date": "2026-03-11"}
    assert client.get("/api/v1/calendar/due-date?start=2026-02-30&working_days=3").status_code == 422
    assert client.get("/api/v1/calendar/due-date?start=2026-02-11&working_days=-1").status_code == 422
