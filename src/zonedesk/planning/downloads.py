"""Downloads of a published layer: GeoJSON, GeoPackage, KML and CSV (geometry as WKT).

Plain writers: they take rows `(feature_id, geometry, properties)` (geometry is the stored GeoJSON
text in WGS 84, properties the public ones of `selectors.properties`) and know nothing of
requests. GeoJSON and CSV are streamed as they are written; GeoPackage and KML are written by
pyogrio (GDAL's drivers, no system GIS library) into a temporary folder, and the open file is
handed over after its folder is removed, so nothing is left on disk whatever the client does.
pyogrio is imported there, when a file is written: the URL configuration imports this module, and
loading GDAL in every process (and at every start) for the odd GeoPackage download is not worth it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import IO, Any

import numpy as np
import shapely

from zonedesk.core.exports import csv_safe

Row = tuple[str, str, dict[str, Any]]  # feature id, GeoJSON geometry text, public properties

ID_FIELD = "feature_id"  # GeoPackage keeps its own integer `fid`, KML its Placemark `id`
CHUNK = 1000


FORMATS = {
    # extension: (media type, title)
    "geojson": ("application/geo+json", "GeoJSON"),
    "gpkg": ("application/geopackage+sqlite3", "GeoPackage"),
    "kml": ("application/vnd.google-earth.kml+xml", "KML"),
    "csv": ("text/csv; charset=utf-8", "CSV (WKT)"),
}


def _chunks(rows: Iterable[Row], size: int = CHUNK) -> Iterator[list[Row]]:
    it = iter(rows)
    while chunk := list(islice(it, size)):
        yield chunk


def geojson_chunks(rows: Iterable[Row], *, name: str) -> Iterator[bytes]:
    """A GeoJSON FeatureCollection, the stored geometry text copied as it is."""
    yield b'{"type":"FeatureCollection","name":' + json.dumps(name).encode() + b',"features":['
    first = True
    for chunk in _chunks(rows):
        parts = []
        for fid, geometry, properties in chunk:
            parts.append(
                ("" if first else ",")
                + '{"type":"Feature","id":'
                + json.dumps(fid, ensure_ascii=False)
                + ',"geometry":'
                + geometry
                + ',"properties":'
                + json.dumps(properties, ensure_ascii=False)
                + "}"
            )
            first = False
        yield "\n".join(parts).encode()
    yield b"]}\n"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return csv_safe(str(value))  # text a spreadsheet would run as a formula gets an apostrophe


def csv_chunks(rows: Iterable[Row], *, fields: list[str]) -> Iterator[bytes]:
    """CSV in UTF-8 with a byte-order mark (so that Excel reads Vietnamese right), one line per
    feature: the feature id, the public properties, and the geometry as WKT (WGS 84)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([ID_FIELD, *fields, "wkt"])
    yield "\ufeff".encode() + buffer.getvalue().encode()
    for chunk in _chunks(rows):
        buffer.seek(0)
        buffer.truncate()
        wkts = shapely.to_wkt(shapely.from_geojson([g for _fid, g, _p in chunk]), rounding_precision=7, trim=True)
        for (fid, _g, properties), wkt in zip(chunk, wkts, strict=True):
            writer.writerow([_cell(fid), *(_cell(properties.get(f)) for f in fields), wkt])
        yield buffer.getvalue().encode()


def _column(values: list[Any]) -> np.ndarray:
    """A field of the GeoPackage/KML: boolean, number (NaN for none) or text, by its values."""
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present) and len(present) == len(values):
        return np.array(values, dtype=bool)
    if present and all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    return np.array([None if v is None else str(v) for v in values], dtype=object)


def write_file(rows: Iterable[Row], *, fields: list[str], layer: str, driver: str, path: str, name_field: str) -> int:
    """Write a GeoPackage (`driver="GPKG"`) or KML file with pyogrio; the number of features."""
    from pyogrio import raw  # GDAL, loaded only when a file is written

    rows = list(rows)
    geoms = shapely.from_geojson([g for _fid, g, _p in rows]) if rows else np.array([], dtype=object)
    wkb = np.array(shapely.to_wkb(geoms), dtype=object) if rows else np.array([], dtype=object)
    names = [ID_FIELD, *fields]
    data = [np.array([fid for fid, _g, _p in rows], dtype=object)]
    data += [_column([p.get(f) for _fid, _g, p in rows]) for f in fields]
    options: dict[str, Any] = {}
    if driver == "KML":
        # the Placemark's <name> is the code (or the zone), so that Google Earth and QGIS label it
        options["dataset_options"] = {"NameField": name_field}
    raw.write(
        path,
        wkb,
        data,
        names,
        layer=layer,
        driver=driver,
        geometry_type="MultiPolygon",
        promote_to_multi=True,
        crs="EPSG:4326",
        encoding="UTF-8",
        **options,
    )
    return len(rows)


def file_handle(rows: Iterable[Row], *, fields: list[str], layer: str, extension: str, name_field: str) -> IO[bytes]:
    """The written file, open for reading; its temporary folder is already removed (POSIX keeps
    an unlinked file readable while it is open), so closing the handle frees everything."""
    driver = {"gpkg": "GPKG", "kml": "KML"}[extension]
    folder = tempfile.mkdtemp(prefix="zonedesk-download-")
    try:
        path = os.path.join(folder, f"{layer}.{extension}")
        write_file(rows, fields=fields, layer=layer, driver=driver, path=path, name_field=name_field)
        handle = open(path, "rb")  # closed by the response that streams it
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return handle
