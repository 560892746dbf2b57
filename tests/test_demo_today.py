"""The demo is built relative to the day it is loaded: what a visitor sees is a board at work this
week, whatever the day (issue 22, item 3).

Two kinds of tests. Those of `built_on` build the registry, the petitions and the conferences as
of other days (a day in the middle of a year, two years later, the first working day after Tết),
each inside a transaction rolled back at the end of the module, and read the rows as of that
day's `demo_now`. Those of `demo_everything` read the demo of the run, built on the real today,
through the pages each demo account opens.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import Max
from django.test import override_settings
from django.utils import timezone

from zonedesk.core.calendar import is_working_day, working_hours_between
from zonedesk.core.models import User
from zonedesk.dialogue.demo import build_dialogue_demo
from zonedesk.dialogue.models import Conference, ConferenceStatus
from zonedesk.ecosystem.demo import measured_years
from zonedesk.investment.demo import build_demo, demo_now
from zonedesk.investment.models import PeriodicReport
from zonedesk.investment.selectors import default_year
from zonedesk.petitions.demo import build_petitions_demo
from zonedesk.petitions.models import OPEN_STATUSES, Petition, Status


def _first_working_day_after_tet() -> dt.date:
    """The first working day after the Tết holiday of 2027 (Tết falls on 6 February 2027), on
    the working-day calendar: the office reopens on a week of its own."""
    day = dt.date(2027, 2, 6)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


DAYS = ["2026-12-06", "2028-03-15", "after-tet-2027"]


@pytest.fixture(scope="module", params=DAYS)
def built_on(request, django_db_setup, django_db_blocker):
    """The registry, petitions and conferences of the demo as of one day, in demo mode. For the
    first day the petitions are built twice (the second time after rolling the first back), to
    compare the rows: the same seed and day give the same petitions."""
    with django_db_blocker.unblock():
        if request.param == "after-tet-2027":
            today = _first_working_day_after_tet()
        else:
            today = dt.date.fromisoformat(request.param)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEMO_MODE=True):
                build_demo(today=today)
                fingerprints = []
                if request.param == DAYS[0]:
                    before = transaction.savepoint()
                    build_petitions_demo(today=today)
                    fingerprints.append(_petitions_fingerprint())
                    transaction.savepoint_rollback(before)
                build_petitions_demo(today=today)
                fingerprints.append(_petitions_fingerprint())
                build_dialogue_demo(today=today)
            yield {"today": today, "now": demo_now(today), "fingerprints": fingerprints}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def day(built_on, db):
    return built_on


def _petitions_fingerprint() -> str:
    h = hashlib.sha256()
    for row in Petition.objects.order_by("reference").values_list(
        "reference", "title", "enterprise__name", "received_at", "status", "answer_due_at", "lead_agency__code"
    ):
        h.update(repr(row).encode())
    return h.hexdigest()


def _months_before(today: dt.date, n: int) -> list[tuple[int, int]]:
    """The `n` whole calendar months before the month of `today`, newest first."""
    year, month = today.year, today.month
    out = []
    for _i in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append((year, month))
    return out


# --- activity ends on the day the demo is built ---------------------------------------------


def test_the_newest_activity_is_of_the_last_days(day):
    today, now = day["today"], day["now"]
    newest = Petition.objects.aggregate(m=Max("received_at"))["m"]
    assert newest < now and (today - timezone.localdate(newest)).days <= 5  # the last working day or so
    past = Conference.objects.filter(starts_at__lt=now).order_by("-starts_at").first()
    ahead = Conference.objects.filter(starts_at__gt=now).order_by("starts_at").first()
    assert past.status == ConferenceStatus.HELD and 7 <= (today - timezone.localdate(past.starts_at)).days <= 20
    assert past.tablings.count() >= 6  # its petitions are on their way
    assert ahead.status == ConferenceStatus.PLANNED and 7 <= (timezone.localdate(ahead.starts_at) - today).days <= 30
    # about six a year over the last two years
    recent = Conference.objects.filter(starts_at__lt=now, starts_at__gte=now - dt.timedelta(days=730)).count()
    assert 10 <= recent <= 14
    filed = PeriodicReport.objects.aggregate(m=Max("submitted_at"))["m"]
    assert filed < now and (today - timezone.localdate(filed)).days <= 45  # reports come in each quarter


def test_every_month_of_the_last_two_years_has_petitions(day):
    today = day["today"]
    received = Counter(
        (d.year, d.month)
        for d in (timezone.localdate(r) for r in Petition.objects.values_list("received_at", flat=True))
    )
    months = _months_before(today, 23)  # the first of the 24 is cut by the day of the month
    counts = [received[m] for m in months]
    assert min(counts) >= 8, dict(zip(months, counts, strict=True))
    average = sum(counts) / len(counts)
    assert max(counts) <= 3 * average
    # no year nearly empty: each whole year in the window has about twelve months' share
    for year in {y for y, _m in months}:
        in_year = [c for (y, _m), c in zip(months, counts, strict=True) if y == year]
        assert sum(in_year) >= 0.5 * average * len(in_year), year


def test_overdue_petitions_are_days_or_weeks_late_and_a_realistic_share(day):
    now = day["now"]
    open_ = Petition.objects.filter(status__in=OPEN_STATUSES, paused_at__isnull=True, answer_due_at__isnull=False)
    overdue = [p for p in open_ if p.answer_due_at < now]
    assert open_.count() >= 20
    share = len(overdue) / open_.count()
    assert 0.05 <= share <= 0.45, (len(overdue), open_.count())
    late_days = max(working_hours_between(p.answer_due_at, now) / 8 for p in overdue)
    assert late_days <= 60  # working days: weeks at most, never years


def test_the_newest_petitions_wait_for_triage(day):
    now = day["now"]
    new = Petition.objects.filter(status=Status.SUBMITTED)
    assert new.count() >= 3
    assert all((now - p.received_at).days <= 6 for p in new)


def test_the_demo_enterprises_have_petitions_of_their_own(day):
    for username in ("fpt", "hanwha"):
        user = User.objects.get(username=username)
        mine = Petition.objects.filter(enterprise=user.enterprise)
        statuses = set(mine.values_list("status", flat=True))
        assert mine.count() >= 4 and len(statuses) >= 3, (username, statuses)
        # something to act on: an answer to confirm, or information asked for
        assert (
            mine.filter(status__in=[Status.ANSWERED, Status.PUBLISHED]).exists()
            or mine.filter(paused_at__isnull=False).exists()
        )


def test_the_same_day_gives_the_same_petitions(day):
    if len(day["fingerprints"]) == 2:
        assert day["fingerprints"][0] == day["fingerprints"][1]
    assert day["fingerprints"][-1] == _petitions_fingerprint()


def test_the_ecosystem_measures_the_last_whole_years():
    assert measured_years(dt.date(2026, 12, 6)) == (2023, 2024, 2025)
    assert measured_years(dt.date(2028, 3, 15)) == (2025, 2026, 2027)


def test_the_figures_open_on_this_year_once_it_is_reported(day):
    """The dashboard's default year: the current year, to date, once its first quarter is
    reported; before that the last year."""
    today = day["today"]
    expected = today.year if today.month >= 5 else today.year - 1  # the days above: December, February, March
    assert default_year(today=today) == expected
