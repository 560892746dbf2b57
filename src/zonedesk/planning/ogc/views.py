"""The views of the OGC API and the layer downloads: answers in JSON (GeoJSON) or HTML, their links,
ETags and caching; the request reading is in `params`, the reads in `features`, the API
definition in `openapi`."""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlencode

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.formats import number_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from zonedesk.core.generations import cached, generation
from zonedesk.core.inputs import zone_by_code
from zonedesk.core.models import Zone
from zonedesk.planning import downloads, geometry, selectors
from zonedesk.planning.models import LandUse, Occupancy
from zonedesk.planning.ogc.features import (
    all_revision_ids,
    feature_id,
    find_feature,
    layer_extent,
    revision_ids,
    select_items,
    today,
)
from zonedesk.planning.ogc.openapi import openapi
from zonedesk.planning.ogc.params import (
    COLLECTIONS,
    CONFORMANCE,
    CRS84,
    DEFAULT_LIMIT,
    GEOJSON,
    HTML,
    JSON,
    LABELS,
    MAX_LIMIT,
    OPENAPI,
    Collection,
    OGCError,
    answer_format,
    collection_by_id,
    not_found,
    parse_bbox,
    parse_datetime,
    query_params,
    whole_number,
)

CACHE_SECONDS = 60


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
        fmt = answer_format(request)
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
    extent = layer_extent(c.layer)
    if extent:
        doc["extent"] = extent
    return doc


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
    fmt = answer_format(request)
    query_params(request, set())
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
    fmt = answer_format(request)
    query_params(request, set())
    data = {"conformsTo": CONFORMANCE, "links": _self_links(request, "ogc_conformance", fmt=fmt)}
    return _answer(request, fmt, data, "ogc_conformance.html", etag=_etag(request))


@ogc_view
def collections(request: HttpRequest) -> HttpResponse:
    fmt = answer_format(request)
    query_params(request, set())
    etag = _etag(request, all_revision_ids(), today())
    if fmt == "json" and (hit := _not_modified(request, etag)):
        return hit
    data = {
        "links": _self_links(request, "ogc_collections", fmt=fmt),
        "collections": [_collection_doc(request, c, fmt, nested=True) for c in COLLECTIONS.values()],
    }
    return _answer(request, fmt, data, "ogc_collections.html", etag=etag)


@ogc_view
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    c = collection_by_id(collection_id)
    fmt = answer_format(request)
    query_params(request, set())
    etag = _etag(request, revision_ids(c.layer), today())
    if fmt == "json" and (hit := _not_modified(request, etag)):
        return hit
    data = _collection_doc(request, c, fmt)
    context = {"collection": c, "filters": _filter_choices(c), "headings": _headings(c)}
    return _answer(request, fmt, data, "ogc_collection.html", context, etag=etag)


@ogc_view
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    c = collection_by_id(collection_id)
    fmt = answer_format(request)
    params = query_params(request, {"bbox", "limit", "offset", "datetime", *c.filters})
    limit = min(whole_number(params, "limit", DEFAULT_LIMIT, 1), MAX_LIMIT)
    offset = whole_number(params, "offset", 0, 0)
    boxes = parse_bbox(params["bbox"]) if "bbox" in params else None
    on = min(parse_datetime(params["datetime"]), today()) if "datetime" in params else None
    if "zone" in params and (zone := zone_by_code(params["zone"])) is not None:
        params["zone"] = zone.code  # any case; the links and the form show the zone's own code
    filters = {name: params[name] for name in c.filters if name in params}
    plan = generation(selectors.PLAN_GENERATION)  # read once for the ETag and both caches
    etag = _etag(request, revision_ids(c.layer, on, plan), on or today(), plan=plan)
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
    c = collection_by_id(collection_id)
    fmt = answer_format(request)
    query_params(request, set())
    etag = _etag(request, revision_ids(c.layer), today())
    if fmt == "json" and (hit := _not_modified(request, etag)):
        return hit
    feature = find_feature(c, fid)
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
    c = collection_by_id(collection_id)
    if extension not in downloads.FORMATS:
        raise not_found(_("No download as “%(format)s”.") % {"format": extension})
    query_params(request, set())
    etag = _etag(request, revision_ids(c.layer), today())
    if hit := _not_modified(request, etag):
        return hit
    rows = (
        (feature_id(f, c.layer), f.geometry, selectors.properties(f, c.layer))
        for f in selectors.current_features(c.layer).iterator(chunk_size=2000)
    )
    media_type = downloads.FORMATS[extension][0]
    filename = f"zonedesk-{c.id}-{today():%Y%m%d}.{extension}"
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


@ogc_view
def api(request: HttpRequest) -> HttpResponse:
    fmt = answer_format(request)
    query_params(request, set())
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
