"""A milestone's status, derived from its dates and progress on a given day (never stored).

- done: it has an actual end;
- late: not done and its planned end has passed;
- at risk: not done, and its progress is more than `AT_RISK_GAP` points behind the share of
  its planned time that has elapsed (a milestone due to start that has not is the same case);
- not started: no actual start, no progress, and not behind;
- on track: the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import models
from django.utils.translation import gettext_lazy as _

AT_RISK_GAP = 15  # progress points


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    LATE = "late", _("Late")
    DONE = "done", _("Done")


ATTENTION = (Status.LATE, Status.AT_RISK)


def expected_progress(planned_start: dt.date, planned_end: dt.date, today: dt.date) -> int:
    """The share of the planned time elapsed by the end of `today`, in whole per cent."""
    if today < planned_start:
        return 0
    if today >= planned_end:
        return 100
    days = (planned_end - planned_start).days + 1
    return ((today - planned_start).days + 1) * 100 // days


def milestone_status(
    *,
    planned_start: dt.date,
    planned_end: dt.date,
    actual_start: dt.date | None,
    actual_end: dt.date | None,
    progress_pct: int,
    today: dt.date,
) -> Status:
    if actual_end is not None:
        return Status.DONE
    if today > planned_end:
        return Status.LATE
    if expected_progress(planned_start, planned_end, today) - progress_pct > AT_RISK_GAP:
        return Status.AT_RISK
    if actual_start is None and progress_pct == 0:
        return Status.NOT_STARTED
    return Status.ON_TRACK


def roadmap_status(statuses: Mapping[str, int], milestones: int) -> Status:
    """A roadmap's status from its milestones' (counts by status). It never says "not started"
    once a milestone is done or under way: a roadmap at 61% with its next milestones not due yet
    is on track, not "not started" (the most pressing status first: late, at risk)."""
    if statuses.get(Status.LATE):
        return Status.LATE
    if statuses.get(Status.AT_RISK):
        return Status.AT_RISK
    if milestones and statuses.get(Status.DONE, 0) == milestones:
        return Status.DONE
    if statuses.get(Status.NOT_STARTED, 0) == milestones:
        return Status.NOT_STARTED
    return Status.ON_TRACK


def status_of(milestone, today: dt.date) -> Status:
    return milestone_status(
        planned_start=milestone.planned_start,
        planned_end=milestone.planned_end,
        actual_start=milestone.actual_start,
        actual_end=milestone.actual_end,
        progress_pct=milestone.progress_pct,
        today=today,
    )
