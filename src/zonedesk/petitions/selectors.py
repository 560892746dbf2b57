"""Reads of the petition channel: one petition as its reader may see it (`petition_view_for`,
used by the page and the API alike), queues, the public list of answers, and the accountability
figures.

The public page, the board's dashboard and the API take their figures from `petition_figures`,
cached under the generation `PETITION_FIGURES_GENERATION`, which every write of a petition or of
its timeline bumps in its own transaction (`petitions.apps`, `core.generations`): a cached
figure is never served after such a write commits, on any app server. The one figure that
moves by itself, the count of overdue petitions, bounds how long an entry is served: until the
next deadline of an open petition passes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import statistics
from array import array
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import ExtractMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.cases import timeline
from zonedesk.core.generations import cached, generation
from zonedesk.core.inputs import zone_among, zone_by_code
from zonedesk.core.models import Agency, Zone
from zonedesk.core.permissions import actor_of
from zonedesk.core.text import fold
from zonedesk.petitions import attachments as files
from zonedesk.petitions.models import OPEN_STATUSES, Answer, Attachment, Petition, PetitionEvent, Status
from zonedesk.petitions.workflow import LEAD, OWNER, roles_of

RESOLVED = (Status.ANSWERED, Status.PUBLISHED, Status.CLOSED)

# Bumped by every save or delete of a petition or of a timeline event (`petitions.apps`) and by
# the bulk generator.
PETITION_FIGURES_GENERATION = "petitions.figures"


# --- one petition, as its reader may see it ------------------------------------------------

# What each step of the timeline is called (the workflow's labels are the buttons' verbs).
EVENT_LABELS = {
    "submit": gettext_lazy("Received"),
    "triage": gettext_lazy("Triaged"),
    "reject": gettext_lazy("Rejected as out of scope"),
    "merge": gettext_lazy("Merged into a duplicate"),
    "assign": gettext_lazy("Assigned to an agency"),
    "start": gettext_lazy("Handling started"),
    "transfer": gettext_lazy("Sent back: outside the agency's competence"),
    "answer_submitted": gettext_lazy("Answer submitted for approval"),
    "answer_returned": gettext_lazy("Answer returned to the agency"),
    "attach": gettext_lazy("File attached"),
    "answer": gettext_lazy("Answer approved"),
    "publish": gettext_lazy("Answer published"),
    "close": gettext_lazy("Closed"),
    "reopen": gettext_lazy("Reopened"),
    "rate": gettext_lazy("Answer rated"),
    "request_info": gettext_lazy("Waiting for information from the enterprise"),
    "info_supplied": gettext_lazy("Information received: the clock runs again"),
    "extend": gettext_lazy("Deadline extended"),
    "escalate": gettext_lazy("Escalated"),
}
ESCALATION_LEVELS = {
    1: gettext_lazy("to the head of the agency"),
    2: gettext_lazy("to the management board"),
    3: gettext_lazy("to the city leader"),
}
# Events whose reason is a note between the board and the agencies: never shown to the enterprise.
INTERNAL_REASONS = frozenset({"answer_returned"})


# One step of a petition's timeline as its reader may see it: the case machinery's read model.
TimelineEvent = timeline.Entry


class PetitionTimeline(timeline.TimelinePolicy):
    """How a petition's timeline reads (`cases.timeline.read`): its steps' names, the board's
    return notes kept from the enterprise, and each step's detail: the agencies it went to, the
    reference of a merge target only to a reader who may open it (`visible_targets`)."""

    def __init__(self, agencies: dict[str, str], visible_targets: set[str]) -> None:
        super().__init__(labels=EVENT_LABELS, statuses=dict(Status.choices), internal_reasons=INTERNAL_REASONS)
        self.agencies = agencies
        self.visible_targets = visible_targets

    def detail(self, event: Any, reader: timeline.Reader) -> str:
        return _event_detail(event, self.agencies, self.visible_targets)

    def unsigned(self, event: Any) -> str:
        return str(_("The petitioner")) if event.action == "submit" else super().unsigned(event)


@dataclass(frozen=True)
class PetitionView:
    """What one reader may see of one petition (`petition_view_for`): the petition page and
    `GET /api/v1/petitions/{reference}` show exactly this.

    answers: the board side reads every text; an agency its own texts, the approved ones and, as
    the lead agency, the contributions the coordinating agencies submitted to it (it consolidates
    them); the enterprise only the approved consolidated answer, without the board's return note.
    confidential_note: officers only (None for the enterprise). petitioner: the contacts of a
    public petitioner, the board side only (None otherwise). merged_into: the petition it was
    merged into, None when the reader may not open it. duplicates: the petitions merged into this
    one that the reader may open. attachments: those the reader may download. agency_id: the
    reader's agency when the reader is an agency officer (else None)."""

    petition: Petition
    roles: frozenset[str]
    is_board_side: bool
    is_officer: bool
    agency_id: int | None
    answers: list[Answer]
    events: list[TimelineEvent]
    confidential_note: str | None
    petitioner: dict[str, str] | None
    merged_into: Petition | None
    coordinating: list[Agency]
    reader: Any = dataclasses.field(repr=False, compare=False)

    @cached_property
    def attachments(self) -> list[Attachment]:  # read when asked: the API serves them apart
        return list(files.attachment_list(petition=self.petition, user=self.reader))

    @cached_property
    def duplicates(self) -> list[Petition]:
        return list(Petition.objects.restrict(self.reader).filter(merged_into=self.petition).only("reference"))

    @property
    def is_owner(self) -> bool:
        return OWNER in self.roles

    @property
    def answering(self) -> bool:
        """Whether the reader's agency writes a text for this petition: the answer as the lead
        agency, a contribution as a coordinating one."""
        return self.agency_id is not None and (
            LEAD in self.roles or any(a.pk == self.agency_id for a in self.coordinating)
        )

    @property
    def own_answers(self) -> list[Answer]:
        """The texts of the reader's agency, oldest first (an agency reads all its own)."""
        return [a for a in self.answers if self.agency_id is not None and a.agency_id == self.agency_id]


def petition_view_for(user: Any, petition: Petition) -> PetitionView:
    """The petition as `user` may see it: its answers, timeline, private fields and files (see
    `PetitionView`). The caller has checked that the user may open the petition at all
    (`Petition.objects.restrict`)."""
    actor = actor_of(user)
    roles = frozenset(roles_of(petition, user))
    is_officer = actor.is_board_side or actor.role == "agency"
    visible = Petition.objects.restrict(user)
    merged_into = None
    if petition.merged_into_id is not None and visible.filter(pk=petition.merged_into_id).exists():
        merged_into = petition.merged_into
    return PetitionView(
        petition=petition,
        roles=roles,
        is_board_side=actor.is_board_side,
        is_officer=is_officer,
        agency_id=actor.agency_id if actor.role == "agency" else None,
        answers=_visible_answers(petition, actor, roles),
        events=_timeline(petition, user, actor),
        confidential_note=petition.confidential_note if is_officer else None,
        petitioner=(
            {"name": petition.petitioner_name, "email": petition.petitioner_email, "phone": petition.petitioner_phone}
            if actor.is_board_side
            else None
        ),
        merged_into=merged_into,
        coordinating=list(petition.coordinating_agencies.all()),
        reader=user,
    )


def _visible_answers(petition: Petition, actor: Any, roles: frozenset[str]) -> list[Answer]:
    answers = petition.answers.select_related("agency", "author", "reviewed_by")
    if actor.is_board_side:
        return list(answers)
    if actor.role == "agency":
        visible = Q(agency_id=actor.agency_id) | Q(state=Answer.State.APPROVED)
        if LEAD in roles:  # the lead agency consolidates the contributions sent to it
            visible |= Q(is_contribution=True, state__in=[Answer.State.SUBMITTED, Answer.State.APPROVED])
        return list(answers.filter(visible))
    shown = list(answers.filter(state=Answer.State.APPROVED, is_contribution=False))
    for answer in shown:  # a return note is between the board and the agency
        answer.review_note = ""
    return shown


def _timeline(petition: Petition, user: Any, actor: Any) -> list[TimelineEvent]:
    events = list(petition.events.select_related("actor", "agency"))
    names: dict[str, str] = {}
    if any(e.action in {"assign", "transfer"} for e in events):
        names = {a.code: a.name for a in Agency.objects.all()}
    targets = {(e.data or {}).get("into") for e in events if e.action == "merge"} - {None}
    # the petition it was merged into may be another enterprise's: its reference only to those who may open it
    visible_targets = (
        set(Petition.objects.restrict(user).filter(reference__in=targets).values_list("reference", flat=True))
        if targets
        else set()
    )
    return timeline.read(events, timeline.Reader.of(actor), PetitionTimeline(names, visible_targets))


def _event_detail(e: PetitionEvent, agencies: dict[str, str], visible_targets: set[str]) -> str:
    """What a step did, in a few words (the agencies it went to, the file, the rating, ...)."""
    data = e.data or {}
    if e.action == "assign" and data.get("lead_agency"):
        detail = agencies.get(data["lead_agency"], data["lead_agency"])
        if data.get("coordinating"):
            detail += " · " + _("with %(agencies)s") % {
                "agencies": ", ".join(agencies.get(c, c) for c in data["coordinating"])
            }
        return detail
    if e.action == "merge" and data.get("into"):
        return data["into"] if data["into"] in visible_targets else _("another petition on the same difficulty")
    if e.action == "attach" and data.get("name"):
        return data["name"]
    if e.action == "rate":
        return _("satisfied") if data.get("satisfied") else _("not satisfied")
    if e.action == "extend" and data.get("days"):
        return _("%(days)s working days") % {"days": data["days"]}
    if e.action == "escalate":
        return str(ESCALATION_LEVELS.get(data.get("level"), data.get("level", "")))
    if e.action == "close" and data.get("confirmed_by") == "no reply":
        return _("no reply from the petitioner within the set days")
    if e.action == "answer" and "on_time" in data:
        return _("on time") if data["on_time"] else _("late")
    if e.action == "transfer" and data.get("suggested_agency"):
        return _("suggested: %(agency)s") % {"agency": agencies.get(data["suggested_agency"], data["suggested_agency"])}
    return ""


@dataclass(frozen=True)
class PetitionFilters:
    """The filters of the queue page and of `GET /api/v1/petitions` (one set for both).

    status: a status, "open" (any open one) or "" (all); overdue: open with the answer due date
    passed; due_soon: open, not yet overdue, due within `DUE_SOON_DAYS` days; reopened: reopened
    by the enterprise at least once; escalated: at least this escalation step (1 the agency head,
    2 the board, 3 the city leader); answer: "waiting" (the lead agency's answer waits for the
    board's approval) or "returned" (an answer was returned for changes: for an agency, its own)."""

    q: str = ""
    status: str = ""
    category: str = ""
    zone: str = ""
    agency: str = ""
    overdue: bool = False
    due_soon: bool = False
    reopened: bool = False
    escalated: int = 0
    answer: str = ""


DUE_SOON_DAYS = 7
ANSWER_FILTERS = ("waiting", "returned")


def petition_list(*, user: Any, filters: PetitionFilters, now: dt.datetime | None = None) -> QuerySet[Petition]:
    """The petitions a person may see, filtered, most urgent deadline first for open ones."""
    from zonedesk.core.permissions import actor_of
    from zonedesk.petitions.models import Answer

    now = now or timezone.now()
    qs = Petition.objects.restrict(user).select_related("zone", "lead_agency", "enterprise")
    for word in fold(filters.q).split():
        qs = qs.filter(Q(search_text__contains=word) | Q(reference__icontains=word))
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.zone:  # its code in any case (core.inputs); a code no zone has lists nothing
        zone = zone_by_code(filters.zone)
        qs = qs.filter(zone=zone) if zone is not None else qs.none()
    if filters.agency:
        qs = qs.filter(lead_agency__code=filters.agency)
    if filters.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, answer_due_at__lt=now, paused_at__isnull=True)
    if filters.due_soon:
        qs = qs.filter(
            status__in=OPEN_STATUSES,
            answer_due_at__gte=now,
            answer_due_at__lt=now + dt.timedelta(days=DUE_SOON_DAYS),
            paused_at__isnull=True,
        )
    if filters.reopened:
        qs = qs.filter(reopen_count__gt=0)
    if filters.escalated:
        qs = qs.filter(escalation_level__gte=filters.escalated)
    if filters.answer == "waiting":
        waiting = Answer.objects.filter(petition=OuterRef("pk"), is_contribution=False, state=Answer.State.SUBMITTED)
        qs = qs.filter(Exists(waiting), status__in=OPEN_STATUSES)
    elif filters.answer == "returned":
        returned = Answer.objects.filter(petition=OuterRef("pk"), state=Answer.State.RETURNED)
        agency_id = actor_of(user).agency_id if actor_of(user).role == "agency" else None
        if agency_id is not None:  # an agency's own text returned to it
            returned = returned.filter(agency_id=agency_id)
        qs = qs.filter(Exists(returned), status__in=OPEN_STATUSES)
    return qs.order_by("answer_due_at", "pk")


def filter_params(filters: PetitionFilters) -> dict[str, str]:
    """The query string of a queue filter: its status always (absent, the queue shows the open
    ones), the other filters when set. Saved filters keep it; presets are written in it."""
    params = {"status": filters.status}
    for field in dataclasses.fields(filters):
        value = getattr(filters, field.name)
        if field.name != "status" and value:
            params[field.name] = "on" if value is True else str(value)
    return params


# --- the queue: what needs action now first ------------------------------------------------


@dataclass(frozen=True)
class QueueGroup:
    """A part of the queue, read in its own order (each on an index)."""

    key: str
    label: Any
    condition: Q
    order: tuple[str, ...]


def queue_groups(user: Any) -> list[QueueGroup]:
    """The parts of the queue in the order a person reads them: the petitions new to their desk
    (the board: not yet triaged; an agency: assigned to it and not yet started), then the other
    open ones by answer due date (the overdue first), then those waiting for the enterprise (the
    clock paused), then those no longer open (answered, closed, set aside), newest first."""
    from django.utils.translation import gettext_lazy as _

    from zonedesk.core.permissions import actor_of

    if actor_of(user).role == "agency":
        new = Q(status=Status.ASSIGNED)
        new_label = _("Newly assigned to your agency, not started yet")
    else:
        new = Q(status=Status.SUBMITTED)
        new_label = _("New, not yet triaged")
    is_open = Q(status__in=OPEN_STATUSES)
    by_due = ("answer_due_at", "pk")
    return [
        QueueGroup("new", new_label, new, by_due),
        QueueGroup(
            "due",
            _("Open, by answer due date: the overdue first"),
            is_open & Q(paused_at__isnull=True) & ~new,
            by_due,
        ),
        QueueGroup(
            "waiting",
            _("Waiting for information from the enterprise (the clock is paused)"),
            is_open & Q(paused_at__isnull=False) & ~new,
            by_due,
        ),
        QueueGroup(
            "done", _("No longer open: answered, closed or set aside"), ~is_open & ~new, ("-received_at", "-pk")
        ),
    ]


class QueueRows:
    """The rows of the queue as one list for the paginator: the groups of `queue_groups` one
    after the other, each read in its own order with its own query, so that a page reads only
    the groups it shows. Counted in one query. Each row is marked with its group
    (`queue_group`, `queue_group_label`) for the page's headings."""

    def __init__(self, rows: QuerySet[Petition], groups: list[QueueGroup]):
        self.rows = rows.order_by()
        self.groups = groups
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        if self._counts is None:
            totals = self.rows.aggregate(**{g.key: Count("pk", filter=g.condition) for g in self.groups})
            self._counts = [totals[g.key] or 0 for g in self.groups]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def _read(self, group: QueueGroup, start: int, stop: int | None) -> list[Petition]:
        rows = list(self.rows.filter(group.condition).order_by(*group.order)[start:stop])
        for p in rows:
            p.queue_group, p.queue_group_label = group.key, group.label
        return rows

    def __getitem__(self, key: slice) -> list[Petition]:
        if not isinstance(key, slice) or key.step not in (None, 1):
            raise TypeError("QueueRows is read by slices")
        start, stop = key.start or 0, key.stop
        out: list[Petition] = []
        offset = 0
        for group, n in zip(self.groups, self.counts(), strict=True):
            lo, hi = max(start - offset, 0), n if stop is None else min(stop - offset, n)
            if lo < hi:
                out += self._read(group, lo, hi)
            offset += n
        return out

    def __iter__(self) -> Iterator[Petition]:
        """Every row, group after group (the spreadsheet export), in chunks."""
        for group, n in zip(self.groups, self.counts(), strict=True):
            if n:
                rows = self.rows.filter(group.condition).order_by(*group.order)
                for p in rows.iterator(chunk_size=2000):
                    p.queue_group, p.queue_group_label = group.key, group.label
                    yield p


def petition_queue(*, user: Any, filters: PetitionFilters, now: dt.datetime | None = None) -> QueueRows:
    """The queue page's rows: `petition_list`'s, what needs action now first (`queue_groups`)."""
    return QueueRows(petition_list(user=user, filters=filters, now=now), queue_groups(user))


@dataclass(frozen=True)
class QueuePreset:
    """A named filter of the queue offered to a role: its label, what it shows, its query."""

    key: str
    label: Any
    help: Any
    params: dict[str, str]


def queue_presets(user: Any) -> list[QueuePreset]:
    """The filters each role finds named above its queue, the first one being the queue as it
    opens (the open petitions, what needs action now first)."""
    from django.utils.translation import gettext_lazy as _

    from zonedesk.core.permissions import actor_of

    actor = actor_of(user)
    start = QueuePreset(
        "now",
        _("Needs action"),
        _("The open petitions: the new ones first, then by answer due date, the overdue first."),
        {"status": "open"},
    )
    overdue = QueuePreset(
        "overdue",
        _("Overdue"),
        _("Open petitions whose answer due date has passed."),
        {"status": "open", "overdue": "on"},
    )
    soon = QueuePreset(
        "due_soon",
        _("Due within 7 days"),
        _("Open petitions whose answer is due in the next 7 days."),
        {"status": "open", "due_soon": "on"},
    )
    reopened = QueuePreset(
        "reopened",
        _("Reopened"),
        _("Open petitions the enterprise reopened after an answer."),
        {"status": "open", "reopened": "on"},
    )
    everything = QueuePreset(
        "all", _("All"), _("Every petition, the closed ones included (after the open ones)."), {"status": ""}
    )
    if actor.role == "agency":
        from zonedesk.core.models import Agency

        code = Agency.objects.filter(pk=actor.agency_id).values_list("code", flat=True).first() or ""
        return [
            start,
            QueuePreset(
                "to_start",
                _("Newly assigned"),
                _("Petitions assigned to your agency whose handling has not started."),
                {"status": "assigned"},
            ),
            QueuePreset(
                "mine",
                _("Led by my agency"),
                _("Open petitions your agency leads (not those it only contributes to)."),
                {"status": "open", "agency": code},
            ),
            QueuePreset(
                "returned",
                _("Answer returned"),
                _("Your agency's answer came back from the board with changes to make."),
                {"status": "open", "answer": "returned"},
            ),
            overdue,
            soon,
            everything,
        ]
    if actor.role == "leader":
        return [
            start,
            QueuePreset(
                "to_leader",
                _("Raised to the city leader"),
                _("Overdue petitions raised to the city leader (escalation step 3)."),
                {"status": "open", "escalated": "3"},
            ),
            overdue,
            soon,
            reopened,
            everything,
        ]
    return [
        start,
        QueuePreset(
            "untriaged",
            _("Not yet triaged"),
            _("New petitions waiting for the board to check their category and priority."),
            {"status": "submitted"},
        ),
        QueuePreset(
            "approval",
            _("Answers to approve"),
            _("Open petitions whose lead agency's answer waits for the board's approval."),
            {"status": "open", "answer": "waiting"},
        ),
        overdue,
        soon,
        reopened,
        everything,
    ]


def saved_filters(*, user: Any) -> QuerySet:
    """A person's own saved filters of the queue, by name (nobody reads another's)."""
    from zonedesk.petitions.models import SavedFilter

    return SavedFilter.objects.filter(user=user).order_by("name", "pk")


def published_answers(*, q: str = "", zone: str = "", category: str = "") -> QuerySet[Petition]:
    """Published petitions for everyone: search folds accents; only public fields are meant to be shown."""
    qs = Petition.objects.restrict(None, "public").select_related("zone", "lead_agency", "published_answer")
    for word in fold(q).split():  # the public summary and answer only, never the private text
        qs = qs.filter(public_search_text__contains=word)
    if zone:  # its code in any case (core.inputs); a code no zone has lists nothing
        found = zone_by_code(zone)
        qs = qs.filter(zone=found) if found is not None else qs.none()
    if category:
        qs = qs.filter(category=category)
    return qs.order_by("-published_at", "-pk")


def _resolution(p: Petition, answered_events: dict[int, dt.datetime]) -> dt.datetime | None:
    return answered_events.get(p.pk) or p.answered_at


def petition_figures(*, zone: Zone | None = None, year: int, agency: str = "", category: str = "") -> dict[str, Any]:
    """Accountability figures of the petitions received in a year (`_petition_figures`), from the
    cache while no petition has changed; the overdue counts are as of the current minute."""
    return petition_figures_until(zone=zone, year=year, agency=agency, category=category)[0]


def petition_figures_until(
    *, zone: Zone | None = None, year: int, agency: str = "", category: str = ""
) -> tuple[dict[str, Any], dt.datetime]:
    """`petition_figures` and until when they hold (for a cache of their rendering).

    Everything but the overdue counts changes only with a write of a petition: it is computed
    once (seconds for a national year) and cached under the generation. The overdue counts also
    change as deadlines pass (at national scale, every few seconds): they are counted apart, from
    the index of open petitions, as of the start of each minute, and cached for that minute."""
    key = f"petition-figures:{zone.pk if zone is not None else '*'}:{year}:{agency}:{category}"
    petitions = _year_petitions(zone, year, agency, category)
    head = {"year": year, "zone": zone.code if zone is not None else None}
    current = generation(PETITION_FIGURES_GENERATION)
    base = cached(
        PETITION_FIGURES_GENERATION,
        key,
        lambda: ({**head, **_petition_figures(petitions)}, None),
        current=current,
    )
    minute = timezone.now().replace(second=0, microsecond=0)
    until = minute + dt.timedelta(minutes=1)
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]  # the key holds what a visitor typed
    overdue = _overdue_as_of(petitions, f"petition-overdue:{digest}:{current}", minute)
    return _with_overdue(base, overdue), until


def _year_petitions(zone: Zone | None, year: int, agency: str, category: str) -> QuerySet[Petition]:
    qs = Petition.objects.filter(year=year).exclude(status=Status.MERGED).order_by()  # no sort needed
    if zone is not None:
        qs = qs.filter(zone=zone)
    if agency:
        qs = qs.filter(lead_agency__code=agency)
    if category:
        qs = qs.filter(category=category)
    return qs


def _petition_figures(qs: QuerySet[Petition]) -> dict[str, Any]:
    """Accountability figures of the petitions received in a year (the overdue counts apart).

    received: petitions received (merged duplicates left out); resolved: answered, published
    or closed; on time: answered no later than the deadline in force; reopened and satisfied
    rates are over the resolved (satisfied: over those rated); median days to resolve counts
    calendar days from receipt to the approved answer; overdue: open with their deadline passed.
    Broken down by agency, category, zone and month, with agencies ranked by on-time rate, then
    by reopen rate.
    """
    # One row a petition, of small values the database computes (no timestamps or JSON to
    # convert): at national scale a year holds some 300,000 petitions.
    last_answer = PetitionEvent.objects.filter(petition=OuterRef("pk"), action="answer").order_by("-at", "-pk")
    rows = qs.annotate(
        month=ExtractMonth("received_at"),  # in the local time zone
        to_resolve=ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField()),
        on_time=Subquery(last_answer.values("data__on_time")[:1]),
    ).values_list(*_TALLIED)
    # streamed and tallied as they come: the rows of a year never sit in memory together
    overall = _Tally()
    groups: dict[str, dict[str, _Tally]] = {name: defaultdict(_Tally) for name in _GROUPS}
    by_agency, by_category, by_zone, by_month = (groups[n] for n in _GROUPS)
    for row in rows.iterator(chunk_size=10_000):
        overall.add(row)
        by_agency[row[3] or ""].add(row)
        by_category[row[1]].add(row)
        by_zone[row[2]].add(row)
        by_month[f"{row[4]:02d}"].add(row)
    breakdown = {
        name: [{"key": key, **tally.figures()} for key, tally in sorted(g.items())] for name, g in groups.items()
    }
    ranking = sorted(
        (a for a in breakdown["agency"] if a["key"] and a["resolved"]),
        key=lambda a: (-(a["resolved_on_time_rate"] or 0), a["reopened_rate"] or 0, a["key"]),
    )
    return {
        **overall.figures(),
        "by_agency": breakdown["agency"],
        "by_category": breakdown["category"],
        "by_zone": breakdown["zone"],
        "by_month": breakdown["month"],
        "agency_ranking": [a["key"] for a in ranking],
    }


_GROUPS = ("agency", "category", "zone", "month")


def _overdue_as_of(qs: QuerySet[Petition], key: str, at: dt.datetime) -> dict[str, Any]:
    """The overdue counts as of `at`, kept in the cache under a key that holds the generation.

    While the generation stays, no petition has changed: the open ones and their deadlines are
    the same, so the counts of a later minute are those of the earlier one plus the petitions
    whose deadline fell between the two (a few rows of the index of open petitions by year and
    deadline), not a new count of every overdue petition of the year."""
    hit = cache.get(key)
    if hit is not None and hit[0] == at:
        return hit[1]
    if hit is not None and hit[0] < at:
        counts = _overdue_counts(qs, at, since=hit[0], start=hit[1])
    else:
        counts = _overdue_counts(qs, at)
    cache.set(key, (at, counts), timeout=settings.FIGURES_CACHE_SECONDS)
    return counts


def _overdue_counts(
    qs: QuerySet[Petition], at: dt.datetime, *, since: dt.datetime | None = None, start: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Open petitions whose deadline passed before `at` (and not before `since`, added to the
    counts `start`), in all and by group: one query on the index of open petitions by deadline."""
    counts: dict[str, Any] = {"all": 0, **{name: defaultdict(int) for name in _GROUPS}}
    if start is not None:
        counts["all"] = start["all"]
        for name in _GROUPS:
            counts[name].update(start[name])
    rows = qs.filter(status__in=OPEN_STATUSES, answer_due_at__lt=at)
    if since is not None:
        rows = rows.filter(answer_due_at__gte=since)
    rows = rows.annotate(month=ExtractMonth("received_at")).values_list(
        "lead_agency__code", "category", "zone__code", "month"
    )
    for agency, category, zone_code, month in rows.iterator(chunk_size=10_000):
        counts["all"] += 1
        counts["agency"][agency or ""] += 1
        counts["category"][category] += 1
        counts["zone"][zone_code] += 1
        counts["month"][f"{month:02d}"] += 1
    return {"all": counts["all"], **{name: dict(counts[name]) for name in _GROUPS}}


def _with_overdue(base: dict[str, Any], overdue: dict[str, Any]) -> dict[str, Any]:
    out = {**base, "overdue": overdue["all"]}
    for name in _GROUPS:
        out[f"by_{name}"] = [{**row, "overdue": overdue[name].get(row["key"], 0)} for row in base[f"by_{name}"]]
    return out


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


_TALLIED = ("status", "category", "zone__code", "lead_agency__code", "month", "to_resolve")
_TALLIED += ("reopen_count", "satisfied", "on_time")


class _Tally:
    """The figures of some rows of `_petition_figures` (status, category, zone, agency, month,
    time to resolve, reopen count, satisfied, on time), added one row at a time; the overdue
    count is filled in apart (`_overdue_counts`)."""

    __slots__ = ("received", "open", "overdue", "rejected", "resolved", "on_time", "reopened", "rated", "satisfied")
    __slots__ += ("days",)

    def __init__(self) -> None:
        self.received = self.open = self.overdue = self.rejected = self.resolved = 0
        self.on_time = self.reopened = self.rated = self.satisfied = 0
        self.days = array("d")  # days to resolve, 8 bytes each

    def add(self, row: tuple) -> None:
        status, _c, _z, _a, _m, to_resolve, reopen_count, happy, in_time = row
        self.received += 1
        if status in OPEN_STATUSES:
            self.open += 1
        elif status == Status.REJECTED:
            self.rejected += 1
        if status in RESOLVED or to_resolve is not None:
            self.resolved += 1
            if to_resolve is not None:
                self.days.append(to_resolve.total_seconds() / 86400)
            if in_time:
                self.on_time += 1
            if reopen_count:
                self.reopened += 1
            if happy is not None:
                self.rated += 1
                self.satisfied += happy

    def figures(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "resolved": self.resolved,
            "open": self.open,
            "overdue": self.overdue,
            "rejected": self.rejected,
            "resolved_on_time": self.on_time,
            "resolved_on_time_rate": _rate(self.on_time, self.resolved),
            "reopened_rate": _rate(self.reopened, self.resolved),
            "satisfied_rate": _rate(self.satisfied, self.rated),
            "median_days_to_resolve": round(statistics.median(self.days), 1) if self.days else None,
        }


def inbox(*, user: Any) -> QuerySet:
    """A person's own notifications, newest first (nobody reads another's inbox)."""
    from zonedesk.petitions.models import Notification

    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user).select_related("petition").order_by("-created_at", "-pk")


def unread_count(*, user: Any) -> int:
    return inbox(user=user).filter(read_at__isnull=True).count()


def overdue_by_level(*, user: Any, zone: Zone | None = None) -> dict[int, int]:
    """How many overdue open petitions sit at each escalation level (0 to 3)."""
    filters = PetitionFilters(overdue=True, zone=zone.code if zone is not None else "")
    rows = petition_list(user=user, filters=filters).order_by().values("escalation_level").annotate(n=Count("pk"))
    counts = {level: 0 for level in range(4)}
    counts.update({r["escalation_level"]: r["n"] for r in rows})
    return counts


def parcel_in_force(zone: Zone, code: str):
    """The parcel of the plan in force of `zone` with this code (any case), or None; and
    whether the zone has a parcels plan in force at all (without one, any code is accepted)."""
    from zonedesk.planning.selectors import current_features

    parcels = current_features("parcels", zone=zone)
    if not code:
        return None, parcels.exists()
    found = parcels.filter(code__iexact=code.strip()).first()
    return found, found is not None or parcels.exists()


# --- what the pages show beside the petitions -----------------------------------------------


def mark_badges(petition: Petition, now: dt.datetime) -> Petition:
    """Mark what the lists and the petition page show as badges: `is_paused` (the clock waits for
    the enterprise) and `is_overdue` (open, not paused, the answer due date passed)."""
    petition.is_paused = petition.paused_at is not None
    petition.is_overdue = (
        petition.status in OPEN_STATUSES
        and petition.answer_due_at is not None
        and petition.answer_due_at < now
        and not petition.is_paused
    )
    return petition


def portal_counts(*, user: Any, now: dt.datetime) -> dict[str, int]:
    """The enterprise portal's counters: its open petitions, those whose answer waits for its
    confirmation, and the overdue ones."""
    mine = Petition.objects.restrict(user)
    return {
        "open": mine.filter(status__in=OPEN_STATUSES).count(),
        "to_confirm": mine.filter(status__in=[Status.ANSWERED, Status.PUBLISHED]).count(),
        "overdue": mine.filter(status__in=OPEN_STATUSES, answer_due_at__lt=now, paused_at__isnull=True).count(),
    }


def answers_scope(*, zone_code: str, year_text: str) -> dict[str, Any]:
    """The zone and year the public answers page reads, from what the visitor asked: an unknown
    zone is every zone; a year that is not a number or out of range is the latest year with
    petitions (this year when there are none). `years`: those offered to choose from."""
    zones = list(Zone.objects.all())
    zone = zone_among(zones, zone_code)  # its code in any case (core.inputs)
    today = timezone.localdate()
    with_petitions = sorted(set(Petition.objects.order_by().values_list("year", flat=True).distinct()), reverse=True)
    default = with_petitions[0] if with_petitions else today.year
    try:
        year = int(year_text)
    except ValueError:
        year = default
    if not 1990 <= year <= 2200:
        year = default
    years = sorted({*with_petitions, today.year, year}, reverse=True)
    return {"zones": zones, "zone": zone, "year": year, "years": years}


def routing_suggestion(petition: Petition, user: Any) -> dict[str, Any]:
    """What the routed petitions suggest for this one (`suggestions.suggest`): a category and an
    agency with their confidence, and the similar petitions this reader may open (the others are
    left out). Shown beside triage and assignment, never applied by itself."""
    from zonedesk.petitions import suggestions
    from zonedesk.petitions.models import Category

    found = suggestions.suggest(title=petition.title, body=petition.body, exclude=petition.reference)
    refs = [s["reference"] for s in found["similar"]]
    visible = {p.reference: p for p in Petition.objects.restrict(user).filter(reference__in=refs)}
    return {
        "category": Category(found["category"]).label if found["category"] in Category.values else found["category"],
        "category_confidence": found["category_confidence"],
        "agency": Agency.objects.filter(code=found["agency"]).first() or found["agency"],
        "agency_confidence": found["agency_confidence"],
        "similar": [
            {"petition": visible[s["reference"]], "score": s["score"]}
            for s in found["similar"]
            if s["reference"] in visible
        ],
    }


PETITION_REFERENCE = re.compile(r"^PAKN-\d{4}-\d{1,9}$", re.IGNORECASE)


def answers_search(*, q: str, zone: str = "", category: str = "") -> QuerySet[Petition]:
    """The public answers page's search: a petition's reference finds that petition's published
    answer (a petitioner looks up their own); other words search the public text."""
    if PETITION_REFERENCE.match(q):
        return published_answers(zone=zone, category=category).filter(reference=q.upper())
    return published_answers(q=q, zone=zone, category=category)


_NO_FIGURES = {
    "received": 0,
    "resolved": 0,
    "open": 0,
    "overdue": 0,
    "resolved_on_time_rate": None,
    "reopened_rate": None,
    "satisfied_rate": None,
    "median_days_to_resolve": None,
}


def figures_breakdown(figures: dict[str, Any], *, year: int, zones: list[Zone]) -> dict[str, list[dict[str, Any]]]:
    """The rows of `petition_figures`' breakdowns, each with its `label`: by agency (its name,
    "Not yet assigned" for none), by category (the most received first), by zone, by month (the
    twelve months of the year, those without a petition at zero), and the agencies ranked by
    `agency_ranking`."""
    from zonedesk.petitions.models import Category

    agencies = {a.code: a.name for a in Agency.objects.all()}
    zone_names = {z.code: z.name for z in zones}

    def labelled(items, label):
        return [r | {"label": label(r["key"])} for r in items]

    by_agency = labelled(figures["by_agency"], lambda k: agencies.get(k, k) if k else _("Not yet assigned"))
    by_category = labelled(figures["by_category"], lambda k: Category(k).label if k in Category.values else k)
    by_category.sort(key=lambda r: (-r["received"], str(r["label"])))
    by_zone = labelled(figures["by_zone"], lambda k: zone_names.get(k, k))
    months = {r["key"]: r for r in figures["by_month"]}
    by_month = [
        (months.get(f"{m:02d}") or {"key": f"{m:02d}", **_NO_FIGURES}) | {"label": f"{m:02d}/{year}"}
        for m in range(1, 13)
    ]
    agency_rows = {r["key"]: r for r in by_agency}
    ranking = [agency_rows[code] for code in figures["agency_ranking"] if code in agency_rows]
    return {
        "by_agency": by_agency,
        "by_category": by_category,
        "by_zone": by_zone,
        "by_month": by_month,
        "ranking": ranking,
    }


def answer_templates(*, agency_id: int, category: str) -> list:
    """The answer templates an agency may start from for a petition of this category: its own
    and the shared ones, for this category or for any."""
    from zonedesk.petitions.models import AnswerTemplate

    return list(
        AnswerTemplate.objects.filter(
            Q(agency_id=agency_id) | Q(agency__isnull=True), Q(category=category) | Q(category="")
        )
    )
