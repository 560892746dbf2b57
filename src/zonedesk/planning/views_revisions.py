"""The history of the plan: the revisions of a layer of a zone and the comparison of any two.

The public sees the revisions in force or past (`effective_date` not after today) and the
public fields of the comparison; the board side also sees revisions not yet in force and the
private fields (lease price, internal note)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zonedesk.core.inputs import zone_by_code
from zonedesk.core.models import Zone
from zonedesk.core.numbers import num
from zonedesk.planning import selectors
from zonedesk.planning.models import Layer, Occupancy, PlanRevision
from zonedesk.planning.selectors import public_diff
from zonedesk.planning.views import canonical


def visible_revisions(user: Any):
    return PlanRevision.objects.restrict(user).select_related("zone", "decision")


def _label(model, name: str) -> str:
    if name == "geometry":
        return str(_("shape (area in m²)"))
    return str(model._meta.get_field(name).verbose_name)


def _shown(name: str, value: Any) -> Any:
    """A compared value as a person reads it: labels for choices, yes/no, Vietnamese numbers."""
    if value is None:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "occupancy" and value in Occupancy.values:
        return Occupancy(value).label
    if isinstance(value, int | float):
        return num(value, None if isinstance(value, float) else 0)
    return value


@require_GET
def revision_list(request: HttpRequest) -> HttpResponse:
    zones = list(Zone.objects.order_by("code"))
    code = request.GET.get("zone") or (zones[0].code if zones else "")
    zone = zone_by_code(code)
    if zone is None and zones:
        raise Http404
    if zone is not None and zone.code != code:
        return canonical(request, request.path, zone=zone.code)
    layer = request.GET.get("layer") or Layer.PARCELS
    if layer not in Layer.values:
        raise Http404
    revisions = list(visible_revisions(request.user).filter(zone=zone, layer=layer).order_by("-number"))
    today = timezone.localdate()
    for r in revisions:
        r.not_yet = r.effective_date > today
    current = selectors.current_revision(zone, layer) if zone else None
    return render(
        request,
        "planning/revisions.html",
        {
            "zones": zones,
            "zone": zone,
            "layer": layer,
            "layers": Layer.choices,
            "revisions": revisions,
            "current": current,
        },
    )


@require_GET
def revision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A revision and what changed from another one (by default the one before it)."""
    revisions = visible_revisions(request.user)
    revision = get_object_or_404(revisions, pk=pk)
    others = list(revisions.filter(zone=revision.zone, layer=revision.layer).exclude(pk=pk).order_by("-number"))
    other_pk = request.GET.get("with", "")
    if other_pk:
        other = next((r for r in others if str(r.pk) == other_pk), None)
        if other is None:
            raise Http404
    else:
        other = next((r for r in others if r.number < revision.number), None)
    diff = None
    if other is not None:
        old, new = (other, revision) if other.number < revision.number else (revision, other)
        diff = public_diff(selectors.revision_diff(old, new), request.user)
        model = selectors.MODELS[Layer(revision.layer)]
        for row in diff["changed"]:
            row["rows"] = [
                (_label(model, name), {"old": _shown(name, v["old"]), "new": _shown(name, v["new"])})
                for name, v in row["fields"].items()
            ]
    return render(
        request,
        "planning/revision.html",
        {
            "revision": revision,
            "others": others,
            "other": other,
            "diff": diff,
            "in_force": selectors.current_revision(revision.zone, revision.layer) == revision,
        },
    )
