"""Writes of the plan: planning decisions and revisions. Each runs in one transaction.

`revision_create` is the only way features enter the database: it takes features already
checked by the import (`imports.py`), checks the invariants once more (valid polygons in WGS 84,
known land uses, unique codes, projects that exist) and writes a new revision with all of them,
or nothing. Nothing is ever updated in place: a change of the plan is a new revision.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from shapely.geometry.base import BaseGeometry

from zonedesk.core.errors import ServiceError
from zonedesk.core.models import Zone
from zonedesk.core.money import MAX_VND, parse_whole
from zonedesk.core.permissions import has_capability
from zonedesk.investment.models import Project
from zonedesk.planning import geometry
from zonedesk.planning.models import (
    INFRASTRUCTURE,
    FunctionalArea,
    LandUse,
    Layer,
    Occupancy,
    Parcel,
    PlanningDecision,
    PlanRevision,
    ZoneBoundary,
)

MAX_FEATURES = 50_000  # per revision


@dataclass
class Feature:
    """One feature ready to be written: WGS 84 geometry and the parcel/area fields by name."""

    geometry: BaseGeometry
    code: str = ""
    properties: dict[str, Any] = field(default_factory=dict)


def _may_plan(by: Any) -> None:
    if not has_capability(by, "planning.edit"):
        raise PermissionDenied(_("Only the board keeps the plan."))


@transaction.atomic
def decision_create(
    *, zone: Zone, by: Any, number: str, date: dt.date, authority: str, title: str = "", document: Any = None
) -> PlanningDecision:
    _may_plan(by)
    errors = {}
    number, authority = (number or "").strip(), (authority or "").strip()
    if not number:
        errors["number"] = _("Give the number of the decision.")
    elif PlanningDecision.objects.filter(zone=zone, number=number).exists():
        errors["number"] = _("This zone already has a decision with this number.")
    if not isinstance(date, dt.date):
        errors["date"] = _("Enter a date as YYYY-MM-DD.")
    if not authority:
        errors["authority"] = _("Say which authority decided.")
    if errors:
        raise ServiceError(errors)
    decision = PlanningDecision(zone=zone, number=number, date=date, authority=authority, title=(title or "").strip())
    if document is not None:
        decision.document.save(document.name, document, save=False)
    decision.save()
    return decision


def _decimal(value: Any, name: str, errors: list[str], *, low: Decimal, high: Decimal | None = None) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.append(_("%(field)s is not a number: “%(value)s”.") % {"field": name, "value": value})
        return None
    if not d.is_finite() or d < low or (high is not None and d > high):
        errors.append(_("%(field)s is out of range: %(value)s.") % {"field": name, "value": value})
        return None
    return d


def feature_values(
    layer: str, f: Feature, land_uses: dict[str, LandUse], projects: dict[str, Project]
) -> tuple[dict, list[str]]:
    """The model fields of one feature and the reasons it cannot be written (empty when fine)."""
    errors: list[str] = []
    g = f.geometry
    if g is None or g.is_empty:
        errors.append(_("The feature has no geometry."))
    elif g.geom_type not in {"Polygon", "MultiPolygon"}:
        errors.append(_("The geometry is a %(type)s, not a polygon.") % {"type": g.geom_type})
    elif not g.is_valid:
        errors.append(_("The geometry is not valid."))
    else:
        minx, miny, maxx, maxy = g.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            errors.append(_("The coordinates are not longitude and latitude in WGS 84."))
    values: dict[str, Any] = {}
    if layer == Layer.BOUNDARY:
        return values, errors
    p = f.properties
    code = (f.code or "").strip()
    if not code:
        errors.append(_("The feature has no code."))
    elif len(code) > 40:
        errors.append(_("The code is longer than 40 characters."))
    values["code"] = code
    use = land_uses.get(str(p.get("land_use") or "").strip().upper())
    if use is None:
        errors.append(_("Unknown land use “%(code)s”.") % {"code": p.get("land_use") or ""})
    values["land_use"] = use
    if layer == Layer.AREAS:
        values["name"] = str(p.get("name") or "")[:255]
        return values, errors
    values["max_density_pct"] = _decimal(
        p.get("max_density_pct"), _("Building density"), errors, low=Decimal(0), high=Decimal(100)
    )
    values["max_height_m"] = _decimal(p.get("max_height_m"), _("Height"), errors, low=Decimal(0), high=Decimal(1000))
    values["max_far"] = _decimal(p.get("max_far"), _("Floor-area ratio"), errors, low=Decimal(0), high=Decimal(100))
    for name in INFRASTRUCTURE:
        ready = p.get(name, False)
        if ready in (None, ""):
            ready = False
        if not isinstance(ready, bool):  # the import reads "có"/"yes"/1 into booleans first
            errors.append(_("%(field)s is not yes or no: “%(value)s”.") % {"field": name, "value": ready})
            ready = False
        values[name] = ready
    occupancy = str(p.get("occupancy") or Occupancy.VACANT)
    if occupancy not in Occupancy.values:
        errors.append(_("Unknown occupancy “%(value)s”.") % {"value": occupancy})
    values["occupancy"] = occupancy
    project_code = str(p.get("project") or "").strip()
    values["project"] = None
    if project_code:
        values["project"] = projects.get(project_code)
        if values["project"] is None:
            errors.append(_("No project with the code “%(code)s” in this zone.") % {"code": project_code})
    price = p.get("lease_price_vnd_m2")
    if price not in (None, ""):
        number = parse_whole(price)  # "1.250.000" yes; "1250000.5" or "12,5" no: never guessed
        if number is None or not 0 <= number <= MAX_VND:
            errors.append(_("The lease price is not a whole number of VND: “%(value)s”.") % {"value": price})
        else:
            values["lease_price_vnd_m2"] = number
    values["private_note"] = str(p.get("private_note") or "")
    return values, errors


@transaction.atomic
def revision_create(
    *,
    zone: Zone,
    layer: str,
    features: Iterable[Feature],
    effective_date: dt.date,
    by: Any,
    decision: PlanningDecision | None = None,
    note: str = "",
    source_name: str = "",
    source_format: str = "",
    source_crs: str = "",
    repairs: list[dict] | None = None,
) -> PlanRevision:
    """A new revision of one layer of a zone with all these features, or `ServiceError` and
    nothing written (`{"features": ["<code>: <reason>", ...]}`)."""
    _may_plan(by)
    if layer not in Layer.values:
        raise ServiceError({"layer": _("Unknown layer.")})
    if not isinstance(effective_date, dt.date):
        raise ServiceError({"effective_date": _("Enter a date as YYYY-MM-DD.")})
    if decision is not None and decision.zone_id != zone.pk:
        raise ServiceError({"decision": _("This decision is about another zone.")})
    features = list(features)
    if not features:
        raise ServiceError({"features": [_("The file has no features.")]})
    if len(features) > MAX_FEATURES:
        raise ServiceError({"features": [_("At most %(n)s features in one revision.") % {"n": MAX_FEATURES}]})
    if layer == Layer.BOUNDARY and len(features) != 1:
        raise ServiceError({"features": [_("A zone boundary is one feature (a polygon or a multipolygon).")]})

    land_uses = {u.code.upper(): u for u in LandUse.objects.all()}
    projects = {p.code: p for p in Project.objects.filter(zone=zone)}
    rows, problems, seen = [], [], set()
    for i, f in enumerate(features, 1):
        values, errors = feature_values(layer, f, land_uses, projects)
        label = values.get("code") or _("feature %(n)s") % {"n": i}
        if values.get("code") and values["code"] in seen:
            errors.append(_("The code is used by another feature of the file."))
        seen.add(values.get("code"))
        problems.extend(f"{label}: {e}" for e in errors)
        rows.append((f, values))
    if problems:
        raise ServiceError({"features": problems})

    # Django drops FOR UPDATE from aggregates: lock the zone row so two imports never take one number
    list(Zone.objects.select_for_update().filter(pk=zone.pk).values_list("pk", flat=True))
    number = (PlanRevision.objects.filter(zone=zone, layer=layer).aggregate(n=Max("number"))["n"] or 0) + 1
    revision = PlanRevision.objects.create(
        zone=zone,
        layer=layer,
        number=number,
        effective_date=effective_date,
        decision=decision,
        note=note,
        source_name=source_name[:255],
        source_format=source_format[:40],
        source_crs=source_crs[:80],
        repairs=repairs or [],
        feature_count=len(rows),
        created_by=by,
    )
    model = {Layer.BOUNDARY: ZoneBoundary, Layer.AREAS: FunctionalArea, Layer.PARCELS: Parcel}[Layer(layer)]
    model.objects.bulk_create(
        [model(revision=revision, zone=zone, **values, **geometry.geo_fields(f.geometry)) for f, values in rows],
        batch_size=1000,
    )
    return revision
