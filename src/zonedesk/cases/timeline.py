"""A case's timeline: one row per step, who took it, when, what and why. A case type's event
model inherits the base `timeline_base` makes for it (the foreign key to its case, named by
`case_field`, and the fields of a step):

    class DossierEvent(timeline_base(Dossier, case_field="dossier")):
        class Meta:
            ordering = ["dossier", "at", "id"]

`record` writes a step (in the caller's transaction) and then tells the case type's
notification hooks (`cases.notifications`), so that no service forgets either half;
`record(..., notify=False)` writes only (a step nobody is told about: grouping, history).

`read` is the one read model of a timeline, for the case's page and its API alike: each step
as one reader may see it (`Entry`), by the rules every case type shares (an officer reads who
acted and every note; anyone else reads the names of its own enterprise's people and, for the
others, which office acted) and those its case type declares in a `TimelinePolicy` (what each
step is called, which notes stay between officers, which steps only officers see at all, a
step's detail in a few words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonedesk.cases import notifications


class TimelineEvent(models.Model):
    """One step of a case's timeline (abstract: each case type has its own table, made with
    `timeline_base`, which puts the case's foreign key first and these fields after it)."""

    case_field = ""  # the name of the subclass's foreign key to its case

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # the fields are the subclass's (`timeline_base`): read by name
        return f"{getattr(self, f'{self.case_field}_id', '')} {getattr(self, 'action', '')} {getattr(self, 'at', ''):%Y-%m-%d}"


def timeline_base(case_model: Any, *, case_field: str, related_name: str = "events") -> type[TimelineEvent]:
    """The abstract base of a case type's timeline table: the foreign key `case_field` to
    `case_model` (a model or "app.Model"), then when, who (the person and their agency), the
    action, the states it moved between, the reason and any data. The fields are made here, in
    this order, so that the table's columns come in it too."""
    fields = {
        case_field: models.ForeignKey(case_model, on_delete=models.CASCADE, related_name=related_name),
        "at": models.DateTimeField(_("at"), db_index=True),
        "actor": models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL),
        "agency": models.ForeignKey("core.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"),
        "action": models.CharField(_("action"), max_length=30),
        "from_status": models.CharField(max_length=20, blank=True),
        "to_status": models.CharField(max_length=20, blank=True),
        "reason": models.TextField(_("reason"), blank=True),
        "data": models.JSONField(default=dict, blank=True),
    }
    meta = type("Meta", (), {"abstract": True})
    name = f"{case_field.title().replace('_', '')}TimelineBase"
    attrs = {"__module__": __name__, "__qualname__": name, "Meta": meta, "case_field": case_field, **fields}
    return type(name, (TimelineEvent,), attrs)


def record(
    model: type[TimelineEvent],
    case: Any,
    action: str,
    by: Any,
    *,
    from_status: str = "",
    to_status: str | None = None,
    reason: str = "",
    at: Any = None,
    notify: bool = True,
    state_field: str = "status",
    acting_agency: Any = None,
    **data: Any,
) -> TimelineEvent:
    """Write one step of `case`'s timeline and (unless `notify=False`) tell the hooks of its case
    type. `to_status` is the case's state when the step changed it (`from_status` given) unless
    said; `by` None is the system; the agency is the actor's unless `acting_agency` names the one
    the step was taken for (an answer given for an agency at a conference)."""
    if to_status is None:
        to_status = getattr(case, state_field) if from_status else ""
    manager: Any = model._default_manager  # the fields are the subclass's (`timeline_base`)
    event: TimelineEvent = manager.create(
        **{model.case_field: case},
        at=at or timezone.now(),
        actor=by,
        agency_id=acting_agency.pk if acting_agency is not None else getattr(by, "agency_id", None),
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data,
    )
    if notify:
        notifications.emit(case, action, reason=reason, **data)
    return event


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reader:
    """Who reads a timeline. is_officer: the board side or an agency officer (every person's name,
    every note); enterprise_id: the reader's enterprise, whose own people it reads by name."""

    is_officer: bool
    enterprise_id: int | None = None

    @classmethod
    def of(cls, actor: Any) -> Reader:
        """The reader `core.access.actor_of(user)` describes."""
        return cls(
            is_officer=bool(actor.is_board_side or actor.role == "agency"),
            enterprise_id=actor.enterprise_id,
        )


@dataclass(frozen=True)
class Entry:
    """One step of a timeline as its reader may see it.

    actor: the person who acted, or None when there was none or when the reader is not an officer
    and the person is not of the reader's own enterprise (an enterprise reads which office acted,
    never an officer's personal account); who: the line the page shows for it (the person, else
    the office, else the case type's word for a step nobody signed: `TimelinePolicy.unsigned`);
    detail: what the step did, in a few words (`TimelinePolicy.detail`); reason: empty for a note
    between officers (`TimelinePolicy.internal_reasons`) read by anyone else."""

    at: dt.datetime
    action: str
    label: Any
    from_status: str
    to_status: str
    to_label: Any
    actor: str | None
    agency: Any
    who: str
    detail: str
    reason: str

    @property
    def office(self) -> str:
        """The agency beside the person who acted (empty when `who` already names it)."""
        name = getattr(self.agency, "name", "")
        return str(name) if self.agency is not None and self.who != name else ""


@dataclass
class TimelinePolicy:
    """What a case type declares of its timeline's reading (the rules every type shares are in
    `read`). labels: what each step is called (else its action); statuses: the name of each state;
    internal_reasons: steps whose reason is a note between officers; officer_only: steps only
    officers see at all (a hand-over between divisions, a draft returned); board_name: the office
    named for a board officer who acted without an agency. Subclass it for `detail` and
    `unsigned`."""

    labels: Mapping[str, Any] = field(default_factory=dict)
    statuses: Mapping[str, Any] = field(default_factory=dict)
    internal_reasons: frozenset[str] = frozenset()
    officer_only: frozenset[str] = frozenset()
    board_name: Any = _("Management board")

    def detail(self, event: Any, reader: Reader) -> str:
        """What `event` did, in a few words, for `reader` (nothing by default)."""
        return ""

    def unsigned(self, event: Any) -> str:
        """Who the page names for a step no person took."""
        return str(_("Automatic"))


def read(events: Iterable[Any], reader: Reader, policy: TimelinePolicy) -> list[Entry]:
    """The steps of a timeline (its rows, oldest first, with `actor` and `agency` read along) as
    `reader` may see them, by `policy`."""
    rows = []
    for e in events:
        if e.action in policy.officer_only and not reader.is_officer:
            continue
        person = None
        own = reader.enterprise_id is not None and e.actor is not None and e.actor.enterprise_id == reader.enterprise_id
        if e.actor is not None and (reader.is_officer or own):
            person = e.actor.get_full_name() or e.actor.username
        if person is not None:
            who = person
        elif e.actor is not None:  # which office acted, not the officer's personal account
            who = e.agency.name if e.agency else str(policy.board_name)
        else:
            who = policy.unsigned(e)
        rows.append(
            Entry(
                at=e.at,
                action=e.action,
                label=policy.labels.get(e.action, e.action),
                from_status=e.from_status,
                to_status=e.to_status,
                to_label=policy.statuses.get(e.to_status, ""),
                actor=person,
                agency=e.agency,
                who=who,
                detail=policy.detail(e, reader),
                reason="" if e.action in policy.internal_reasons and not reader.is_officer else e.reason,
            )
        )
    return rows


__all__ = ["Entry", "Reader", "TimelineEvent", "TimelinePolicy", "read", "record", "timeline_base"]
