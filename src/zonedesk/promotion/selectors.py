"""Reads of the pipeline: the prospects a person may see, sorted and filtered; the kanban; the
reservations of a prospect; the land finder prefilled from its needs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from zonedesk.core.numbers import whole
from zonedesk.core.text import fold
from zonedesk.promotion.models import FUNNEL, OPEN_STAGES, Prospect, Stage

SORTS = {
    "score": ["-score", "-created_at"],
    "-score": ["score", "-created_at"],
    "stage": ["stage", "-score"],
    "company": ["company"],
    "next": ["next_step_due", "-score"],
    "new": ["-created_at"],
}


def prospects_for(user: Any, params: Mapping[str, str] | None = None) -> QuerySet:
    """The prospects `user` may see, filtered by `params` (stage, source, sector, country,
    manager, min_score, overdue, q) and sorted (`sort`: score by default)."""
    params = params or {}
    qs = Prospect.objects.restrict(user).select_related("manager", "dossier", "project")
    stage = params.get("stage", "")
    if stage == "open":
        qs = qs.filter(stage__in=sorted(OPEN_STAGES))
    elif stage in Stage.values:
        qs = qs.filter(stage=stage)
    for name in ("source", "sector"):
        if params.get(name):
            qs = qs.filter(**{name: params[name][:20]})
    if params.get("country"):
        qs = qs.filter(country=params["country"][:2].upper())
    manager = whole(params.get("manager", ""), max_digits=12)
    if manager is not None:
        qs = qs.filter(manager_id=manager)
    score = whole(params.get("min_score", ""), max_digits=3)
    if score is not None and score <= 100:
        qs = qs.filter(score__gte=score)
    if params.get("overdue"):
        qs = qs.filter(next_step_due__lt=timezone.localdate(), stage__in=sorted(OPEN_STAGES)).exclude(next_step="")
    q = (params.get("q") or "").strip()[:100]
    for word in fold(q).split():  # every word, in the folded code and company
        qs = qs.filter(search_text__contains=word)
    return qs.order_by(*SORTS.get(params.get("sort", "score"), SORTS["score"]), "-id")


def kanban(user: Any, params: Mapping[str, str] | None = None, per_column: int = 50) -> list[dict[str, Any]]:
    """The pipeline by stage: each column's prospects (the best scored first) and its count."""
    qs = prospects_for(user, {**(params or {}), "sort": "score"})
    columns = []
    for stage in [*FUNNEL, Stage.LOST.value]:
        rows = qs.filter(stage=stage)
        columns.append(
            {"stage": stage, "label": Stage(stage).label, "count": rows.count(), "rows": list(rows[:per_column])}
        )
    return columns


def reservations_of(prospect: Prospect, *, on: dt.date | None = None) -> list[Any]:
    """The parcels held for the prospect now (an expired one is not)."""
    from zonedesk.planning.models import ParcelReservation

    day = on or timezone.localdate()
    return list(
        ParcelReservation.objects.filter(holder=prospect.holder_key, released_at__isnull=True, until__gte=day)
        .select_related("zone")
        .order_by("until")
    )


def land_for(prospect: Prospect, zone: Any = None) -> QuerySet:
    """The vacant-land finder prefilled from the prospect's needs: its area, land use, networks."""
    from zonedesk.planning.selectors import vacant_parcels

    area = Decimal(prospect.land_ha or 0) * 10_000
    return vacant_parcels(
        zone=zone, min_area_m2=area or None, land_use=prospect.land_use, ready=prospect.needs_networks
    )


def overdue(prospect: Prospect) -> bool:
    return bool(
        prospect.is_open
        and prospect.next_step
        and prospect.next_step_due
        and prospect.next_step_due < timezone.localdate()
    )


def by_token(token: str) -> Prospect | None:
    """A public enquiry by its tracking token (unguessable), or None."""
    if not token or len(token) > 64:
        return None
    return Prospect.objects.filter(tracking_token=token, source="public_site").first()


__all__ = ["SORTS", "by_token", "kanban", "land_for", "overdue", "prospects_for", "reservations_of"]


def _policy() -> Any:
    from django.utils.translation import gettext_lazy as _

    from zonedesk.cases import timeline
    from zonedesk.promotion.workflow import PROSPECT

    class ProspectTimeline(timeline.TimelinePolicy):
        def detail(self, event: Any, reader: Any) -> str:
            d = event.data or {}
            if "dossier" in d:
                return str(d["dossier"])
            if "project" in d:
                return str(d["project"])
            if "parcel" in d:
                until = dt.date.fromisoformat(d["until"]).strftime("%d/%m/%Y") if d.get("until") else ""
                return str(d["parcel"]) + (f" → {until}" if until else "")
            if "title" in d:
                return str(d["title"])
            if "step" in d:
                return str(d["step"])
            return ""

        def unsigned(self, event: Any) -> str:
            return str(_("Automatic (the one-stop desk or the reminders)"))

    return ProspectTimeline(
        labels={
            "create": _("Recorded"),
            "enquiry": _("Enquiry through the public site"),
            "edit": _("Data changed"),
            "contact": _("Contact recorded"),
            "document": _("Document added"),
            "reserve": _("Parcel reserved"),
            "release": _("Reservation released"),
            "reply": _("Reply sent"),
            "remind": _("Overdue next step reminded"),
            **{a: t.label for a, t in PROSPECT.table.items()},
        },
        statuses=dict(Stage.choices),
    )


def prospect_timeline(prospect: Prospect, user: Any) -> list[Any]:
    from zonedesk.cases import timeline
    from zonedesk.core.permissions import actor_of
    from zonedesk.promotion.models import ProspectEvent

    events = ProspectEvent.objects.filter(prospect=prospect).select_related("actor", "agency").order_by("at", "id")
    return timeline.read(events, timeline.Reader.of(actor_of(user)), _policy())


# what the public reads of a prospect the board published: who, from where, in what sector, how far
PUBLIC_STAGES = {
    "enquiry": "talks",
    "qualified": "talks",
    "site_visit": "talks",
    "proposal": "talks",
    "decision": "talks",
    "dossier_filed": "filed",
    "licensed": "licensed",
    "aftercare": "licensed",
}


def published_prospects() -> QuerySet:
    """The prospects the board published, still in the pipeline or licensed (a lost one is not
    shown), the latest moves first; only the fields the public page shows are read."""
    return (
        Prospect.objects.filter(published=True, stage__in=list(PUBLIC_STAGES))
        .select_related("project")
        .only(
            "pk",
            "company",
            "country",
            "sector",
            "project_name",
            "stage",
            "stage_since",
            "project__code",
            "project__name_vi",
            "project__name_en",
        )
        .order_by("-stage_since", "-id")
    )
