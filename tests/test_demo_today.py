"""The demo is built relative to the day it is loaded: what a visitor sees is a board at work that
week, whatever the day (issue 22, item 3).

`built_on` builds the registry, the petitions and the conferences as of other days than the real
today (the middle of a year, the first working day after Tết), each inside a transaction rolled
back at the end of the module; the tests read the rows as of that day's `demo_now`, as a visitor
on that day would see them. The demo of the real today, built once for the run, is read through
the pages of each demo account in test_demo_accounts.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from unittest import mock

import pytest
from django.db import transaction
from django.db.models import Max
from django.test import override_settings
from django.utils import timezone

from zonedesk.core.calendar import is_working_day, working_hours_between
from zonedesk.core.models import User
from zonedesk.dialogue.models import Conference, ConferenceStatus
from zonedesk.investment.models import PeriodicReport
from zonedesk.investment.selectors import default_year
from zonedesk.petitions.models import OPEN_STATUSES, Petition, Status
from zonedesk_demo import petitions as petitions_demo
from zonedesk_demo.dialogue import build_dialogue_demo
from zonedesk_demo.ecosystem import measured_years
from zonedesk_demo.investment import build_demo, demo_now
from zonedesk_demo.petitions import build_petitions_demo, working_day_before

# each day is a build of minutes: scripts/test runs these in its SQLite pass only (pyproject.toml)
pytestmark = pytest.mark.demo_days


def _first_working_day_after_tet() -> dt.date:
    """The first working day after the Tết holiday of 2026 (Tết fell on 17 February 2026), on
    the working-day calendar: the office reopens after a week and more of holiday."""
    day = dt.date(2026, 2, 17)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


# Days before the real today (the services take no report or answer from the future, so the
# demo is never built ahead of the clock; the demo of the real today is read in
# test_demo_accounts.py): the middle of a year, and the week after Tết.
DAYS = ["2025-06-16", "after-tet-2026"]


@pytest.fixture(scope="module", params=DAYS)
def built_on(request, django_db_setup, django_db_blocker):
    """The registry, petitions and conferences of the demo as of one day, in demo mode. For the
    first day the petitions are built twice (the second time after rolling the first back), to
    compare the rows: the same seed and day give the same petitions."""
    with django_db_blocker.unblock():
        if request.param == "after-tet-2026":
            today = _first_working_day_after_tet()
        else:
            today = dt.date.fromisoformat(request.param)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEMO_MODE=True):
                build_demo(today=today)
                fingerprints = []
                if request.param == DAYS[0]:  # twice, a few per zone (the whole build takes minutes)
                    with (
                        mock.patch.object(petitions_demo, "PER_ZONE", {}),
                        mock.patch.object(petitions_demo, "OTHER_ZONES", 12),
                    ):
                        for _run in range(2):
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
    # received on the last working day before today (after Tết, the one before the holiday)
    assert newest < now and timezone.localdate(newest) == working_day_before(today)
    past = Conference.objects.filter(starts_at__lt=now).order_by("-starts_at").first()
    ahead = Conference.objects.filter(starts_at__gt=now).order_by("starts_at").first()
    assert past.status == ConferenceStatus.HELD and 7 <= (today - timezone.localdate(past.starts_at)).days <= 20
    assert past.tablings.count() >= 6  # its petitions are on their way
    assert ahead.status == ConferenceStatus.PLANNED and 7 <= (timezone.localdate(ahead.starts_at) - today).days <= 30
    # about six a year
    recent = Conference.objects.filter(starts_at__lt=now, starts_at__gte=now - dt.timedelta(days=365)).count()
    assert 5 <= recent <= 8
    filed = PeriodicReport.objects.aggregate(m=Max("submitted_at"))["m"]
    assert filed < now and (today - timezone.localdate(filed)).days <= 45  # reports come in each quarter


def test_every_month_of_the_last_two_years_has_petitions(day):
    """The channel's own flow (the conferences' tabled petitions apart: one of them had 66)."""
    today = day["today"]
    days = Petition.objects.exclude(source="conference").values_list("received_at", flat=True)
    received = Counter((d.year, d.month) for d in map(timezone.localdate, days))
    months = _months_before(today, 23)  # the first of the 24 is cut by the day of the month
    counts = [received[m] for m in months]
    assert min(counts) >= 5, dict(zip(months, counts, strict=True))  # a Tết month has fewer working days
    average = sum(counts) / len(counts)
    assert 15 <= average and max(counts) <= 2.5 * average
    # no year nearly empty: each year has about its months' share
    for year in {y for y, _m in months}:
        in_year = [c for (y, _m), c in zip(months, counts, strict=True) if y == year]
        assert sum(in_year) >= 0.6 * average * len(in_year), year


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
    new = Petition.objects.filter(status=Status.SUBMITTED)
    assert new.count() >= 3
    assert all(timezone.localdate(p.received_at) >= working_day_before(day["today"], 2) for p in new)


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
    if day["today"] != dt.date.fromisoformat(DAYS[0]):
        pytest.skip("built twice for the first day only")
    small, again, whole = day["fingerprints"]  # two small builds of the same day, then the whole one
    assert small == again != whole


def test_the_ecosystem_measures_the_last_whole_years():
    assert measured_years(dt.date(2026, 12, 6)) == (2023, 2024, 2025)
    assert measured_years(dt.date(2028, 3, 15)) == (2025, 2026, 2027)


def test_the_figures_open_on_this_year_once_it_is_reported(day):
    """The dashboard's default year: the current year, to date, once its first quarter is
    reported; before that the last year."""
    today = day["today"]
    expected = today.year if today.month >= 5 else today.year - 1  # the days above: June, February
    assert default_year(today=today) == expected


def test_the_demo_is_not_built_ahead_of_the_clock():
    with pytest.raises(ValueError, match="not a day to come"):
        build_demo(today=timezone.localdate() + dt.timedelta(days=1))
