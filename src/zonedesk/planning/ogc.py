"""OGC API – Features, Part 1: Core (with the GeoJSON, HTML and OpenAPI 3.0 classes), over the
plan in force, and downloads of each layer.

The public face of the plan: anyone reads it, nobody more than anyone else. Three collections,
one per layer: `zones` (the boundaries, feature id = the zone code), `areas` and `parcels`
(feature id = "<zone code>-<feature code>", stable from one revision to the next). Only the
revisions in force are served (`selectors.current_features`), with exactly the public
properties of `selectors.properties` (never the lease price or the internal note, whoever asks).

Items take `bbox` (CRS84; a feature is selected when its geometry intersects the box: the indexed
bounding-box columns narrow the candidates, then Shapely tests the geometry of those that cross
the box's edge, so `numberMatched` and the pages are exact), `limit` (default 100, larger than
1000 is served as 1000), `offset`, `datetime` (an instant: the plan in force that day) and a
property filter per main field (a zone code in any case; an item id with its zone code in another
case redirects to the feature's own id). Unknown parameters and bad values answer 400 with an OGC
exception (`{"code": ..., "description": ...}`). JSON (GeoJSON for features) or HTML by `f` or
the Accept header; JSON answers carry a weak ETag made from the revisions in force.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import shapely
from django.db.models import BooleanField, ExpressionWrapper, Max, Min, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zonedesk.core.generations import cached, generation
from zonedesk.core.models import Zone, bilingual
from zonedesk.planning import downloads, geometry, selectors
from zonedesk.planning.models import INFRASTRUCTURE, LandUse, Layer, Occupancy, PlanRevision
from zonedesk.planning.selectors import zone_by_code

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
CONFORMANCE = [
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
]
JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
OPENAPI = "application/vnd.oai.openapi+json;version=3.0"

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
CACHE_SECONDS = 60


@dataclass(frozen=True)
class Collection:
    id: str
    layer: str
    title: Any
    description: Any
    filters: dict[str, str]  # query parameter (a property name) -> ORM lookup

    @property
    def name_field(self) -> str:
        return "zone" if self.layer == Layer.BOUNDARY else "code"

    @property
    def fields(self) -> list[str]:
        return list(selectors.PUBLIC_FIELDS[Layer(self.layer)])


COLLECTIONS = {
    c.id: c
    for c in [
        Collection(
            "zones",
            Layer.BOUNDARY,
            gettext_lazy("Zones"),
            gettext_lazy("The boundary of each high-tech park and industrial zone, as in force."),
            {"zone": "zone__code"},
        ),
        Collection(
            "areas",
            Layer.AREAS,
            gettext_lazy("Functional areas"),
            gettext_lazy("The functional areas of the zoning plans in force, with their function (land use)."),
            {"zone": "zone__code", "code": "code", "land_use": "land_use__code"},
        ),
        Collection(
            "parcels",
            Layer.PARCELS,
            gettext_lazy("Land parcels"),
            gettext_lazy(
                "The land parcels of the zoning plans in force: land use, area, building limits, "
                "infrastructure, occupancy and the project that leases the parcel."
            ),
            {
                "zone": "zone__code",
                "code": "code",
                "land_use": "land_use__code",
                "occupancy": "occupancy",
                "project": "project__code",
            },
        ),
    ]
}

# Column headings of the HTML pages (model verbose names where there is one).
LABELS = {
    "code": gettext_lazy("code"),
    "name": gettext_lazy("name"),
    "land_use": gettext_lazy("land use"),
    "land_use_name": gettext_lazy("land use name"),
    "zone": gettext_lazy("zone"),
    "zone_name": gettext_lazy("zone name"),
    "area_m2": gettext_lazy("area (m²)"),
    "max_density_pct": gettext_lazy("maximum building density (%)"),
    "max_height_m": gettext_lazy("maximum height (m)"),
    "max_far": gettext_lazy("maximum floor-area ratio"),
    "power": gettext_lazy("power ready"),
    "water": gettext_lazy("water ready"),
    "drainage": gettext_lazy("drainage ready"),
    "telecom": gettext_lazy("telecom ready"),
    "infrastructure_ready": gettext_lazy("every network ready"),
    "occupancy": gettext_lazy("occupancy"),
    "project": gettext_lazy("project"),
    "leased_by": gettext_lazy("leased by"),
}
# JSON types of the properties (for the OpenAPI document); anything not listed is a string.
TYPES = {
    "area_m2": "number",
    "max_density_pct": "number",
    "max_height_m": "number",
    "max_far": "number",
    "power": "boolean",
    "water": "boolean",
    "drainage": "boolean",
    "telecom": "boolean",
    "infrastructure_ready": "boolean",
}
NULLABLE = {"max_density_pct", "max_height_m", "max_far", "project", "leased_by"}


class OGCError(Exception):
    """An answer other than 200, as an OGC exception document (or an HTML page)."""

    def __init__(self, status: int, code: str, description: str):
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def _bad(description: str) -> OGCError:
    return OGCError(400, "InvalidParameterValue", description)


def _not_found(description: str) -> OGCError:
    return OGCError(404, "NotFound", description)


# --- requests: format, parameters -------------------------------------------------------------


def _format(request: HttpRequest) -> str:
    """The format asked for, json or html: the `f` parameter, else the Accept header (JSON unless
    HTML is preferred, so that programs sending `*/*` get JSON and browsers get pages)."""
    f = request.GET.get("f", "")
    if f:
        if f not in {"json", "html"}:
            raise _bad(_("The parameter f must be json or html."))
        return f
    preferred = request.get_preferred_type([GEOJSON, JSON, OPENAPI, HTML, "application/xhtml+xml"])
    return "html" if preferred in {HTML, "application/xhtml+xml"} else "json"


def _params(request: HttpRequest, allowed: set[str]) -> dict[str, str]:
    """The query parameters, each at most once and known (OGC: 400 for an unknown parameter).
    An empty value counts as absent, as an HTML form sends its blank fields."""
    unknown = sorted(set(request.GET) - allowed - {"f"})
    if unknown:
        raise _bad(_("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)})
    out = {}
    for name in request.GET:
        values = request.GET.getlist(name)
        if len(values) > 1:
            raise _bad(_("The parameter %(name)s is given more than once.") % {"name": name})
        if values[0].strip():
            out[name] = values[0].strip()
    return out


MAX_OFFSET = 10**9  # far above any layer; keeps the number inside what databases accept


def _int(params: dict[str, str], name: str, default: int, low: int, high: int = MAX_OFFSET) -> int:
    if name not in params:
        return default
    try:
        value = int(params[name])
    except ValueError:
        raise _bad(_("The parameter %(name)s must be a whole number.") % {"name": name}) from None
    if value < low:
        raise _bad(_("The parameter %(name)s must be at least %(low)s.") % {"name": name, "low": low})
    if value > high:
        raise _bad(_("The parameter %(name)s must be at most %(high)s.") % {"name": name, "high": high})
    return value


Box = tuple[float, float, float, float]


def parse_bbox(text: str) -> list[Box]:
    """The boxes of a `bbox` parameter in CRS84: 4 numbers (or 6, heights ignored); one that
    crosses the antimeridian (west edge greater than east edge) is split in two."""
    try:
        numbers = [float(v) for v in text.split(",")]
    except ValueError:
        raise _bad(_("bbox must be 4 numbers separated by commas: west,south,east,north.")) from None
    if len(numbers) not in (4, 6) or not all(math.isfinite(v) for v in numbers):
        raise _bad(_("bbox must be 4 numbers separated by commas: west,south,east,north."))
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise _bad(_("bbox is in longitude (-180 to 180) and latitude (-90 to 90), WGS 84."))
    if south > north:
        raise _bad(_("The south edge of bbox is north of its north edge."))
    if west > east:
        return [(west, south, 180.0, north), (-180.0, south, east, north)]
    return [(west, south, east, north)]


def parse_datetime(text: str) -> dt.date:
    """The day of a `datetime` instant (a date or an RFC 3339 date-time, in local time)."""
    if "/" in text:
        raise _bad(_("datetime must be one instant (a date or a date-time): the plan in force at that time."))
    try:
        if "T" in text or "t" in text:
            moment = dt.datetime.fromisoformat(text.upper())
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return timezone.localtime(moment).date()
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _bad(_("datetime must be a date (YYYY-MM-DD) or a date-time (RFC 3339).")) from None


# --- responses --------------------------------------------------------------------------------


def _url(request: HttpRequest, name: str, *args: Any, **query: Any) -> str:
    query = {k: v for k, v in query.items() if v is not None}
    path = reverse(name, args=args)
    return request.build_absolute_uri(path + ("?" + urlencode(query) if query else ""))


def _link(href: str, rel: str, type_: str, title: Any = "") -> dict[str, str]:
    link = {"href": href, "rel": rel, "type": type_}
    if title:
        link["title"] = str(title)
    return link


def _self_links(request: HttpRequest, name: str, *args: Any, json_type: str = JSON, fmt: str = "json", **query):
    """The self and alternate links of a document in both formats."""
    as_json = _link(_url(request, name, *args, **query, f="json"), "self", json_type, _("This document as JSON"))
    as_html = _link(_url(request, name, *args, **query, f="html"), "self", HTML, _("This document as HTML"))
    if fmt == "json":
        as_html["rel"] = "alternate"
    else:
        as_json["rel"] = "alternate"
    return [as_json, as_html]


def _etag(request: HttpRequest, *parts: Any, plan: int | None = None) -> str:
    """A weak ETag of the URL, language, Accept header, the given parts (the revisions in force)
    and the plan's generation: a parcel changed in place (its occupancy after a site-clearance
    hand-over) bumps the generation, so a client's copy is not taken as fresh."""
    plan = generation(selectors.PLAN_GENERATION) if plan is None else plan
    key = json.dumps(
        [request.build_absolute_uri(), get_language(), request.headers.get("Accept", ""), plan, *map(str, parts)],
        separators=(",", ":"),
    )
    return 'W/"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def _public_cache(response: HttpResponse, etag: str | None) -> HttpResponse:
    if etag:
        response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
    return response


def _json(data: Any, content_type: str = JSON, status: int = 200) -> HttpResponse:
    return JsonResponse(data, status=status, content_type=content_type, json_dumps_params={"ensure_ascii": False})


def _answer(
    request: HttpRequest,
    fmt: str,
    data: dict[str, Any],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    content_type: str = JSON,
    etag: str | None = None,
) -> HttpResponse:
    if fmt == "html":
        response = render(
            request, f"planning/{template}", {"data": data, "links": data.get("links", []), **(context or {})}
        )
    else:
        response = _public_cache(_json(data, content_type), etag)
    patch_vary_headers(response, ["Accept", "Cookie"])
    return response


def _error(request: HttpRequest, error: OGCError) -> HttpResponse:
    try:
        fmt = _format(request)
    except OGCError:
        fmt = "json"
    if fmt == "html":
        response = render(request, "planning/ogc_error.html", {"error": error, "links": []}, status=error.status)
    else:
        response = _json({"code": error.code, "description": error.description}, status=error.status)
    patch_vary_headers(response, ["Accept"])
    return response


def ogc_view(view):
    """GET/HEAD only; an `OGCError` becomes its answer in the format asked for."""

    @require_safe
    def wrapped(request: HttpRequest, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except OGCError as error:
            return _error(request, error)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """304 when the client holds this very answer (If-None-Match)."""
    response = get_conditional_response(request, etag=etag)
    if response is not None:
        _public_cache(response, etag)
        patch_vary_headers(response, ["Accept", "Cookie"])
    return response


# --- reads ------------------------------------------------------------------------------------


def _collection(collection_id: str) -> Collection:
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise _not_found(_("No collection “%(id)s”.") % {"id": collection_id}) from None


def feature_id(feature: Any, layer: str) -> str:
    """Stable and unique within the collection: the zone code, or "<zone code>-<code>"."""
    if layer == Layer.BOUNDARY:
        return feature.zone.code
    return f"{feature.zone.code}-{feature.code}"


def _today() -> dt.date:
    return timezone.localdate()


def _revision_ids(layer: str, on: dt.date | None = None, plan: int | None = None) -> list[int]:
    return sorted(selectors.current_revision_ids(layer, on=on, current=plan))


def _extent(layer: str) -> dict[str, Any] | None:
    ids = _revision_ids(layer)
    model = selectors.MODELS[Layer(layer)]
    box = model.objects.filter(revision_id__in=ids).aggregate(
        minx=Min("minx"), miny=Min("miny"), maxx=Max("maxx"), maxy=Max("maxy")
    )
    if box["minx"] is None:
        return None
    first = PlanRevision.objects.filter(layer=layer, effective_date__lte=_today()).aggregate(d=Min("effective_date"))
    corners = [round(box[k], geometry.PRECISION) for k in ("minx", "miny", "maxx", "maxy")]
    extent: dict[str, Any] = {"spatial": {"bbox": [corners], "crs": CRS84}}
    if first["d"]:
        extent["temporal"] = {"interval": [[f"{first['d']:%Y-%m-%d}T00:00:00Z", None]], "trs": GREGORIAN}
    return extent


def _collection_doc(request: HttpRequest, c: Collection, fmt: str, *, nested: bool = False) -> dict[str, Any]:
    links = [] if nested else _self_links(request, "ogc_collection", c.id, fmt=fmt)
    if nested:
        links.append(_link(_url(request, "ogc_collection", c.id, f="json"), "self", JSON, c.title))
        links.append(_link(_url(request, "ogc_collection", c.id, f="html"), "alternate", HTML, c.title))
    links += [
        _link(_url(request, "ogc_items", c.id, f="json"), "items", GEOJSON, _("Features as GeoJSON")),
        _link(_url(request, "ogc_items", c.id, f="html"), "items", HTML, _("Features as HTML")),
    ]
    for ext, (media_type, title) in downloads.FORMATS.items():
        links.append(
            _link(
                _url(request, "ogc_download", c.id, ext),
                "enclosure",
                media_type.split(";")[0],
                _("Download the whole layer as %(format)s") % {"format": title},
            )
        )
    doc: dict[str, Any] = {
        "id": c.id,
        "title": str(c.title),
        "description": str(c.description),
        "itemType": "feature",
        "crs": [CRS84],
        "links": links,
    }
    extent = _extent(c.layer)
    if extent:
        doc["extent"] = extent
    return doc


def _all_revision_ids() -> list[list[int]]:
    return [_revision_ids(c.layer) for c in COLLECTIONS.values()]


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
        related += ["project__code", "project__enterprise__name"]
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


def _feature(
    request: HttpRequest, c: Collection, feature: Any, *, links: bool = False, geometry: bool = True
) -> dict[str, Any]:
    """A feature as GeoJSON; without `geometry`, its geometry is null here and spliced in later."""
    fid = feature_id(feature, c.layer)
    out: dict[str, Any] = {
        "type": "Feature",
        "id": fid,
        "geometry": json.loads(feature.geometry) if geometry else None,
        "properties": selectors.properties(feature, c.layer),
    }
    if links:
        out["links"] = [
            *_self_links(request, "ogc_item", c.id, fid, json_type=GEOJSON),
            _link(_url(request, "ogc_collection", c.id, f="json"), "collection", JSON, c.title),
        ]
    return out


def _lookup(c: Collection, fid: str) -> Any:
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
        raise _not_found(_("No feature “%(id)s” in the collection “%(collection)s”.") % {"id": fid, "collection": c.id})
    return feature


# --- HTML helpers -----------------------------------------------------------------------------


def _cells(properties: dict[str, Any]) -> list[dict[str, Any]]:
    cells = []
    for name, value in properties.items():
        if value is None:
            kind, shown = "none", "—"
        elif isinstance(value, bool):
            kind, shown = "bool", _("yes") if value else _("no")
        elif isinstance(value, int | float):
            whole = isinstance(value, int) or value.is_integer()
            kind, shown = "num", number_format(int(value) if whole else value, force_grouping=True)
        elif name == "occupancy" and value in Occupancy.values:
            kind, shown = "text", Occupancy(value).label
        else:
            kind, shown = "text", value
        cells.append({"name": name, "value": value, "shown": shown, "kind": kind})
    return cells


def _headings(c: Collection) -> list[dict[str, Any]]:
    return [{"name": f, "label": capfirst(str(LABELS.get(f, f)))} for f in c.fields]


def _filter_choices(c: Collection, params: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The filter fields of the HTML pages, with the values asked for."""
    out = []
    for name in c.filters:
        choices: list[tuple[str, str]] = []
        if name == "zone":
            choices = [(z.code, f"{z.code} · {z.name}") for z in Zone.objects.order_by("code")]
        elif name == "land_use":
            choices = [(u.code, f"{u.code} · {u.name}") for u in LandUse.objects.all()]
        elif name == "occupancy":
            choices = [(v, str(label)) for v, label in Occupancy.choices]
        out.append(
            {
                "name": name,
                "label": capfirst(str(LABELS.get(name, name))),
                "choices": choices,
                "value": (params or {}).get(name, ""),
            }
        )
    return out


# --- views ------------------------------------------------------------------------------------


@ogc_view
def landing(request: HttpRequest) -> HttpResponse:
    fmt = _format(request)
    _params(request, set())
    data = {
        "title": _("ZoneDesk: the zoning plans of the high-tech parks and industrial zones"),
        "description": _(
            "The zones, functional areas and land parcels of the plans in force, as OGC API – Features "
            "(GeoJSON and HTML), for GIS tools such as QGIS."
        ),
        "links": [
            *_self_links(request, "ogc_landing", fmt=fmt),
            _link(_url(request, "ogc_api"), "service-desc", OPENAPI, _("The API definition (OpenAPI 3.0)")),
            _link(_url(request, "ogc_api", f="html"), "service-doc", HTML, _("The API documentation")),
            _link(_url(request, "ogc_conformance", f="json"), "conformance", JSON, _("Conformance classes")),
            _link(
                _url(request, "ogc_conformance", f="json"),
                "http://www.opengis.net/def/rel/ogc/1.0/conformance",
                JSON,
                _("Conformance classes"),
            ),
            _link(_url(request, "ogc_collections", f="json"), "data", JSON, _("The collections")),
            _link(
                _url(request, "ogc_collections", f="json"),
                "http://www.opengis.net/def/rel/ogc/1.0/data",
                JSON,
                _("The collections"),
            ),
        ],
    }
    collections = [
        {"id": c.id, "title": c.title, "description": c.description, "url": reverse("ogc_collection", args=[c.id])}
        for c in COLLECTIONS.values()
    ]
    return _answer(request, fmt, data, "ogc_landing.html", {"collections": collections}, etag=_etag(request))


@ogc_view
def conformance(request: HttpRequest) -> HttpResponse:
    fmt = _format(request)
    _params(request, set())
    data = {"conformsTo": CONFORMANCE, "links": _self_links(request, "ogc_conformance", fmt=fmt)}
    return _answer(request, fmt, data, "ogc_conformance.html", etag=_etag(request))


@ogc_view
def collections(request: HttpRequest) -> HttpResponse:
    fmt = _format(request)
    _params(request, set())
    etag = _etag(request, _all_revision_ids(), _today())
    if fmt == "json" and (hit := _not_modified(request, etag)):
        return hit
    data = {
        "links": _self_links(request, "ogc_collections", fmt=fmt),
        "collections": [_collection_doc(request, c, fmt, nested=True) for c in COLLECTIONS.values()],
    }
    return _answer(request, fmt, data, "ogc_collections.html", etag=etag)


@ogc_view
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    c = _collection(collection_id)
    fmt = _format(request)
    _params(request, set())
    etag = _etag(request, _revision_ids(c.layer), _today())
    if fmt == "json" and (hit := _not_modified(request, etag)):
        return hit
    data = _collection_doc(request, c, fmt)
    context = {"collection": c, "filters": _filter_choices(c), "headings": _headings(c)}
    return _answer(request, fmt, data, "ogc_collection.html", context, etag=etag)


@ogc_view
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    c = _collection(collection_id)
    fmt = _format(request)
    params = _params(request, {"bbox", "limit", "offset", "datetime", *c.filters})
    limit = min(_int(params, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = _int(params, "offset", 0, 0)
    boxes = parse_bbox(params["bbox"]) if "bbox" in params else None
    on = min(parse_datetime(params["datetime"]), _today()) if "datetime" in params else None
    if "zone" in params and (zone := zone_by_code(params["zone"])) is not None:
        params["zone"] = zone.code  # any case; the links and the form show the zone's own code
    filters = {name: params[name] for name in c.filters if name in params}
    plan = generation(selectors.PLAN_GENERATION)  # read once for the ETag and both caches
    etag = _etag(request, _revision_ids(c.layer, on, plan), on or _today(), plan=plan)
    if fmt == "json" and (hit := _not_modified(request, etag)):
        return hit

    def page() -> tuple[list[Any], dict[str, Any], list[dict[str, str]]]:
        features, matched = select_items(c, boxes=boxes, filters=filters, on=on, offset=offset, limit=limit)
        # the links keep every parameter given, with the limit actually used
        query = {k: v for k, v in params.items() if k not in {"offset", "f"}}
        if "limit" in query:
            query["limit"] = str(limit)
        links = _self_links(request, "ogc_items", c.id, json_type=GEOJSON, fmt=fmt, **query, offset=offset or None)
        pages = {}
        if offset + len(features) < matched:
            pages["next"] = offset + limit
        if offset > 0:
            pages["prev"] = max(offset - limit, 0)
        for rel, start in pages.items():
            links.append(
                _link(
                    _url(request, "ogc_items", c.id, **query, offset=start or None, f=fmt),
                    rel,
                    GEOJSON if fmt == "json" else HTML,
                    _("Next page") if rel == "next" else _("Previous page"),
                )
            )
        links.append(_link(_url(request, "ogc_collection", c.id, f="json"), "collection", JSON, c.title))
        data = {
            "type": "FeatureCollection",
            "features": [_feature(request, c, f, geometry=fmt == "html") for f in features],
            "links": links,
            "numberMatched": matched,
            "numberReturned": len(features),
            "timeStamp": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        }
        return features, data, links

    if fmt == "json":
        # the answer of this URL, language and plan (its ETag) is the same until the plan changes:
        # rendered once and kept under the plan's generation, the stored GeoJSON of each
        # geometry spliced in as it is
        def build() -> tuple[str, None]:
            features, data, _links = page()
            return _geojson_body(data, [f.geometry for f in features]), None

        body = cached(selectors.PLAN_GENERATION, f"ogc-items:{etag}", build, alias="answers", current=plan)
        response = _public_cache(HttpResponse(body, content_type=GEOJSON), etag)
        patch_vary_headers(response, ["Accept", "Cookie"])
        return response
    features, data, links = page()
    context = {
        "collection": c,
        "headings": _headings(c),
        "rows": [
            {"id": f["id"], "url": reverse("ogc_item", args=[c.id, f["id"]]), "cells": _cells(f["properties"])}
            for f in data["features"]
        ],
        "filters": _filter_choices(c, params),
        "params": params,
        "limit": limit,
        "first": offset + 1 if features else 0,
        "last": offset + len(features),
        "next": next((link["href"] for link in links if link["rel"] == "next"), None),
        "prev": next((link["href"] for link in links if link["rel"] == "prev"), None),
    }
    return _answer(request, fmt, data, "ogc_items.html", context, content_type=GEOJSON, etag=etag)


_GEOMETRY = '"geometry": null'


def _geojson_body(data: dict[str, Any], geometries: list[str]) -> str:
    """The FeatureCollection as JSON, each feature's geometry spliced in from its stored GeoJSON
    text (already valid JSON, written by `planning.geometry`) instead of parsed and written again."""
    features = []
    for feature, text in zip(data["features"], geometries, strict=True):
        encoded = json.dumps(feature, ensure_ascii=False)
        features.append(encoded.replace(_GEOMETRY, '"geometry": ' + text, 1))
    marker = "\x00features\x00"
    body = json.dumps({**data, "features": marker}, ensure_ascii=False)
    return body.replace(json.dumps(marker), "[" + ", ".join(features) + "]", 1)


@ogc_view
def item(request: HttpRequest, collection_id: str, fid: str) -> HttpResponse:
    c = _collection(collection_id)
    fmt = _format(request)
    _params(request, set())
    etag = _etag(request, _revision_ids(c.layer), _today())
    if fmt == "json" and (hit := _not_modified(request, etag)):
        return hit
    feature = _lookup(c, fid)
    if feature_id(feature, c.layer) != fid:  # a zone code in another case: to the feature's own address
        query = request.GET.urlencode()
        return redirect(reverse("ogc_item", args=[c.id, feature_id(feature, c.layer)]) + ("?" + query if query else ""))
    data = _feature(request, c, feature, links=True)
    context = {
        "collection": c,
        "cells": [
            {**cell, "label": capfirst(str(LABELS.get(cell["name"], cell["name"])))}
            for cell in _cells(data["properties"])
        ],
        "geometry_json": json.dumps(data["geometry"]),
        "bbox": [round(v, geometry.PRECISION) for v in (feature.minx, feature.miny, feature.maxx, feature.maxy)],
        "revision": feature.revision,
    }
    return _answer(request, fmt, data, "ogc_item.html", context, content_type=GEOJSON, etag=etag)


@ogc_view
def download(request: HttpRequest, collection_id: str, extension: str) -> HttpResponse:
    """The whole layer in force in one file."""
    c = _collection(collection_id)
    if extension not in downloads.FORMATS:
        raise _not_found(_("No download as “%(format)s”.") % {"format": extension})
    _params(request, set())
    etag = _etag(request, _revision_ids(c.layer), _today())
    if hit := _not_modified(request, etag):
        return hit
    rows = (
        (feature_id(f, c.layer), f.geometry, selectors.properties(f, c.layer))
        for f in selectors.current_features(c.layer).iterator(chunk_size=2000)
    )
    media_type = downloads.FORMATS[extension][0]
    filename = f"zonedesk-{c.id}-{_today():%Y%m%d}.{extension}"
    if extension == "geojson":
        response = StreamingHttpResponse(downloads.geojson_chunks(rows, name=c.id), content_type=media_type)
    elif extension == "csv":
        response = StreamingHttpResponse(downloads.csv_chunks(rows, fields=c.fields), content_type=media_type)
    else:
        handle = downloads.file_handle(rows, fields=c.fields, layer=c.id, extension=extension, name_field=c.name_field)
        response = FileResponse(handle, content_type=media_type, as_attachment=True, filename=filename)
    if extension in {"geojson", "csv"}:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_vary_headers(response, ["Cookie"])
    return _public_cache(response, etag)


# --- the API definition -----------------------------------------------------------------------


def _ref(name: str, kind: str = "schemas") -> dict[str, str]:
    return {"$ref": f"#/components/{kind}/{name}"}


def _responses(schema: str, media_type: str = JSON, *, not_found: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "200": {
            "description": "OK",
            "content": {media_type: {"schema": _ref(schema)}, HTML: {"schema": {"type": "string"}}},
        },
        "400": _ref("InvalidParameter", "responses"),
    }
    if not_found:
        out["404"] = _ref("NotFound", "responses")
    return out


def _property_schema(c: Collection) -> dict[str, Any]:
    props = {}
    for name in c.fields:
        schema: dict[str, Any] = {
            "type": TYPES.get(name, "string"),
            "title": str(capfirst(str(LABELS.get(name, name)))),
        }
        if name in NULLABLE:
            schema["nullable"] = True
        if name == "occupancy":
            schema["enum"] = list(Occupancy.values)
        props[name] = schema
    return {"type": "object", "properties": props}


def openapi(request: HttpRequest) -> dict[str, Any]:
    """The OpenAPI 3.0 document of this API (paths relative to the server, `/ogc`)."""
    common = [_ref("f", "parameters")]
    paths: dict[str, Any] = {
        "/": {
            "get": {
                "summary": "Landing page",
                "operationId": "getLandingPage",
                "tags": ["Capabilities"],
                "parameters": common,
                "responses": _responses("LandingPage"),
            }
        },
        "/conformance": {
            "get": {
                "summary": "Conformance classes",
                "operationId": "getConformance",
                "tags": ["Capabilities"],
                "parameters": common,
                "responses": _responses("Conformance"),
            }
        },
        "/api": {
            "get": {
                "summary": "This API definition",
                "operationId": "getAPI",
                "tags": ["Capabilities"],
                "parameters": common,
                "responses": {"200": {"description": "OK", "content": {OPENAPI: {"schema": {"type": "object"}}}}},
            }
        },
        "/collections": {
            "get": {
                "summary": "The collections",
                "operationId": "getCollections",
                "tags": ["Capabilities"],
                "parameters": common,
                "responses": _responses("Collections"),
            }
        },
    }
    schemas: dict[str, Any] = {}
    for c in COLLECTIONS.values():
        name = c.id.capitalize()
        schemas[f"{name}Properties"] = _property_schema(c)
        schemas[f"{name}Feature"] = {
            "allOf": [_ref("Feature"), {"type": "object", "properties": {"properties": _ref(f"{name}Properties")}}]
        }
        schemas[f"{name}FeatureCollection"] = {
            "allOf": [
                _ref("FeatureCollection"),
                {"type": "object", "properties": {"features": {"type": "array", "items": _ref(f"{name}Feature")}}},
            ]
        }
        filters = [
            {
                "name": f,
                "in": "query",
                "required": False,
                "description": f"Only the features whose property `{f}` is this value (exact match"
                + ("; a zone code in any case)." if f == "zone" else ")."),
                "schema": {"type": "string", **({"enum": list(Occupancy.values)} if f == "occupancy" else {})},
            }
            for f in c.filters
        ]
        tag = str(c.title)
        paths[f"/collections/{c.id}"] = {
            "get": {
                "summary": f"Describe the collection {c.id}",
                "operationId": f"describe{name}Collection",
                "tags": [tag],
                "parameters": common,
                "responses": _responses("Collection", not_found=True),
            }
        }
        paths[f"/collections/{c.id}/items"] = {
            "get": {
                "summary": f"The features of {c.id}",
                "description": str(c.description),
                "operationId": f"get{name}Features",
                "tags": [tag],
                "parameters": [
                    *common,
                    _ref("bbox", "parameters"),
                    _ref("limit", "parameters"),
                    _ref("offset", "parameters"),
                    _ref("datetime", "parameters"),
                    *filters,
                ],
                "responses": _responses(f"{name}FeatureCollection", GEOJSON),
            }
        }
        paths[f"/collections/{c.id}/items/{{featureId}}"] = {
            "get": {
                "summary": f"One feature of {c.id}",
                "operationId": f"get{name}Feature",
                "tags": [tag],
                "parameters": [*common, _ref("featureId", "parameters")],
                "responses": _responses(f"{name}Feature", GEOJSON, not_found=True),
            }
        }
        for ext, (media_type, title) in downloads.FORMATS.items():
            paths[f"/collections/{c.id}/download.{ext}"] = {
                "get": {
                    "summary": f"Download {c.id} as {title}",
                    "operationId": f"download{name}{ext.capitalize()}",
                    "tags": [tag],
                    "responses": {
                        "200": {
                            "description": "The whole layer in force",
                            "content": {media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}},
                        },
                    },
                }
            }

    link = {
        "type": "object",
        "required": ["href", "rel"],
        "properties": {
            "href": {"type": "string"},
            "rel": {"type": "string"},
            "type": {"type": "string"},
            "title": {"type": "string"},
        },
    }
    links = {"type": "array", "items": _ref("Link")}
    geometry_schema = {
        "type": "object",
        "required": ["type", "coordinates"],
        "properties": {
            "type": {"type": "string", "enum": ["Polygon", "MultiPolygon"]},
            "coordinates": {"type": "array", "items": {}},
        },
    }
    schemas.update(
        {
            "Link": link,
            "Exception": {
                "type": "object",
                "required": ["code"],
                "properties": {"code": {"type": "string"}, "description": {"type": "string"}},
            },
            "LandingPage": {
                "type": "object",
                "required": ["links"],
                "properties": {"title": {"type": "string"}, "description": {"type": "string"}, "links": links},
            },
            "Conformance": {
                "type": "object",
                "required": ["conformsTo"],
                "properties": {"conformsTo": {"type": "array", "items": {"type": "string"}}, "links": links},
            },
            "Extent": {
                "type": "object",
                "properties": {
                    "spatial": {
                        "type": "object",
                        "properties": {
                            "bbox": {"type": "array", "items": {"type": "array", "items": {"type": "number"}}},
                            "crs": {"type": "string"},
                        },
                    },
                    "temporal": {
                        "type": "object",
                        "properties": {
                            "interval": {
                                "type": "array",
                                "items": {"type": "array", "items": {"type": "string", "nullable": True}},
                            },
                            "trs": {"type": "string"},
                        },
                    },
                },
            },
            "Collection": {
                "type": "object",
                "required": ["id", "links"],
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "description": {"type": "string"},
                    "itemType": {"type": "string"},
                    "crs": {"type": "array", "items": {"type": "string"}},
                    "extent": _ref("Extent"),
                    "links": links,
                },
            },
            "Collections": {
                "type": "object",
                "required": ["links", "collections"],
                "properties": {"links": links, "collections": {"type": "array", "items": _ref("Collection")}},
            },
            "Geometry": geometry_schema,
            "Feature": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "id": {"type": "string"},
                    "geometry": _ref("Geometry"),
                    "properties": {"type": "object", "nullable": True},
                    "links": links,
                },
            },
            "FeatureCollection": {
                "type": "object",
                "required": ["type", "features"],
                "properties": {
                    "type": {"type": "string", "enum": ["FeatureCollection"]},
                    "features": {"type": "array", "items": _ref("Feature")},
                    "links": links,
                    "timeStamp": {"type": "string", "format": "date-time"},
                    "numberMatched": {"type": "integer", "minimum": 0},
                    "numberReturned": {"type": "integer", "minimum": 0},
                },
            },
        }
    )
    parameters = {
        "f": {
            "name": "f",
            "in": "query",
            "required": False,
            "description": "The format of the answer (by default from the Accept header, else JSON).",
            "schema": {"type": "string", "enum": ["json", "html"]},
        },
        "bbox": {
            "name": "bbox",
            "in": "query",
            "required": False,
            "description": "Only the features whose geometry intersects this box: west,south,east,north in "
            "WGS 84 longitude and latitude (CRS84).",
            "style": "form",
            "explode": False,
            "schema": {"type": "array", "minItems": 4, "maxItems": 6, "items": {"type": "number"}},
        },
        "limit": {
            "name": "limit",
            "in": "query",
            "required": False,
            "description": f"At most this many features on the page (a larger value is served as {MAX_LIMIT}).",
            "style": "form",
            "explode": False,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
        },
        "offset": {
            "name": "offset",
            "in": "query",
            "required": False,
            "description": "Skip this many features (the `next` and `prev` links carry it).",
            "schema": {"type": "integer", "minimum": 0, "default": 0},
        },
        "datetime": {
            "name": "datetime",
            "in": "query",
            "required": False,
            "description": "An instant (a date or an RFC 3339 date-time): the plan in force then. Intervals are "
            "refused.",
            "schema": {"type": "string"},
        },
        "featureId": {
            "name": "featureId",
            "in": "path",
            "required": True,
            "description": 'The zone code for zones, "<zone code>-<code>" for functional areas and parcels. A zone '
            "code in another case redirects to the feature's own id.",
            "schema": {"type": "string"},
        },
    }
    exception = {"content": {JSON: {"schema": _ref("Exception")}}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "ZoneDesk OGC API – Features",
            "version": "1.0.0",
            "description": "The zoning plans in force of the high-tech parks and industrial zones: zones, functional "
            "areas and land parcels (public fields only).",
            "license": {"name": "Open data"},
        },
        "servers": [{"url": request.build_absolute_uri(reverse("ogc_landing")).rstrip("/")}],
        "tags": [{"name": "Capabilities"}, *({"name": str(c.title)} for c in COLLECTIONS.values())],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": parameters,
            "responses": {
                "InvalidParameter": {"description": "A parameter is unknown or has a bad value.", **exception},
                "NotFound": {"description": "No such collection or feature.", **exception},
            },
        },
    }


@ogc_view
def api(request: HttpRequest) -> HttpResponse:
    fmt = _format(request)
    _params(request, set())
    document = openapi(request)
    if fmt == "html":
        operations = [
            {"path": path, "summary": op["get"]["summary"], "parameters": op["get"].get("parameters", [])}
            for path, op in document["paths"].items()
        ]
        for operation in operations:
            operation["parameters"] = [
                p["$ref"].rsplit("/", 1)[1] if "$ref" in p else p["name"] for p in operation["parameters"]
            ]
        links = _self_links(request, "ogc_api", fmt=fmt)
        links[0]["type"] = OPENAPI
        return _answer(
            request,
            fmt,
            {"links": links},
            "ogc_api.html",
            {
                "operations": operations,
                "server": document["servers"][0]["url"],
                "parameters": document["components"]["parameters"],
            },
        )
    return _answer(request, fmt, document, "", content_type=OPENAPI, etag=_etag(request))
