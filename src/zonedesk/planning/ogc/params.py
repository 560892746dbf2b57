"""The vocabulary of the OGC API (collections, media types, limits, column headings) and the
reading of its requests: the format asked for, the query parameters and their values, each bad
one an `OGCError` (400, or 404 for a collection or feature that does not exist)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.planning import selectors
from zonedesk.planning.models import Layer

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


class OGCError(Exception):
    """An answer other than 200, as an OGC exception document (or an HTML page)."""

    def __init__(self, status: int, code: str, description: str):
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def bad(description: str) -> OGCError:
    return OGCError(400, "InvalidParameterValue", description)


def not_found(description: str) -> OGCError:
    return OGCError(404, "NotFound", description)


# --- requests: format, parameters -------------------------------------------------------------


def answer_format(request: HttpRequest) -> str:
    """The format asked for, json or html: the `f` parameter, else the Accept header (JSON unless
    HTML is preferred, so that programs sending `*/*` get JSON and browsers get pages)."""
    f = request.GET.get("f", "")
    if f:
        if f not in {"json", "html"}:
            raise bad(_("The parameter f must be json or html."))
        return f
    preferred = request.get_preferred_type([GEOJSON, JSON, OPENAPI, HTML, "application/xhtml+xml"])
    return "html" if preferred in {HTML, "application/xhtml+xml"} else "json"


def query_params(request: HttpRequest, allowed: set[str]) -> dict[str, str]:
    """The query parameters, each at most once and known (OGC: 400 for an unknown parameter).
    An empty value counts as absent, as an HTML form sends its blank fields."""
    unknown = sorted(set(request.GET) - allowed - {"f"})
    if unknown:
        raise bad(_("Unknown query parameter: %(names)s.") % {"names": ", ".join(unknown)})
    out = {}
    for name in request.GET:
        values = request.GET.getlist(name)
        if len(values) > 1:
            raise bad(_("The parameter %(name)s is given more than once.") % {"name": name})
        if values[0].strip():
            out[name] = values[0].strip()
    return out


MAX_OFFSET = 10**9  # far above any layer; keeps the number inside what databases accept


def whole_number(params: dict[str, str], name: str, default: int, low: int, high: int = MAX_OFFSET) -> int:
    if name not in params:
        return default
    try:
        value = int(params[name])
    except ValueError:
        raise bad(_("The parameter %(name)s must be a whole number.") % {"name": name}) from None
    if value < low:
        raise bad(_("The parameter %(name)s must be at least %(low)s.") % {"name": name, "low": low})
    if value > high:
        raise bad(_("The parameter %(name)s must be at most %(high)s.") % {"name": name, "high": high})
    return value


Box = tuple[float, float, float, float]


def parse_bbox(text: str) -> list[Box]:
    """The boxes of a `bbox` parameter in CRS84: 4 numbers (or 6, heights ignored); one that
    crosses the antimeridian (west edge greater than east edge) is split in two."""
    try:
        numbers = [float(v) for v in text.split(",")]
    except ValueError:
        raise bad(_("bbox must be 4 numbers separated by commas: west,south,east,north.")) from None
    if len(numbers) not in (4, 6) or not all(math.isfinite(v) for v in numbers):
        raise bad(_("bbox must be 4 numbers separated by commas: west,south,east,north."))
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    west, south, east, north = numbers
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise bad(_("bbox is in longitude (-180 to 180) and latitude (-90 to 90), WGS 84."))
    if south > north:
        raise bad(_("The south edge of bbox is north of its north edge."))
    if west > east:
        return [(west, south, 180.0, north), (-180.0, south, east, north)]
    return [(west, south, east, north)]


def parse_datetime(text: str) -> dt.date:
    """The day of a `datetime` instant (a date or an RFC 3339 date-time, in local time)."""
    if "/" in text:
        raise bad(_("datetime must be one instant (a date or a date-time): the plan in force at that time."))
    try:
        if "T" in text or "t" in text:
            moment = dt.datetime.fromisoformat(text.upper())
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return timezone.localtime(moment).date()
        return dt.date.fromisoformat(text)
    except ValueError:
        raise bad(_("datetime must be a date (YYYY-MM-DD) or a date-time (RFC 3339).")) from None


def collection_by_id(collection_id: str) -> Collection:
    try:
        return COLLECTIONS[collection_id]
    except KeyError:
        raise not_found(_("No collection “%(id)s”.") % {"id": collection_id}) from None
