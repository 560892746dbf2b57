"""The one-stop desk's reads: the catalogue as the public reads it, a dossier as its reader may
see it (its timeline by `cases.timeline.read`), the public lookup by code."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonedesk.cases import timeline
from zonedesk.core.permissions import actor_of
from zonedesk.core.text import fold
from zonedesk.procedures.models import (
    CLOSED_STATUSES,
    Dossier,
    DossierEvent,
    Procedure,
    ProcedureVersion,
    Status,
    VersionStep,
)
from zonedesk.procedures.workflow import DOSSIER


def catalogue(q: str = "") -> QuerySet[Procedure]:
    """The procedures offered, searched without accents in their code, names and field."""
    rows = Procedure.objects.filter(active=True)
    for word in fold(q).split()[:8]:
        rows = rows.filter(search_text__contains=word)
    return rows.order_by("order", "code")


def version_in_force(procedure: Procedure, day: dt.date | None = None) -> ProcedureVersion | None:
    day = day or timezone.localdate()
    return (
        procedure.versions.filter(effective_from__lte=day)
        .prefetch_related("parts", Prefetch("steps", queryset=VersionStep.objects.select_related("unit")))
        .order_by("-effective_from")
        .first()
    )


def catalogue_in_force(q: str = "", day: dt.date | None = None) -> list[tuple[Procedure, ProcedureVersion | None]]:
    """The catalogue with each procedure's version in force (two queries in all, not one per
    procedure): for the API's list."""
    day = day or timezone.localdate()
    in_force = ProcedureVersion.objects.filter(effective_from__lte=day).order_by("-effective_from")
    rows = catalogue(q).prefetch_related(Prefetch("versions", queryset=in_force))
    return [(p, next(iter(p.versions.all()), None)) for p in rows]


class DossierTimeline(timeline.TimelinePolicy):
    pass


POLICY = DossierTimeline(
    labels={
        "file": _("Filed"),
        "request_supplement": _("Supplement requested"),
        "supplement": _("Supplement sent"),
        "apologise": _("Apology sent, new appointment"),
        "rate": _("Rated"),
        **{a: t.label for a, t in DOSSIER.table.items() if a not in {"request_supplement", "supplement"}},
    },
    statuses=dict(Status.choices),
    internal_reasons=frozenset({"send_back"}),
    officer_only=frozenset({"forward", "send_back"}),
)


def dossier_timeline(dossier: Dossier, user: Any) -> list[timeline.Entry]:
    events = DossierEvent.objects.filter(dossier=dossier).select_related("actor", "agency").order_by("at", "id")
    return timeline.read(events, timeline.Reader.of(actor_of(user)), POLICY)


@dataclass(frozen=True)
class Lookup:
    """What the public reads of a dossier by its code: no names, no files."""

    code: str
    procedure: str
    status: str
    status_label: str
    filed_on: dt.date
    received_at: dt.datetime | None
    appointment: dt.datetime | None
    returned_at: dt.datetime | None
    on_time: bool | None
    late_now: bool


def lookup(code: str) -> Lookup | None:
    d = Dossier.objects.select_related("procedure").filter(code=(code or "").strip()[:40]).first()
    if d is None:
        return None
    now = timezone.now()
    closed = d.status in CLOSED_STATUSES
    return Lookup(
        code=d.code,
        procedure=d.procedure.name,
        status=d.status,
        status_label=str(Status(d.status).label),
        filed_on=timezone.localdate(d.filed_at),
        received_at=d.received_at,
        appointment=d.due_at,
        returned_at=d.closed_at if d.status == Status.RETURNED else None,
        on_time=d.on_time,
        late_now=bool(not closed and d.paused_at is None and d.due_at and d.due_at < now),
    )


def dossiers_for(user: Any, *, status: str = "", unit_only: bool = False) -> QuerySet[Dossier]:
    """The dossiers a person may see, newest first; `unit_only`: those waiting at the person's
    units (the queue of a unit of the board)."""
    rows = Dossier.objects.restrict(user).select_related("procedure", "enterprise", "unit")
    if status:
        rows = rows.filter(status=status)
    if unit_only:
        from zonedesk.procedures.models import OPEN_STATUSES, UnitMember

        units = list(UnitMember.objects.filter(user=user).values_list("unit_id", flat=True))
        rows = rows.filter(status__in=sorted(OPEN_STATUSES))  # the partial index's condition, word for word
        rows = rows.filter(unit_id=units[0]) if len(units) == 1 else rows.filter(unit_id__in=units)
    return rows.order_by("due_at", "-filed_at") if unit_only else rows


def verification(code: str) -> dict[str, Any]:
    """A result's check by its number (404 when no result has it): signed by the board, unchanged."""
    from django.http import Http404

    from zonedesk.procedures import documents
    from zonedesk.procedures.models import Result

    result = Result.objects.filter(code=(code or "").strip()[:60]).first()
    if result is None:
        raise Http404
    checked = documents.verify_code(result.code) if hasattr(documents, "verify_code") else None
    return {
        "code": result.code,
        "known": True,
        "kind": result.kind,
        "decision_date": result.decision_date,
        "signed": bool(checked and checked.signed),
        "intact": bool(checked and checked.intact),
        "trusted": bool(checked and checked.trusted),
        "signer": getattr(checked, "signer", None),
        "signed_at": getattr(checked, "signed_at", None),
        "demo": bool(getattr(checked, "demo", False)),
        "problem": str(getattr(checked, "problem", "") or ""),
    }


def form_values(dossier: Dossier) -> list[tuple[Any, Any]]:
    """The dossier's form as a person reads it: each field's label and value, in the order the
    procedure asks them (money grouped in thousands)."""
    from django.utils.formats import number_format

    from zonedesk.procedures.fields import FIELDS, MONEY

    rows = []
    for key in dossier.procedure_version.form_fields:
        if key not in dossier.form:
            continue
        f, value = FIELDS[key], dossier.form[key]
        if f.kind == MONEY:
            value = f"{number_format(value, force_grouping=True)} VND"
        rows.append((f.label, value))
    return rows
