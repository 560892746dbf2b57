"""Real plan files for the import tests, written by GDAL through `pyogrio.raw.write`: GeoJSON,
a zipped Shapefile, a GeoPackage and a DXF drawing (hatches on a layer per land use, with the
parcel's code as a text label inside it, as a CAD drawing of a plan has them).

A feature is `(shapely geometry, {attribute: value})`; attributes missing from a feature are
null. Numbers become real columns, everything else text.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from pyogrio.raw import write
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry

Feature = tuple[BaseGeometry | None, dict[str, Any]]

# Hoa Lac, in VN-2000 / TM-3 zone 482 (EPSG:5897, Hanoi's 105°00' meridian) metres
X0, Y0 = 552_000.0, 2_323_000.0


def square(x: float, y: float, side: float = 100.0) -> BaseGeometry:
    return box(x, y, x + side, y + side)


def _columns(features: list[Feature]) -> tuple[list[np.ndarray], list[str]]:
    names: list[str] = []
    for _g, attrs in features:
        names.extend(n for n in attrs if n not in names)
    columns = []
    for name in names:
        values = [attrs.get(name) for _g, attrs in features]
        numeric = all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values)
        if numeric and any(v is not None for v in values):
            columns.append(np.array([np.nan if v is None else float(v) for v in values], dtype="float64"))
        else:
            columns.append(np.array([None if v is None else str(v) for v in values], dtype=object))
    return columns, names


def _wkb(features: list[Feature]) -> np.ndarray:
    return np.array([None if g is None else shapely.to_wkb(g) for g, _a in features], dtype=object)


def _write(path: Path, features: list[Feature], *, driver: str, crs: str | None, layer: str | None = None) -> Path:
    columns, names = _columns(features)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "crs was not provided": on purpose in some tests
        write(
            str(path),
            _wkb(features),
            columns,
            names,
            driver=driver,
            geometry_type="Unknown",
            crs=crs,
            layer=layer,
        )
    return path


def geojson(path: Path, features: list[Feature], crs: str | None = "EPSG:4326") -> Path:
    return _write(path, features, driver="GeoJSON", crs=crs)


def geopackage(path: Path, features: list[Feature], crs: str | None = "EPSG:5897", layer: str = "lo_dat") -> Path:
    return _write(path, features, driver="GPKG", crs=crs, layer=layer)


def add_layer(path: Path, features: list[Feature], layer: str, crs: str | None = "EPSG:5897") -> Path:
    columns, names = _columns(features)
    write(
        str(path),
        _wkb(features),
        columns,
        names,
        driver="GPKG",
        geometry_type="Unknown",
        crs=crs,
        layer=layer,
        append=True,
    )
    return path


def shapefile_zip(
    path: Path, features: list[Feature], crs: str | None = "EPSG:5897", *, folder: str = "", parts: tuple = ()
) -> Path:
    """A Shapefile (.shp, .shx, .dbf, .prj, .cpg) zipped, optionally inside a folder of the ZIP;
    `parts` limits which of its files go in."""
    work = path.parent / (path.stem + "_shp")
    work.mkdir(exist_ok=True)
    _write(work / "lo_dat.shp", features, driver="ESRI Shapefile", crs=crs)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(work.iterdir()):
            if not parts or f.suffix in parts:
                z.write(f, f"{folder}{f.name}")
    return path


def dxf(path: Path, parcels: list[tuple[BaseGeometry, str, str]], extra: list[Feature] = ()) -> Path:
    """A drawing: each parcel `(polygon, code, land use)` is a hatch on the land use's layer with
    its code as a text label inside it; `extra` entities (lines, points) are drawn too."""
    geoms, layers, styles = [], [], []
    for polygon, code, use in parcels:
        geoms.append(polygon)
        layers.append(use)
        styles.append("")
        label = polygon.representative_point()
        geoms.append(label)
        layers.append("TEXT")
        styles.append(f'LABEL(f:"Arial",t:"{code}")')
    for g, attrs in extra:
        geoms.append(g)
        layers.append(attrs.get("Layer", "0"))
        styles.append("")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        write(
            str(path),
            np.array([shapely.to_wkb(g) for g in geoms], dtype=object),
            [np.array(layers, dtype=object), np.array(styles, dtype=object)],
            ["Layer", "OGR_STYLE"],
            driver="DXF",
            geometry_type="Unknown",
            crs=None,
        )
    return path
