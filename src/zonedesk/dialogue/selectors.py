"""Reads of the dialogue conferences: the calendar and each conference's report.

The conference page, its API and the iCalendar feed take their figures from
`conference_report`, so a count is the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from zonedesk.core.models import Agency
from zonedesk.core.permissions import PUBLIC, actor_of
from zonedesk.dialogue.models import Conference, Tabling
from zonedesk.petitions.models import OPEN_STATUSES, RESOLVED_STATUSES, Petition

COUNTS = ("tabled", "answered_on_the_spot", "resolved_since", "still_open", "overdue", "other")


def conference_list(*, user: Any, when: str = "", year: int | None = None, now: dt.datetime | None = None) -> QuerySet:
    """The conferences a person may see (the public: those on the public calendar; the board
    side: all), with their number of tabled petitions. `when`: "upcoming" (not ended yet, soonest
    first), "past" (ended, latest first), or "" (all, latest first)."""
    now = now or timezone.now()
    qs = (
        Conference.objects.restrict(user, "view")
        .select_related("series")
        .prefetch_related("zones")
        .annotate(tabled_count=Count("tablings", distinct=True))
    )
    if year is not None:
        qs = qs.filter(series__year=year)
    if when == "upcoming":
        return qs.filter(ends_at__gte=now).order_by("starts_at", "pk")
    if when == "past":
        return qs.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    return qs.order_by("-starts_at", "-pk")


def conference_month(*, user: Any, year: int, month: int) -> dict[dt.date, list[Conference]]:
    """The conferences a person may see on each day of a month (Hanoi time; a conference over
    several days is on each of them), soonest first within a day."""
    first = dt.date(year, month, 1)
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    days: dict[dt.date, list[Conference]] = {}
    qs = (
        Conference.objects.restrict(user, "view")
        .filter(starts_at__lt=end, ends_at__gte=start)
        .select_related("series")
        .order_by("starts_at", "pk")
    )
    for c in qs:
        day = max(timezone.localtime(c.starts_at).date(), first)
        until = min(timezone.localtime(c.ends_at).date(), last)
        while day <= until:
            days.setdefault(day, []).append(c)
            day += dt.timedelta(days=1)
    return days


def conference_tablings(conference: Conference) -> list[Tabling]:
    """The petitions tabled for a conference, in the order they were tabled, with what the report needs."""
    return list(
        conference.tablings.select_related(
            "petition__lead_agency", "petition__enterprise", "petition__zone", "spot_answered_by"
        ).order_by("tabled_at", "pk")
    )


def _is_overdue(p: Petition, now: dt.datetime) -> bool:
    # a petition waiting for the enterprise has its clock stopped: not overdue (as in the petition queues)
    return p.status in OPEN_STATUSES and p.answer_due_at is not None and p.answer_due_at < now and p.paused_at is None


def _empty() -> dict[str, int]:
    return dict.fromkeys(COUNTS, 0)


def _count(row: dict[str, int], t: Tabling, now: dt.datetime) -> None:
    p = t.petition
    row["tabled"] += 1
    row["answered_on_the_spot"] += bool(t.spot_answer)
    if p.status in RESOLVED_STATUSES:
        row["resolved_since"] += 1
    elif p.status in OPEN_STATUSES:
        row["still_open"] += 1
        row["overdue"] += _is_overdue(p, now)
    else:  # rejected or merged into another petition
        row["other"] += 1


def conference_report(conference: Conference, now: dt.datetime | None = None, *, tablings=None) -> dict[str, Any]:
    """What became of the petitions tabled for a conference, overall and by lead agency.

    tabled; answered_on_the_spot (an answer was recorded at the session); resolved_since
    (answered, published or closed now); still_open (in the lifecycle, not answered yet);
    overdue (open, past the answer deadline, clock not paused); other (rejected or merged).
    tabled = resolved_since + still_open + other. `by_agency` rows are keyed by the lead
    agency's code ("" for petitions not assigned yet), the agency's name beside it.
    """
    now = now or timezone.now()
    tablings = conference_tablings(conference) if tablings is None else tablings
    total = _empty()
    rows: dict[str, dict[str, Any]] = {}
    for t in tablings:
        _count(total, t, now)
        agency: Agency | None = t.petition.lead_agency
        key = agency.code if agency else ""
        row = rows.setdefault(key, {"agency": key, "agency_name": agency.name if agency else "", **_empty()})
        _count(row, t, now)
    by_agency = sorted(rows.values(), key=lambda r: (r["agency"] == "", -r["tabled"], r["agency"]))
    return {
        "conference": conference.pk,
        "label": conference.label,
        "as_of": now,
        **total,
        "by_agency": by_agency,
    }


def conferences_of_petition(petition: Petition, user: Any) -> QuerySet:
    """The conferences (visible to this person) at which a petition was tabled."""
    return (
        Conference.objects.restrict(user, "view")
        .filter(tablings__petition=petition)
        .select_related("series")
        .prefetch_related(Prefetch("tablings", queryset=Tabling.objects.filter(petition=petition)))
        .distinct()
    )


def tabling_rows(user: Any, tablings: list[Tabling], now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """The tabled petitions as this person may see them (the page and the API show the same rows).

    Everyone: category, status, when and how it was tabled, whether it was answered on the spot
    and by which agency, and the public summary once the answer is published. Only those whom
    the petitions' own rule lets open the petition (the board side, its enterprise, its
    agencies): reference, title, enterprise, lead agency, deadline and the answer on the spot. The
    name of a person who wrote through the public form only to the board side, as on the
    petition page."""
    now = now or timezone.now()
    board_side = actor_of(user).is_board_side
    petitions = [t.petition for t in tablings]
    ids = [p.pk for p in petitions]
    visible = visible_petition_ids(user, petitions)
    published = (
        set(Petition.objects.visible_to(PUBLIC, "public").filter(pk__in=ids).values_list("pk", flat=True))
        if ids
        else set()
    )
    rows = []
    for t in tablings:
        p = t.petition
        mine = p.pk in visible
        rows.append(
            {
                "tabling": t,
                "petition": p,
                "may_open": mine,
                "category": p.category,
                "category_label": p.get_category_display(),
                "status": p.status,
                "status_label": p.get_status_display(),
                "tabled_at": t.tabled_at,
                "during_session": t.during_session,
                "answered_on_the_spot": bool(t.spot_answer),
                "spot_agency": t.spot_answered_by.code if t.spot_answered_by else None,
                "spot_agency_name": t.spot_answered_by.name if t.spot_answered_by else "",
                "published_summary": p.public_summary if p.pk in published else None,
                "reference": p.reference if mine else None,
                "title": p.title if mine else None,
                "enterprise": (
                    (p.enterprise.name if p.enterprise else (p.petitioner_name if board_side else None))
                    if mine
                    else None
                ),
                "lead_agency": (p.lead_agency.code if p.lead_agency else None) if mine else None,
                "answer_due_at": p.answer_due_at if mine else None,
                "overdue": _is_overdue(p, now) if mine else None,
                "spot_answer": t.spot_answer if mine else None,
                "spot_speaker": t.spot_speaker if mine else None,
                "version": t.version,
            }
        )
    return rows


def visible_petition_ids(user: Any, petitions: list[Petition]) -> set[int]:
    """Which of these petitions the person may open (the permission layer of the petitions)."""
    ids = [p.pk for p in petitions]
    if not ids:
        return set()
    return set(Petition.objects.restrict(user, "view").filter(pk__in=ids).values_list("pk", flat=True))
