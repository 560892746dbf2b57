"""The OpenAPI 3.0 document of the OGC API (served by `views.api`, as JSON or as an HTML page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.text import capfirst

from zonedesk.planning import downloads
from zonedesk.planning.models import Occupancy
from zonedesk.planning.ogc.params import (
    COLLECTIONS,
    DEFAULT_LIMIT,
    GEOJSON,
    HTML,
    JSON,
    LABELS,
    MAX_LIMIT,
    OPENAPI,
    Collection,
)

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
