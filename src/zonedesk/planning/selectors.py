"""Reads of the plan: the revision in force, features of a layer, comparisons of revisions,
and the public fields of a feature (one list, used by the map, OGC API and downloads)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from zonedesk.core.generations import cached
from zonedesk.core.inputs import zone_by_code  # noqa: F401 - one resolver of zone codes, named here by the planning pages
from zonedesk.core.models import Zone
from zonedesk.core.permissions import has_capability
from zonedesk.planning.models import (
    INFRASTRUCTURE,
    FunctionalArea,
    Layer,
    Occupancy,
    Parcel,
    ParcelReservation,
    PlanRevision,
    ZoneBoundary,
)

MODELS = {Layer.BOUNDARY: ZoneBoundary, Layer.AREAS: FunctionalArea, Layer.PARCELS: Parcel}

# The fields anyone may read, per layer (who leases a parcel is public; its price and notes are not).
PUBLIC_FIELDS = {
    Layer.BOUNDARY: ["zone", "zone_name", "area_m2"],
    Layer.AREAS: ["code", "name", "land_use", "land_use_name", "zone", "area_m2"],
    Layer.PARCELS: [
        "code",
        "land_use",
        "land_use_name",
        "zone",
        "area_m2",
        "max_density_pct",
        "max_height_m",
        "max_far",
        *INFRASTRUCTURE,
        "infrastructure_ready",
        "occupancy",
        "project",
        "leased_by",
    ],
}
PRIVATE_FIELDS = {Layer.PARCELS: ["lease_price_vnd_m2", "private_note"]}
# the fields a revision comparison looks at (geometry compared separately)
COMPARED = {
    Layer.BOUNDARY: [],
    Layer.AREAS: ["name", "land_use"],
    Layer.PARCELS: [
        "land_use",
        "max_density_pct",
        "max_height_m",
        "max_far",
        *INFRASTRUCTURE,
        "occupancy",
        "project",
        "lease_price_vnd_m2",
        "private_note",
    ],
}


def current_revision(zone: Zone, layer: str, on: dt.date | None = None) -> PlanRevision | None:
    """The revision in force on a day: the newest by effective date (then by number) not after it."""
    on = on or timezone.localdate()
    return (
        PlanRevision.objects.filter(zone=zone, layer=layer, effective_date__lte=on)
        .order_by("-effective_date", "-number")
        .first()
    )


# Bumped by every save or delete of a plan revision (`planning.apps`) and by the bulk generator:
# what is in force on a day, and where its features lie, only changes then.
PLAN_GENERATION = "planning.revisions"


def current_revision_ids(
    layer: str, on: dt.date | None = None, zones: QuerySet | None = None, *, current: int | None = None
) -> list[int]:
    """The revision in force of this layer for every zone (of `zones`, or of all, then cached
    under `PLAN_GENERATION`: at national scale the OGC API asks on every request; `current`:
    the plan's generation when the caller has just read it)."""
    if zones is not None:
        return _current_revision_ids(layer, on or timezone.localdate(), zones)
    return list(revision_extents(layer, on, current=current))


def revision_extents(
    layer: str, on: dt.date | None = None, *, current: int | None = None
) -> dict[int, tuple[float, float, float, float]]:
    """The revisions in force of a layer (one a zone), each with the bounding box (west, south,
    east, north) of its features, so that a bbox query reads only the revisions (zones) it can
    reach; cached under `PLAN_GENERATION` (one read of the generation when cached)."""
    on = on or timezone.localdate()
    model = MODELS[Layer(layer)]

    def build():
        ids = _current_revision_ids(layer, on, None)
        rows = (
            model.objects.filter(revision_id__in=ids)
            .order_by()
            .values("revision_id")
            .annotate(w=Min("minx"), s=Min("miny"), e=Max("maxx"), n=Max("maxy"))
        )
        boxes = {r["revision_id"]: (r["w"], r["s"], r["e"], r["n"]) for r in rows}
        # a revision in force without features (an emptied layer) still counts as in force
        return {pk: boxes.get(pk, (0.0, 0.0, 0.0, 0.0)) for pk in ids}, None

    return cached(PLAN_GENERATION, f"plan-in-force:{layer}:{on.isoformat()}", build, current=current)


def _current_revision_ids(layer: str, on: dt.date, zones: QuerySet | None) -> list[int]:
    qs = PlanRevision.objects.filter(layer=layer, effective_date__lte=on)
    if zones is not None:
        qs = qs.filter(zone__in=zones)
    best: dict[int, tuple] = {}
    for pk, zone_id, eff, number in qs.values_list("pk", "zone_id", "effective_date", "number"):
        key = (eff, number)
        if zone_id not in best or key > best[zone_id][0]:
            best[zone_id] = (key, pk)
    return [pk for _key, pk in best.values()]


def current_features(
    layer: str, on: dt.date | None = None, zone: Zone | None = None, *, within: list[int] | None = None
) -> QuerySet:
    """The features in force of a layer, across zones or for one; `within`: only those of these
    revisions, which must be in force (chosen from `revision_extents`)."""
    model = MODELS[Layer(layer)]
    if within is not None:  # revisions in force already (keys of `revision_extents`)
        ids = list(within)
        if zone is not None:
            ids = list(PlanRevision.objects.filter(pk__in=ids, zone=zone).values_list("pk", flat=True))
    else:
        ids = current_revision_ids(layer, on, Zone.objects.filter(pk=zone.pk) if zone else None)
    qs = model.objects.filter(revision_id__in=ids).select_related("zone")
    if layer != Layer.BOUNDARY:
        qs = qs.select_related("land_use")
    if layer == Layer.PARCELS:
        qs = qs.select_related("project", "project__enterprise").annotate(reserved_now=reserved_now())
    return qs.order_by("zone__code", *([] if layer == Layer.BOUNDARY else ["code"]), "pk")


def reserved_now(on: dt.date | None = None) -> Exists:
    """Whether a parcel (a row of `Parcel`) is held by a reservation on `on` (today): one not
    released and not past its date. An expired one is released here even before the periodic job
    marks it."""
    day = on or timezone.localdate()
    return Exists(
        ParcelReservation.objects.filter(
            zone_id=OuterRef("zone_id"), parcel_code=OuterRef("code"), released_at__isnull=True, until__gte=day
        )
    )


def occupancy_of(parcel: Any) -> str:
    """The parcel's occupancy as everyone reads it: a vacant parcel held by a reservation is
    "reserved" (never saying for whom)."""
    reserved = getattr(parcel, "reserved_now", None)
    if reserved is None:
        reserved = Parcel.objects.filter(pk=parcel.pk).filter(reserved_now()).exists()
    if parcel.occupancy == Occupancy.VACANT and reserved:
        return str(Occupancy.RESERVED)
    return str(parcel.occupancy)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def properties(feature: Any, layer: str, *, private: bool = False) -> dict[str, Any]:
    """The properties of a feature as the map, OGC API and downloads show them."""
    out: dict[str, Any] = {}
    for name in PUBLIC_FIELDS[Layer(layer)] + (PRIVATE_FIELDS.get(Layer(layer), []) if private else []):
        if name == "zone":
            out[name] = feature.zone.code
        elif name == "zone_name":
            out[name] = feature.zone.name
        elif name == "land_use":
            out[name] = feature.land_use.code
        elif name == "land_use_name":
            out[name] = feature.land_use.name
        elif name == "project":
            out[name] = feature.project.code if feature.project_id else None
        elif name == "leased_by":
            out[name] = feature.project.enterprise.name if feature.project_id else None
        elif name == "infrastructure_ready":
            out[name] = feature.infrastructure_ready
        elif name == "occupancy" and layer == Layer.PARCELS:
            out[name] = occupancy_of(feature)
        else:
            out[name] = _plain(getattr(feature, name))
    return out


def _comparable(feature: Any, layer: str) -> dict[str, Any]:
    out = {}
    for name in COMPARED[Layer(layer)]:
        if name == "land_use":
            out[name] = feature.land_use.code
        elif name == "project":
            out[name] = feature.project.code if feature.project_id else None
        else:
            out[name] = _plain(getattr(feature, name))
    return out


def revision_diff(old: PlanRevision, new: PlanRevision) -> dict[str, Any]:
    """Features added, removed and changed (with the changed fields, old and new values) from one
    revision of a layer to another. Features are matched by code (the zone for boundaries)."""
    if old.zone_id != new.zone_id or old.layer != new.layer:
        raise ValueError("compare two revisions of the same layer of the same zone")
    layer = old.layer
    model = MODELS[Layer(layer)]
    related = [] if layer == Layer.BOUNDARY else ["land_use"]
    if layer == Layer.PARCELS:
        related.append("project")

    def by_code(revision):
        rows = model.objects.filter(revision=revision).select_related(*related)
        return {getattr(r, "code", "") or "": r for r in rows}

    a, b = by_code(old), by_code(new)
    changed = []
    for code in sorted(a.keys() & b.keys()):
        before, after = _comparable(a[code], layer), _comparable(b[code], layer)
        fields = {k: {"old": before[k], "new": after[k]} for k in before if before[k] != after[k]}
        if a[code].geometry != b[code].geometry:
            fields["geometry"] = {"old": float(a[code].area_m2), "new": float(b[code].area_m2)}
        if fields:
            changed.append({"code": code, "fields": fields})
    return {
        "zone": new.zone.code,
        "layer": layer,
        "old": old.number,
        "new": new.number,
        "added": sorted(b.keys() - a.keys()),
        "removed": sorted(a.keys() - b.keys()),
        "changed": changed,
    }


def public_diff(diff: dict[str, Any], user: Any) -> dict[str, Any]:
    """A comparison (`revision_diff`) without the private fields (lease price, internal note) for
    those who may not read them (capability `planning.view_private`); a feature whose only
    changes were private ones is left out. Used by the history pages and the API."""
    if has_capability(user, "planning.view_private"):
        return diff
    private = set(PRIVATE_FIELDS.get(Layer(diff["layer"]), []))
    changed = []
    for row in diff["changed"]:
        fields = {k: v for k, v in row["fields"].items() if k not in private}
        if fields:
            changed.append({"code": row["code"], "fields": fields})
    return {**diff, "changed": changed}


def vacant_parcels(
    *, zone: Zone | None = None, min_area_m2: Decimal | float | None = None, land_use: str = "", ready: bool = False
) -> QuerySet:
    """The vacant-land finder: vacant parcels in force, optionally at least an area, of a use, with
    every network ready."""
    qs = current_features(Layer.PARCELS, zone=zone).filter(occupancy="vacant", reserved_now=False)
    if min_area_m2:
        qs = qs.filter(area_m2__gte=min_area_m2)
    if land_use:
        qs = qs.filter(land_use__code=land_use)
    if ready:
        qs = qs.filter(Q(power=True) & Q(water=True) & Q(drainage=True) & Q(telecom=True))
    return qs.order_by("-area_m2", "code")


def land_rate_from_parcels(zone: Zone, on: dt.date | None = None) -> float | None:
    """The land registration rate from the plan in force: leased and reserved parcels of land for
    projects over all parcels of land for projects (4 decimals, as `zone_figures`)."""
    parcels = current_features(Layer.PARCELS, on=on, zone=zone).filter(land_use__leasable=True)
    sums = parcels.aggregate(
        total=Sum("area_m2"), taken=Sum("area_m2", filter=Q(occupancy__in=[Occupancy.LEASED, Occupancy.RESERVED]))
    )
    if not sums["total"]:
        return None
    return round(float((sums["taken"] or Decimal(0)) / sums["total"]), 4)


def in_force_ids(zones: QuerySet | None = None) -> set[int]:
    """The ids of the revisions in force today, of every layer (of `zones`, or of all zones)."""
    return {pk for layer in Layer.values for pk in current_revision_ids(layer, zones=zones)}
