"""The reads of the OGC API: the revisions in force, a layer's extent, one page of a collection's
features (by bbox, filters and date) and the feature an id names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shapely
from django.db.models import BooleanField, ExpressionWrapper, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.models import bilingual
from zonedesk.planning import geometry, selectors
from zonedesk.planning.models import INFRASTRUCTURE, Layer, PlanRevision
from zonedesk.planning.ogc.params import COLLECTIONS, CRS84, GREGORIAN, Box, Collection, not_found


def feature_id(feature: Any, layer: str) -> str:
    """Stable and unique within the collection: the zone code, or "<zone code>-<code>"."""
    if layer == Layer.BOUNDARY:
        return feature.zone.code
    return f"{feature.zone.code}-{feature.code}"


def today() -> dt.date:
    return timezone.localdate()


def revision_ids(layer: str, on: dt.date | None = None, plan: int | None = None) -> list[int]:
    return sorted(selectors.current_revision_ids(layer, on=on, current=plan))


def layer_extent(layer: str) -> dict[str, Any] | None:
    ids = revision_ids(layer)
    model = selectors.MODELS[Layer(layer)]
    box = model.objects.filter(revision_id__in=ids).aggregate(
        minx=Min("minx"), miny=Min("miny"), maxx=Max("maxx"), maxy=Max("maxy")
    )
    if box["minx"] is None:
        return None
    first = PlanRevision.objects.filter(layer=layer, effective_date__lte=today()).aggregate(d=Min("effective_date"))
    corners = [round(box[k], geometry.PRECISION) for k in ("minx", "miny", "maxx", "maxy")]
    extent: dict[str, Any] = {"spatial": {"bbox": [corners], "crs": CRS84}}
    if first["d"]:
        extent["temporal"] = {"interval": [[f"{first['d']:%Y-%m-%d}T00:00:00Z", None]], "trs": GREGORIAN}
    return extent


def all_revision_ids() -> list[list[int]]:
    return [revision_ids(c.layer) for c in COLLECTIONS.values()]


def _inside(boxes: list[Box]) -> Q:
    """Features whose bounding box lies inside one of the boxes (so their geometry does too)."""
    q = Q()
    for west, south, east, north in boxes:
        q |= Q(minx__gte=west, maxx__lte=east, miny__gte=south, maxy__lte=north)
    return q


def _shown_columns(layer: str) -> list[str]:
    """What a feature of the API shows: its own columns and the few it takes from its zone, land
    use, project and enterprise (not their every column: a page of a hundred parcels would read
    five hundred full rows)."""
    model = selectors.MODELS[Layer(layer)]
    own = [f.attname for f in model._meta.concrete_fields]
    related = ["zone__code", "zone__name_vi", "zone__name_en"]
    if layer != Layer.BOUNDARY:
        related += ["land_use__code", "land_use__name_vi", "land_use__name_en"]
    if layer == Layer.PARCELS:
        # and whether a reservation holds it (`selectors.reserved_now`, annotated by
        # `current_features`): read with the page, not asked again for each parcel
        related += ["project__code", "project__enterprise__name", "reserved_now"]
    return own + related


def select_items(
    c: Collection, *, boxes: list[Box] | None, filters: dict[str, str], on: dt.date | None, offset: int, limit: int
) -> tuple[list[Any], int]:
    """One page of the features of a collection and how many match in all.

    With a bbox, the indexed bounding boxes give the candidates; those whose bounding box lies
    inside the query box intersect it for sure, the others (crossing its edge) are tested on
    their geometry with Shapely. The page is cut from the exact list, in the collection's order.
    """
    within = None
    if boxes:  # only the revisions (zones) whose features can reach a box
        within = [
            rid
            for rid, (w, s, e, n) in selectors.revision_extents(c.layer, on).items()
            if any(w <= east and e >= west and s <= north and n >= south for west, south, east, north in boxes)
        ]
    qs: QuerySet = selectors.current_features(c.layer, on=on, within=within)
    for name, value in filters.items():
        qs = qs.filter(**{c.filters[name]: value})
    if not boxes:
        return list(qs[offset : offset + limit]), qs.count()
    candidates = geometry.bbox_filter(qs, *boxes[0])
    for box in boxes[1:]:
        candidates = candidates | geometry.bbox_filter(qs, *box)
    inside = _inside(boxes)
    order = list(
        candidates.annotate(inside=ExpressionWrapper(inside, output_field=BooleanField())).values_list("pk", "inside")
    )
    edge = list(candidates.exclude(inside).values_list("pk", "geometry"))
    hits: set[int] = set()
    if edge:
        area = shapely.union_all([shapely.box(*box) for box in boxes])
        shapes = shapely.from_geojson([g for _pk, g in edge])
        hits = {pk for (pk, _g), hit in zip(edge, shapely.intersects(shapes, area), strict=True) if hit}
    matched = [pk for pk, is_inside in order if is_inside or pk in hits]
    page = matched[offset : offset + limit]
    rows = {row.pk: row for row in _page_rows(qs, c.layer, page)} if page else {}
    return [rows[pk] for pk in page if pk in rows], len(matched)


class _Row:
    """A feature of a page read as plain values: what `selectors.properties`, `feature_id` and
    the answers read of a feature, without building five model objects for each one."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    @property
    def infrastructure_ready(self) -> bool:
        return all(getattr(self, name) for name in INFRASTRUCTURE)


def _page_rows(qs: QuerySet, layer: str, ids: list[int]) -> list[_Row]:
    columns = _shown_columns(layer)
    out = []
    for values in qs.order_by().filter(pk__in=ids).values(*columns):
        own = {k: v for k, v in values.items() if "__" not in k}
        zone = _Row(code=values["zone__code"], name=bilingual(values["zone__name_vi"], values["zone__name_en"]))
        row = _Row(pk=values["id"], zone=zone, **own)
        if layer != Layer.BOUNDARY:
            row.land_use = _Row(
                code=values["land_use__code"],
                name=bilingual(values["land_use__name_vi"], values["land_use__name_en"]),
            )
        if layer == Layer.PARCELS:
            enterprise = _Row(name=values["project__enterprise__name"])
            row.project = _Row(code=values["project__code"], enterprise=enterprise) if row.project_id else None
        out.append(row)
    return out


def find_feature(c: Collection, fid: str) -> Any:
    """The feature an id names, its zone code in any case (the exact code first)."""
    qs = selectors.current_features(c.layer)
    feature = None
    for lookup in ("zone__code", "zone__code__iexact"):
        if c.layer == Layer.BOUNDARY:
            found = qs.filter(**{lookup: fid})
        else:
            # zone codes may hold a dash themselves: try every split, the first zone (by code) wins
            q = Q()
            for i, ch in enumerate(fid):
                if ch == "-":
                    q |= Q(**{lookup: fid[:i], "code": fid[i + 1 :]})
            found = qs.filter(q) if q else qs.none()
        feature = found.first()
        if feature is not None:
            break
    if feature is None:
        raise not_found(_("No feature “%(id)s” in the collection “%(collection)s”.") % {"id": fid, "collection": c.id})
    return feature
