"""Geometry of the plan: Shapely for validity and spatial tests, pyproj for areas and projections.

Everything stored is WGS 84 longitude/latitude (EPSG:4326, the axis order of GeoJSON).
Areas are geodesic: computed on the WGS 84 ellipsoid by pyproj's `Geod` (Karney's algorithm),
which is what a metric projection approximates, without the scale error a projection adds
away from its central meridian. They are never taken from the input.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from typing import Any

import shapely
from pyproj import CRS, Geod, Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

WGS84 = "EPSG:4326"
GEOD = Geod(ellps="WGS84")
PRECISION = 7  # decimal places of degrees kept: about 1 cm

# Coordinate systems a Vietnamese planner hands over, by EPSG code (FACTS.md): VN-2000
# geographic, the national UTM zones and the provincial TM-3 zones (Hanoi: 105°00', EPSG:5897).
VN2000 = {
    4756: "VN-2000",
    3405: "VN-2000 / UTM zone 48N",
    3406: "VN-2000 / UTM zone 49N",
    **{code: CRS.from_epsg(code).name for code in range(5896, 5900)},  # TM-3 zones 481, 482, 491, 492
}


def parse(geojson: str | dict[str, Any]) -> BaseGeometry:
    """A Shapely geometry from GeoJSON text or a mapping."""
    data = json.loads(geojson) if isinstance(geojson, str) else geojson
    return shape(data)


def dumps(geom: BaseGeometry) -> str:
    """GeoJSON text, coordinates rounded to `PRECISION` decimals (about 1 cm)."""
    geom = shapely.set_precision(geom, 10**-PRECISION) if not geom.is_empty else geom
    return json.dumps(mapping(geom), separators=(",", ":"))


def area_m2(geom: BaseGeometry) -> Decimal:
    """Geodesic area of a WGS 84 polygon or multipolygon, in square metres (0.1 m²)."""
    if geom.is_empty:
        return Decimal("0.0")
    # exteriors counter-clockwise, holes clockwise: pyproj counts those areas positive and negative
    area, _perimeter = GEOD.geometry_area_perimeter(shapely.orient_polygons(geom))
    return Decimal(str(round(area, 1)))


def bbox(geom: BaseGeometry) -> tuple[float, float, float, float]:
    return tuple(float(v) for v in geom.bounds)  # type: ignore[return-value]


def geo_fields(geom: BaseGeometry) -> dict[str, Any]:
    """The columns of `models.Geo` for a WGS 84 geometry."""
    minx, miny, maxx, maxy = bbox(geom)
    return {"geometry": dumps(geom), "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy, "area_m2": area_m2(geom)}


@functools.lru_cache(maxsize=32)
def transformer(source: str | int) -> Transformer:
    """From a source coordinate system to WGS 84 longitude/latitude. pyproj picks the official
    VN-2000 → WGS 84 seven-parameter transformation (EPSG:6960, about 1 m) for VN-2000 input.
    Kept per source: building one costs about a twentieth of a second."""
    return Transformer.from_crs(CRS.from_user_input(source), WGS84, always_xy=True)


def to_wgs84(geom: BaseGeometry, source: str | int | None) -> BaseGeometry:
    if source is None or CRS.from_user_input(source) == CRS.from_epsg(4326):
        return geom
    t = transformer(source)
    return shapely.transform(geom, lambda xy: _apply(t, xy))


def _apply(t: Transformer, xy):
    import numpy as np

    x, y = t.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def bbox_filter(qs, minx: float, miny: float, maxx: float, maxy: float):
    """Features whose bounding box intersects the given one (the bbox of OGC API – Features)."""
    return qs.filter(minx__lte=maxx, maxx__gte=minx, miny__lte=maxy, maxy__gte=miny)
