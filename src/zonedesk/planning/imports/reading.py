"""Step 2 of a plan import, **read**: pyogrio reads the features (no system GIS libraries). The
coordinate system comes from the file, or from the officer's choice (`crs`) when the file has
none or a wrong one (a DXF never has one). In a DXF, closed polylines are parcels and the text
inside one is its label (`Text`); the other drawing entities are left out."""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely
from django.utils.translation import gettext as _
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry import LineString, Polygon
from shapely.geometry.base import BaseGeometry

from zonedesk.core.errors import ServiceError
from zonedesk.planning import geometry, services
from zonedesk.planning.imports.opening import accepted_formats


def crs_choices() -> list[tuple[str, str]]:
    """The coordinate systems an officer may choose for a file that does not say its own."""
    out = [("EPSG:4326", "EPSG:4326 — WGS 84 " + str(_("(longitude, latitude)")))]
    for code, name in geometry.VN2000.items():
        label = f"EPSG:{code} — {name}"
        if code == 5897:
            label += " " + str(_("(Hanoi, central meridian 105°00′)"))
        out.append((f"EPSG:{code}", label))
    return out


def crs_or_error(value: str | int | None) -> CRS | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise ServiceError({"crs": _("Unknown coordinate system “%(crs)s”.") % {"crs": value}}) from exc


@dataclass
class Source:
    """What was read from a file: attribute names, one geometry (source CRS) and one row of
    attributes per feature, the coordinate system and the notes made while reading."""

    format: str
    layers: list[str]
    layer: str
    crs: CRS | None
    fields: list[str]
    geometries: list[BaseGeometry | None]
    rows: list[dict[str, Any]]
    notes: list[str] = field(default_factory=list)


def _unreadable(fmt: str, exc: Exception) -> ServiceError:
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else exc.__class__.__name__
    return ServiceError(
        {
            "file": _("The file could not be read as %(format)s (%(detail)s).") % {"format": fmt, "detail": detail}
            + " "
            + accepted_formats()
        }
    )


def read(path: Path, fmt: str, *, source_layer: str = "") -> Source:
    """The features of the file (one layer of it), or `ServiceError({"file": ...})`."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's remarks on a file it reads anyway
            return _read(path, fmt, source_layer)
    except ServiceError:
        raise
    except Exception as exc:  # pyogrio's errors (DataSourceError, DataLayerError, ...) and GDAL's
        raise _unreadable(fmt, exc) from exc


def _read(path: Path, fmt: str, source_layer: str) -> Source:
    import pyogrio
    from pyogrio.raw import read as raw_read

    listed = pyogrio.list_layers(str(path))
    layers = [str(row[0]) for row in listed]
    if not layers:
        raise ServiceError({"file": _("The file has no layers.")})
    if source_layer:
        if source_layer not in layers:
            raise ServiceError({"source_layer": _("The file has no layer “%(layer)s”.") % {"layer": source_layer}})
        layer = source_layer
    elif len(layers) == 1:
        layer = layers[0]
    else:
        polygonal = [str(r[0]) for r in listed if r[1] is None or "polygon" in str(r[1]).lower()]
        if len(polygonal) != 1:
            refusal = ServiceError(
                {
                    "source_layer": _("The file has several layers: choose one of %(layers)s.")
                    % {"layers": ", ".join(layers)}
                }
            )
            refusal.layers = layers  # the web import offers them to choose from
            raise refusal
        layer = polygonal[0]
    info = pyogrio.read_info(str(path), layer=layer)
    if info.get("features", -1) > services.MAX_FEATURES:
        raise ServiceError({"file": _("At most %(n)s features in one revision.") % {"n": services.MAX_FEATURES}})
    meta, _fids, wkb, columns = raw_read(
        str(path), layer=layer, max_features=None if fmt == "DXF" else services.MAX_FEATURES + 1
    )  # a drawing's other entities do not count
    fields = [str(f) for f in meta["fields"]]
    if len(wkb) > services.MAX_FEATURES and fmt != "DXF":
        raise ServiceError({"file": _("At most %(n)s features in one revision.") % {"n": services.MAX_FEATURES}})
    geoms = [None if g is None else shapely.force_2d(shapely.from_wkb(g)) for g in wkb]
    rows = [{name: columns[c][i] for c, name in enumerate(fields)} for i in range(len(geoms))]
    crs = None
    if meta.get("crs"):
        try:
            crs = CRS.from_user_input(meta["crs"])
        except CRSError:
            crs = None
    source = Source(format=fmt, layers=layers, layer=layer, crs=crs, fields=fields, geometries=geoms, rows=rows)
    if fmt == "DXF":
        _dxf_parcels(source)
        if len(source.geometries) > services.MAX_FEATURES:
            raise ServiceError({"file": _("At most %(n)s features in one revision.") % {"n": services.MAX_FEATURES}})
    return source


def _dxf_parcels(source: Source) -> None:
    """A drawing holds more than parcels: closed polylines and hatches are the features, the text
    inside one is its label (`Text`), every other entity is left out (and counted in a note)."""
    labels: list[tuple[BaseGeometry, str]] = []
    keep_geoms, keep_rows, other = [], [], 0
    for g, row in zip(source.geometries, source.rows, strict=True):
        sub = str(row.get("SubClasses") or "")
        if g is not None and g.geom_type == "Point" and "Text" in sub:
            text = str(row.get("Text") or "").strip()
            if text:
                labels.append((g, text))
            continue
        if isinstance(g, LineString) and g.is_ring:
            g = Polygon(g.coords)
        if g is None or g.geom_type not in {"Polygon", "MultiPolygon"}:
            other += 1
            continue
        row = dict(row)
        row["Text"] = ""  # a hatch's Text is its pattern name, not a label
        keep_geoms.append(g)
        keep_rows.append(row)
    if other:
        source.notes.append(
            _("%(n)s other entities of the drawing (lines, points, blocks) are not parcels and were left out.")
            % {"n": other}
        )
    # an outline drawn twice (a closed polyline and its hatch) is one parcel
    valid = [k for k, g in enumerate(keep_geoms) if g.is_valid]  # an invalid outline is reported, not compared
    dropped: set[int] = set()
    if len(valid) > 1:
        tree = shapely.STRtree([keep_geoms[k] for k in valid])
        for a in valid:
            if a in dropped:
                continue
            for j in tree.query(keep_geoms[a], predicate="covers"):
                b = valid[int(j)]
                if b > a and b not in dropped and shapely.equals(keep_geoms[a], keep_geoms[b]):
                    dropped.add(b)
    if dropped:
        keep_geoms = [g for k, g in enumerate(keep_geoms) if k not in dropped]
        keep_rows = [r for k, r in enumerate(keep_rows) if k not in dropped]
        source.notes.append(
            _("%(n)s outlines drawn twice (a closed polyline and its hatch) were counted once.") % {"n": len(dropped)}
        )
    if labels and keep_geoms:
        tree = shapely.STRtree([p for p, _t in labels])
        for g, row in zip(keep_geoms, keep_rows, strict=True):
            inside = sorted(tree.query(g if g.is_valid else shapely.make_valid(g), predicate="intersects"))
            if inside:
                row["Text"] = labels[inside[0]][1]
                row["Labels"] = "; ".join(labels[i][1] for i in inside)
    if "Labels" not in source.fields:
        source.fields.append("Labels")
    for row in keep_rows:
        row.setdefault("Labels", "")
    source.geometries, source.rows = keep_geoms, keep_rows
