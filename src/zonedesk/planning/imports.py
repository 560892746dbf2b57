"""Imports of the plan from the files planners hand over, all or nothing.

A file (GeoJSON, a zipped Shapefile, a GeoPackage or a DXF drawing) becomes a new revision of
one layer of a zone in four steps, with a progress callback `(done, total)` throughout:

1. **Open** (`opened`): the file is checked before GDAL reads it: its size, that its content is
   what its name says, and for a ZIP its entries (no absolute or `..` paths, no links, no
   encryption, no "zip bomb", one dataset). A ZIP is unpacked, by us and with limits, into a
   temporary folder that is removed afterwards.
2. **Read** (`read`): pyogrio reads the features (no system GIS libraries). The coordinate system
   comes from the file, or from the officer's choice (`crs`) when the file has none or a wrong
   one (a DXF never has one). In a DXF, closed polylines are parcels and the text inside one is
   its label (`Text`); the other drawing entities are left out.
3. **Analyse** (`analyse`): the file's attributes are mapped to the fields of the layer
   (`guess_mapping` proposes a mapping from common English and Vietnamese names), geometries
   are transformed to WGS 84 (`geometry.to_wgs84`: the official VN-2000 transformation), and each
   feature is checked: geometry (an invalid polygon that `shapely.make_valid` turns into a
   polygon is offered as a *repair*), codes, land uses, numbers (`services.feature_values`),
   overlaps with the other features and the part outside the zone's boundary in force. The
   report lists every problem by feature with its reason.
4. **Commit** (`commit`): only a clean analysis, or one whose only findings are repairs the
   officer accepted, is written, by `services.revision_create`, which records the repairs.

The CLI (`zonedesk plan_import`) and the web import (`views_import`, run in the background by
`tasks.plan_import_run`) call `analyse` and `commit`; neither writes anything else.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import shutil
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any

import shapely
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry import LineString, MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from zonedesk.core.errors import ServiceError
from zonedesk.core.files import ZipLimits, zip_problem
from zonedesk.core.models import Zone
from zonedesk.core.text import fold
from zonedesk.investment.models import Project
from zonedesk.planning import geometry, selectors, services
from zonedesk.planning.models import INFRASTRUCTURE, LandUse, Layer, Occupancy, PlanningDecision, PlanRevision

Progress = Callable[[int, int], None]

MAX_FILE_BYTES = 50 * 1024 * 1024  # an uploaded file, ZIP or not
AREA_TOLERANCE_M2 = Decimal("1.0")  # overlaps and parts outside the zone smaller than this are drawing noise
PLAN_ZIP = ZipLimits(entries=200, unpacked=300 * 1024 * 1024, ratio=100, grace=1024 * 1024)

MAX_LISTED = 2_000  # features listed in a report (the counts cover all)

FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".zip": "ZIP", ".gpkg": "GeoPackage", ".dxf": "DXF"}
_DATASETS = {".shp": "Shapefile", ".gpkg": "GeoPackage", ".geojson": "GeoJSON", ".json": "GeoJSON", ".dxf": "DXF"}
_SHAPEFILE_PARTS = {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml", ".qmd"}

# The fields of each layer a file can fill, in the order the mapping form shows them.
TARGETS: dict[str, list[str]] = {
    Layer.BOUNDARY: [],
    Layer.AREAS: ["code", "land_use", "name"],
    Layer.PARCELS: [
        "code",
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
REQUIRED = ("code", "land_use")
TARGET_LABELS = {
    "code": gettext_lazy("Code"),
    "land_use": gettext_lazy("Land use"),
    "name": gettext_lazy("Name"),
    "max_density_pct": gettext_lazy("Maximum building density (%)"),
    "max_height_m": gettext_lazy("Maximum height (m)"),
    "max_far": gettext_lazy("Maximum floor-area ratio"),
    "power": gettext_lazy("Power ready"),
    "water": gettext_lazy("Water ready"),
    "drainage": gettext_lazy("Drainage ready"),
    "telecom": gettext_lazy("Telecom ready"),
    "occupancy": gettext_lazy("Occupancy"),
    "project": gettext_lazy("Project code"),
    "lease_price_vnd_m2": gettext_lazy("Lease price (VND/m²/year)"),
    "private_note": gettext_lazy("Internal note"),
}

# Attribute names planners use, folded (no accents, lower case, "_" between words). The field's
# own name always matches. Checked in this order, so a name is taken by the first field it fits.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": (
        "ma_lo",
        "ma_lo_dat",
        "ma_o",
        "ma_o_dat",
        "ky_hieu",
        "ki_hieu",
        "ky_hieu_lo",
        "ky_hieu_o",
        "so_hieu",
        "so_lo",
        "ten_lo",
        "lo",
        "ma_khu",
        "ma",
        "parcel",
        "parcel_code",
        "plot",
        "plot_id",
        "id_lo",
        "text",
    ),
    "land_use": (
        "loai_dat",
        "ma_loai_dat",
        "ma_ld",
        "loaidat",
        "chuc_nang",
        "ma_chuc_nang",
        "muc_dich",
        "muc_dich_su_dung",
        "mdsd",
        "mdsdd",
        "landuse",
        "use",
        "function",
        "layer",
    ),
    "name": ("ten", "ten_khu", "ten_phan_khu", "ten_khu_chuc_nang", "title"),
    "max_density_pct": ("mat_do", "mat_do_xd", "mat_do_xay_dung", "mdxd", "density", "mat_do_toi_da"),
    "max_height_m": ("tang_cao", "chieu_cao", "tang_cao_toi_da", "chieu_cao_toi_da", "height", "max_height"),
    "max_far": ("hsd", "hssdd", "hs_sdd", "he_so_sd", "he_so_sdd", "he_so_su_dung_dat", "far"),
    "power": ("dien", "cap_dien", "dien_san_sang"),
    "water": ("nuoc", "cap_nuoc"),
    "drainage": ("thoat_nuoc", "thoat_nuoc_thai"),
    "telecom": ("vien_thong", "thong_tin_lien_lac", "internet"),
    "occupancy": ("tinh_trang", "hien_trang", "trang_thai", "status"),
    "project": ("du_an", "ma_du_an", "ma_da", "project_code"),
    "lease_price_vnd_m2": ("gia_thue", "don_gia_thue", "don_gia", "gia", "lease_price", "price"),
    "private_note": ("ghi_chu", "ghi_chu_noi_bo", "note", "notes"),
}

_TRUE = {"1", "true", "t", "yes", "y", "x", "co", "da co", "san sang", "ready", "dat", "ok"}
_FALSE = {"", "0", "false", "f", "no", "n", "khong", "chua", "chua co", "none", "-"}
_OCCUPANCY = {
    "trong": Occupancy.VACANT,
    "con trong": Occupancy.VACANT,
    "chua thue": Occupancy.VACANT,
    "chua cho thue": Occupancy.VACANT,
    "dat trong": Occupancy.VACANT,
    "giu cho": Occupancy.RESERVED,
    "dat cho": Occupancy.RESERVED,
    "da dat cho": Occupancy.RESERVED,
    "da thue": Occupancy.LEASED,
    "da cho thue": Occupancy.LEASED,
    "gpmb": Occupancy.CLEARANCE,
    "dang gpmb": Occupancy.CLEARANCE,
    "giai phong mat bang": Occupancy.CLEARANCE,
    "dang giai phong mat bang": Occupancy.CLEARANCE,
    "cong cong": Occupancy.PUBLIC,
    "cong trinh cong cong": Occupancy.PUBLIC,
}

# GEOS's reasons for an invalid geometry, in words an officer reads.
_INVALID_REASONS = {
    "self-intersection": gettext_lazy("its outline crosses itself"),
    "ring self-intersection": gettext_lazy("a ring touches itself"),
    "too few points in geometry component": gettext_lazy("a ring has too few points"),
    "hole lies outside shell": gettext_lazy("a hole lies outside the outer ring"),
    "nested holes": gettext_lazy("a hole lies inside another hole"),
    "interior is disconnected": gettext_lazy("holes cut the polygon in pieces"),
    "nested shells": gettext_lazy("a part lies inside another part"),
    "duplicate rings": gettext_lazy("a ring is repeated"),
    "invalid coordinate": gettext_lazy("a coordinate is not a number"),
    "ring is not closed": gettext_lazy("a ring is not closed"),
}


def crs_choices() -> list[tuple[str, str]]:
    """The coordinate systems an officer may choose for a file that does not say its own."""
    out = [("EPSG:4326", "EPSG:4326 — WGS 84 " + str(_("(longitude, latitude)")))]
    for code, name in geometry.VN2000.items():
        label = f"EPSG:{code} — {name}"
        if code == 5897:
            label += " " + str(_("(Hanoi, central meridian 105°00′)"))
        out.append((f"EPSG:{code}", label))
    return out


def _crs_or_error(value: str | int | None) -> CRS | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.isdigit():
        text = f"EPSG:{text}"
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise ServiceError({"crs": _("Unknown coordinate system “%(crs)s”.") % {"crs": value}}) from exc


# --- 1. open ------------------------------------------------------------------------------


def _extension(name: str) -> str:
    name = (name or "").strip().lower()
    return name[name.rfind(".") :] if "." in name else ""


def _accepted() -> str:
    return _("Send a GeoJSON file, a ZIP with a Shapefile, a GeoPackage (.gpkg) or a DXF drawing.")


def check_head(name: str, size: int | None, head: bytes) -> str:
    """The format of an upload from its name, its size and its first bytes, or `ServiceError`
    ({"file": reason}) before anything reads it further."""
    ext = _extension(name)
    if ext not in FORMATS:
        raise ServiceError({"file": _("This type of file is not accepted.") + " " + _accepted()})
    if size is not None and size > MAX_FILE_BYTES:
        raise ServiceError(
            {"file": _("The file is too large: at most %(n)s MB.") % {"n": MAX_FILE_BYTES // (1024 * 1024)}}
        )
    if not head or size == 0:
        raise ServiceError({"file": _("The file is empty.")})
    fmt = FORMATS[ext]
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    ok = {
        "ZIP": head.startswith(b"PK\x03\x04"),
        "GeoPackage": head.startswith(b"SQLite format 3\x00"),
        "GeoJSON": text.startswith(b"{"),
        # an ASCII DXF opens with group code 0 (SECTION) or 999 (a comment)
        "DXF": head.startswith(b"AutoCAD Binary DXF") or re.match(rb"(0|999)\s*\r?\n", text) is not None,
    }[fmt]
    if not ok:
        raise ServiceError(
            {"file": _("The content of the file is not %(format)s, as its name says.") % {"format": fmt}}
        )
    return fmt


def _zip_refusal(problem: str) -> str:
    """The reason, for the officer, of what `core.files.zip_problem` found in a ZIP."""
    return {
        "entries": _("The ZIP file has too many files (at most %(n)s).") % {"n": PLAN_ZIP.entries},
        "unsafe": _("The ZIP file contains a file with an unsafe path (absolute or with “..”)."),
        "link": _("The ZIP file contains a link: it is not accepted."),
        "encrypted": _("Encrypted ZIP files are not accepted."),
    }.get(problem, _bomb())


def _bomb() -> str:
    return _("The ZIP file unpacks to far more data than its size (a possible “zip bomb”): it is not accepted.")


def _zip_dataset(archive_path: Path, into: Path) -> Path:
    """Check a ZIP and unpack its one dataset (a Shapefile with its companion files, a GeoPackage,
    a GeoJSON or a DXF) into a folder; entries of other types are skipped."""
    damaged = _("The ZIP file is damaged.")
    try:
        with zipfile.ZipFile(archive_path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            problem = zip_problem(infos, archive_path.stat().st_size, PLAN_ZIP)
            if problem:
                raise ServiceError({"file": _zip_refusal(problem)})
            wanted = [
                i
                for i in infos
                if not PurePosixPath(i.filename.replace("\\", "/")).name.startswith(".")
                and "__MACOSX" not in i.filename
            ]
            datasets = [i for i in wanted if _extension(i.filename) in _DATASETS]
            if len(datasets) != 1:
                raise ServiceError(
                    {
                        "file": _(
                            "The ZIP file must contain exactly one dataset (a Shapefile, a GeoPackage, a GeoJSON or a DXF); it has %(n)s."
                        )
                        % {"n": len(datasets)}
                    }
                )
            main = datasets[0]
            main_path = PurePosixPath(main.filename.replace("\\", "/"))
            stem = main_path.name[: -len(_extension(main_path.name))]
            members = [main]
            if _extension(main.filename) == ".shp":
                for i in wanted:
                    p = PurePosixPath(i.filename.replace("\\", "/"))
                    if p.parent == main_path.parent and p.name.lower().startswith(stem.lower() + "."):
                        if i is not main and p.name.lower()[len(stem) :] in _SHAPEFILE_PARTS:
                            members.append(i)
                if not any(_extension(i.filename) == ".dbf" for i in members) or not any(
                    _extension(i.filename) == ".shx" for i in members
                ):
                    raise ServiceError(
                        {
                            "file": _(
                                "The Shapefile in the ZIP file is incomplete: it needs its .shp, .shx and .dbf files."
                            )
                        }
                    )
            written = 0
            for i in members:
                # flat, our own names: nothing is written outside the folder whatever the entry says
                suffix = PurePosixPath(i.filename.replace("\\", "/")).name[len(stem) :].lower()
                target = into / f"dataset{suffix}"
                with archive.open(i) as src, open(target, "wb") as dst:
                    while chunk := src.read(1024 * 1024):
                        written += len(chunk)
                        if written > PLAN_ZIP.unpacked:
                            raise ServiceError({"file": _bomb()})
                        dst.write(chunk)
            return into / f"dataset{_extension(main.filename)}"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise ServiceError({"file": damaged}) from exc


@contextmanager
def opened(source: str | Path | IO[bytes], name: str = "") -> Iterator[tuple[Path, str]]:
    """A checked, local copy of an uploaded file ready for pyogrio: `(path, format)`. A ZIP is
    unpacked. Every temporary file is removed when the block ends, whatever happens in it."""
    name = name or (Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "") or "")
    ext = _extension(name)
    folder = Path(tempfile.mkdtemp(prefix="zonedesk-import-"))
    try:
        copy = folder / f"upload{ext}"
        src = open(source, "rb") if isinstance(source, (str, Path)) else source  # noqa: SIM115
        try:
            if hasattr(src, "seek"):
                src.seek(0)
            head = src.read(64)
            fmt = check_head(name, None, head)
            size = len(head)
            with open(copy, "wb") as dst:
                dst.write(head)
                while chunk := src.read(1024 * 1024):
                    size += len(chunk)
                    if size > MAX_FILE_BYTES:
                        check_head(name, size, head)
                    dst.write(chunk)
        finally:
            if isinstance(source, (str, Path)):
                src.close()
        if fmt == "ZIP":
            inner = folder / "unpacked"
            inner.mkdir()
            path = _zip_dataset(copy, inner)
            copy.unlink()
            fmt = _DATASETS[_extension(path.name)]
            if fmt == "Shapefile":
                fmt = "Shapefile (ZIP)"
            yield path, fmt
        else:
            yield copy, fmt
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- 2. read ------------------------------------------------------------------------------


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
            + _accepted()
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


# --- 3. analyse ---------------------------------------------------------------------------


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(str(name))).strip("_")


def guess_mapping(fields: list[str], layer: str) -> dict[str, str]:
    """A proposal: for each field of the layer, the file attribute that most likely holds it
    (case-, accent- and punctuation-insensitive: "Mã lô", "MA_LO" and "ma-lo" are one name)."""
    by_key: dict[str, str] = {}
    for f in fields:
        by_key.setdefault(_key(f), f)
        by_key.setdefault(_key(f).replace("_", ""), f)
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for target in TARGETS[Layer(layer)]:
        for candidate in (target, *SYNONYMS.get(target, ())):
            for key in (candidate, candidate.replace("_", "")):
                f = by_key.get(key)
                if f is not None and f not in used:
                    mapping[target] = f
                    used.add(f)
                    break
            if target in mapping:
                break
    return mapping


def _plain(value: Any) -> Any:
    """A value as pyogrio gives it, made plain: None for nulls and NaN, whole floats as ints."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()  # numpy scalars
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 1e15:
            return int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _text(value: Any) -> str:
    value = _plain(value)
    return "" if value is None else str(value).strip()


def _bool(value: Any, label: str, problems: list[str]) -> bool:
    value = _plain(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value in (0, 1):
            return bool(value)
    else:
        folded = fold(_text(value))
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    problems.append(_("%(field)s is not yes or no: “%(value)s”.") % {"field": label, "value": value})
    return False


def _land_use(value: Any, by_code: dict[str, LandUse], by_name: dict[str, LandUse]) -> str:
    text = _text(value)
    if text.upper() in by_code:
        return text.upper()
    use = by_name.get(fold(text))
    return use.code if use is not None else text


def _occupancy(value: Any) -> str:
    text = _text(value)
    if not text:
        return ""
    folded = fold(text)
    if folded in Occupancy.values:
        return folded
    for choice in Occupancy:
        if folded == fold(str(choice.label)):
            return choice.value
    return _OCCUPANCY.get(folded, text)


def properties_of(row: dict[str, Any], mapping: dict[str, str], lookups: dict[str, dict]) -> tuple[dict, list[str]]:
    """The layer's fields of one feature from its attributes, and the values that cannot be read."""
    problems: list[str] = []
    props: dict[str, Any] = {}
    for target, attribute in mapping.items():
        raw = row.get(attribute)
        if target in INFRASTRUCTURE:
            props[target] = _bool(raw, str(TARGET_LABELS[target]), problems)
        elif target == "land_use":
            props[target] = _land_use(raw, lookups["land_use_codes"], lookups["land_use_names"])
        elif target == "occupancy":
            props[target] = _occupancy(raw)
        elif target in {"max_density_pct", "max_height_m", "max_far", "lease_price_vnd_m2"}:
            value = _plain(raw)
            props[target] = value.strip() if isinstance(value, str) else value
        else:
            props[target] = _text(raw)
    return props, problems


def _number(value: Decimal | float, places: int = 1) -> str:
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def _invalid_reason(g: BaseGeometry, *, geographic: bool) -> str:
    raw = shapely.is_valid_reason(g) or ""
    match = re.match(r"^([^\[]+)(?:\[([-\d.eE+]+) ([-\d.eE+]+)\])?", raw)
    words = (match.group(1) if match else raw).strip()
    reason = _INVALID_REASONS.get(words.lower(), words)
    if match and match.group(2):
        places = 6 if geographic else 2
        return _("The geometry is not valid: %(reason)s at %(x)s, %(y)s (coordinates of the file).") % {
            "reason": reason,
            "x": f"{float(match.group(2)):.{places}f}",
            "y": f"{float(match.group(3)):.{places}f}",
        }
    return _("The geometry is not valid: %(reason)s.") % {"reason": reason}


def _polygonal(g: BaseGeometry) -> BaseGeometry | None:
    """The polygons of a geometry (a collection loses its lines and points, which have no area)."""
    if g.geom_type in {"Polygon", "MultiPolygon"}:
        return g
    if g.geom_type == "GeometryCollection":
        parts = [p for p in shapely.get_parts(g) if p.geom_type in {"Polygon", "MultiPolygon"}]
        polys = [q for p in parts for q in (p.geoms if isinstance(p, MultiPolygon) else [p])]
        if polys:
            return polys[0] if len(polys) == 1 else MultiPolygon(polys)
    return None


@dataclass
class Item:
    """One feature of the file as the analysis sees it."""

    n: int
    code: str
    geometry: BaseGeometry | None  # WGS 84; the repaired one when a repair is offered
    properties: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    repair: str = ""  # what a repair does, in words; "" when none is needed
    repair_kind: str = ""  # "make_valid", "join" or both, for the revision's record
    area_m2: Decimal | None = None  # geodesic, of `geometry`: computed once (it is not cheap)

    @property
    def label(self) -> str:
        return self.code or _("feature %(n)s") % {"n": self.n}

    @property
    def measured(self) -> bool:
        """A valid polygon in WGS 84 with its area: what the spatial checks work on (a feature
        without one already has a problem)."""
        return self.geometry is not None and self.area_m2 is not None


@dataclass
class Analysis:
    """The outcome of `analyse`: the report (plain JSON, what pages and the CLI show) and the
    features ready for `commit`."""

    zone: Zone
    layer: str
    report: dict[str, Any]
    items: list[Item] = field(default_factory=list)

    @property
    def status(self) -> str:
        return self.report["status"]

    @property
    def repairs(self) -> list[dict[str, Any]]:
        return self.report["repairs"]


class _Steps:
    """Progress through the pipeline: `(done, total)` to the callback, total 0 while unknown."""

    def __init__(self, callback: Progress | None):
        self.callback = callback
        self.done = 0
        self.total = 0

    def start(self, total: int, done: int = 0) -> None:
        self.total, self.done = total, done
        self._tell()

    def step(self, n: int = 1) -> None:
        self.done = min(self.done + n, self.total)
        self._tell()

    def finish(self) -> None:
        self.done = self.total
        self._tell()

    def _tell(self) -> None:
        if self.callback is not None:
            self.callback(self.done, self.total)


STAGES = 5  # read, geometry, fields, overlaps, the zone's boundary (then the save, if any)


def analyse(
    *,
    zone: Zone,
    layer: str,
    source: str | Path | IO[bytes],
    name: str = "",
    mapping: dict[str, str] | None = None,
    crs: str | int | None = None,
    source_layer: str = "",
    effective_date: dt.date | None = None,
    progress: Progress | None = None,
    extra_stages: int = 0,
) -> Analysis:
    """Read and check a file for a new revision of `layer` of `zone`. Writes nothing. File-level
    refusals (unreadable, too big, unsafe ZIP, unknown layer) are in `report["problems"]`, like
    the problems of the whole file (no coordinate system, no code mapped); each feature's are
    in `report["features"]`. `mapping` is {field: file attribute}; None means "guess"."""
    if layer not in Layer.values:
        raise ServiceError({"layer": _("Unknown layer.")})
    steps = _Steps(progress)
    steps.start(0)
    chosen = _crs_or_error(crs)
    name = name or (Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "") or "")
    report: dict[str, Any] = {
        "status": "refused",
        "source": {"name": Path(name).name, "format": "", "layer": "", "layers": [], "fields": [], "features": 0},
        "crs": "",
        "crs_name": "",
        "mapping": {},
        "guessed": mapping is None,
        "problems": [],
        "notes": [],
        "features": [],
        "repairs": [],
        "counts": {"features": 0, "refused": 0, "repairable": 0, "listed": 0},
        "area_m2": 0.0,
    }
    analysis = Analysis(zone=zone, layer=layer, report=report)
    try:
        with opened(source, name) as (path, fmt):
            report["source"]["format"] = fmt
            src = read(path, fmt, source_layer=source_layer)
    except ServiceError as exc:
        report["problems"].extend(m for ms in exc.message_dict.values() for m in ms)
        report["source"]["layers"] = getattr(exc, "layers", [])
        steps.start(1, 1)
        return analysis
    n = len(src.geometries)
    report["source"].update(layer=src.layer, layers=src.layers, fields=src.fields, features=n)
    report["counts"]["features"] = n
    report["notes"].extend(src.notes)
    steps.start(max(n, 1) * (STAGES + extra_stages), max(n, 1))

    # the coordinate system
    source_crs = chosen or src.crs
    if chosen is not None and src.crs is not None and src.crs != chosen:
        report["notes"].append(
            _("The file says its coordinates are in %(file)s; %(chosen)s was used as chosen.")
            % {"file": src.crs.name, "chosen": chosen.name}
        )
    problems = report["problems"]
    if n == 0:
        problems.append(_("The file has no features."))
    if source_crs is None:
        problems.append(
            _("The file does not say which coordinate system its coordinates are in: choose one (VN-2000 or WGS 84).")
        )
    else:
        epsg = source_crs.to_epsg(min_confidence=70)
        report["crs"] = f"EPSG:{epsg}" if epsg else source_crs.name
        report["crs_name"] = source_crs.name
        present = [g for g in src.geometries if g is not None and not g.is_empty]
        if source_crs.is_geographic and present:
            minx, miny, maxx, maxy = shapely.total_bounds(present)
            if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
                problems.append(
                    _(
                        "The coordinates are not longitude and latitude although the file says %(crs)s: "
                        "choose the coordinate system they are in (for Hanoi, usually VN-2000 / TM-3 zone 482)."
                    )
                    % {"crs": source_crs.name}
                )
        elif not source_crs.is_geographic and not source_crs.is_projected:
            problems.append(_("The coordinate system of the file is neither geographic nor projected."))
        try:
            if "ballpark" in geometry.transformer(report["crs"] if epsg else source_crs.to_wkt()).description.lower():
                problems.append(
                    _(
                        "There is no known transformation from %(crs)s to WGS 84: positions would be off by "
                        "up to some hundred metres. Choose the coordinate system (VN-2000) instead."
                    )
                    % {"crs": source_crs.name}
                )
        except CRSError:
            problems.append(_("The coordinate system of the file is not understood."))

    # the mapping
    targets = TARGETS[Layer(layer)]
    if mapping is None:
        mapping = guess_mapping(src.fields, layer)
    mapping = {t: a for t, a in mapping.items() if a}
    report["mapping"] = mapping
    for target, attribute in mapping.items():
        if target not in targets:
            problems.append(_("“%(field)s” is not a field of this layer.") % {"field": target})
        elif attribute not in src.fields:
            problems.append(
                _("The file has no attribute “%(attribute)s” (chosen for %(field)s).")
                % {"attribute": attribute, "field": TARGET_LABELS[target]}
            )
    for target in REQUIRED:
        if target in targets and target not in mapping:
            problems.append(
                _("Choose the attribute of the file that holds the %(field)s of each feature.")
                % {"field": str(TARGET_LABELS[target]).lower()}
            )
    if problems:
        steps.finish()
        return analysis

    # each feature: geometry in WGS 84, fields, what feature_values checks
    land_uses = {u.code.upper(): u for u in LandUse.objects.all()}
    lookups = {
        "land_use_codes": land_uses,
        "land_use_names": {fold(x): u for u in land_uses.values() for x in (u.name_vi, u.name_en, u.code) if x},
    }
    projects = {p.code: p for p in Project.objects.filter(zone=zone)}
    items: list[Item] = []
    candidates: list[BaseGeometry | None] = []
    for i, (g, row) in enumerate(zip(src.geometries, src.rows, strict=True), 1):
        props, value_problems = properties_of(row, mapping, lookups)
        item = Item(n=i, code=_text(props.get("code")), geometry=None, properties=props)
        candidates.append(_check_geometry(item, g, geographic=source_crs.is_geographic))
        item.problems.extend(value_problems)
        items.append(item)
    transformed = _to_wgs84(candidates, report["crs"] if report["crs"].startswith("EPSG:") else source_crs)
    for item, g in zip(items, transformed, strict=True):
        if g is False:
            item.problems.append(_("The coordinates could not be transformed to WGS 84."))
        elif g is not None:
            _check_transformed(item, g)
        steps.step()
    if layer == Layer.BOUNDARY:
        _join_boundary(items)
    for item in items:
        _values, errors = services.feature_values(
            layer,
            services.Feature(geometry=item.geometry, code=item.code, properties=item.properties),
            land_uses,
            projects,
        )
        if item.geometry is None:
            # refused above with its reason (where the planner drew it, or once transformed); the
            # service's finding counts for a geometry kept (its WGS 84 checks have the last word)
            errors.pop("geometry", None)
        if layer != Layer.BOUNDARY and not item.properties.get("land_use"):
            errors.pop("land_use", None)  # not an unknown land use: none at all
            item.problems.append(_("The feature has no land use."))
        item.problems.extend(errors.values())
        steps.step()
    if layer != Layer.BOUNDARY:
        _check_codes(items)
        _check_overlaps(items, steps)
        _check_inside(items, zone, report, effective_date, steps)
    analysis.items = items
    _finish(report, items)
    steps.finish()
    return analysis


def _to_wgs84(geoms: list[BaseGeometry | None], source: str | CRS) -> list[BaseGeometry | None | bool]:
    """Every geometry in WGS 84 with one transformer (None stays None; False: not transformable)."""
    import numpy as np

    source = source.to_wkt() if isinstance(source, CRS) else source
    present = [k for k, g in enumerate(geoms) if g is not None and not g.is_empty]
    out: list[BaseGeometry | None | bool] = [None] * len(geoms)
    if not present:
        return out
    try:
        moved = geometry.to_wgs84(np.array([geoms[k] for k in present], dtype=object), source)
    except Exception:  # noqa: BLE001 - pyproj refuses the whole array: every feature says so
        moved = [None] * len(present)
    for k, g in zip(present, moved, strict=True):
        ok = g is not None and bool(np.isfinite(shapely.get_coordinates(g)).all())
        out[k] = g if ok else False
    return out


def _check_geometry(item: Item, g: BaseGeometry | None, *, geographic: bool) -> BaseGeometry | None:
    """Check a feature's geometry where the planner drew it (the file's coordinates): the geometry
    to transform (repaired when a repair is offered), or None with the problem recorded."""
    if g is None or g.is_empty:
        item.problems.append(_("The feature has no geometry."))
        return None
    if g.geom_type not in {"Polygon", "MultiPolygon"}:
        item.problems.append(_("The geometry is a %(type)s, not a polygon.") % {"type": g.geom_type})
        return None
    if g.is_valid:
        return g
    fixed = _made_valid(g)
    reason = _invalid_reason(g, geographic=geographic)
    if fixed is None:
        item.problems.append(reason + " " + _("It cannot be repaired automatically: correct it in the file."))
        return None
    item.repair, item.repair_kind = reason, "make_valid"
    return fixed


def _made_valid(g: BaseGeometry) -> BaseGeometry | None:
    try:
        fixed = _polygonal(shapely.make_valid(g))
    except Exception:  # noqa: BLE001 - GEOS gives up on some broken inputs
        return None
    if fixed is None or fixed.is_empty or not fixed.is_valid or fixed.area <= 0:
        return None
    return fixed


def _check_transformed(item: Item, g: BaseGeometry) -> None:
    """Keep the WGS 84 geometry on the item, valid (a transformation can fold a hair-thin part),
    with its geodesic area, computed here once for every later check."""
    if not g.is_valid:
        fixed = _made_valid(g)
        if fixed is None:
            item.problems.append(_("The geometry is not valid once transformed to WGS 84: correct it in the file."))
            return
        if not item.repair:
            item.repair = _("The geometry is not valid once transformed to WGS 84.")
            item.repair_kind = "make_valid"
        g = fixed
    item.geometry, item.area_m2 = g, geometry.area_m2(g)
    if item.area_m2 < AREA_TOLERANCE_M2:
        item.problems.append(_("The polygon has almost no area (%(area)s m²).") % {"area": _number(item.area_m2)})
        item.repair = item.repair_kind = ""
        return
    if item.repair:
        parts = len(g.geoms) if isinstance(g, MultiPolygon) else 1
        item.repair += " " + _("Repair: make it valid (%(parts)s part(s), %(area)s m²).") % {
            "parts": parts,
            "area": _number(item.area_m2),
        }


def _join_boundary(items: list[Item]) -> None:
    """A zone's boundary is one feature: polygons drawn as several features are joined (a repair)."""
    usable = [i for i in items if i.geometry is not None and not i.problems]
    if len(items) <= 1 or len(usable) != len(items):
        return
    joined = shapely.unary_union([i.geometry for i in usable])
    joined = _polygonal(joined) if joined is not None else None
    if joined is None or not joined.is_valid:
        return
    first = items[0]
    first.geometry, first.area_m2 = joined, geometry.area_m2(joined)
    first.repair_kind = "+".join(x for x in [first.repair_kind, "join"] if x)
    first.repair = " ".join(
        x for x in [first.repair, _("Repair: join the %(n)s features into one boundary.") % {"n": len(items)}] if x
    )
    del items[1:]


def _check_codes(items: list[Item]) -> None:
    first: dict[str, Item] = {}
    for item in items:
        if not item.code:
            continue
        if item.code in first:
            item.problems.append(
                _("The code is used by another feature of the file (feature %(n)s).") % {"n": first[item.code].n}
            )
        else:
            first[item.code] = item


def _check_overlaps(items: list[Item], steps: _Steps) -> None:
    usable = [i for i in items if i.measured]
    tree = shapely.STRtree([i.geometry for i in usable])
    for a, item in enumerate(usable):
        for b in sorted(tree.query(item.geometry, predicate="intersects")):
            if b <= a:
                continue
            other = usable[b]
            overlap = _shared_area(item.geometry, other.geometry, shapely.intersection)
            if overlap > AREA_TOLERANCE_M2:
                text = _("It overlaps %(other)s by %(area)s m².")
                item.problems.append(text % {"other": other.label, "area": _number(overlap)})
                other.problems.append(text % {"other": item.label, "area": _number(overlap)})
        steps.step()
    steps.step(len(items) - len(usable))


def _shared_area(a: BaseGeometry, b: BaseGeometry, operation: Callable) -> Decimal:
    """Geodesic area of an overlay of two valid polygons (snapped to about 1 mm when GEOS's
    floating-point overlay gives up on nearly coincident edges)."""
    try:
        result = operation(a, b)
    except shapely.errors.GEOSException:
        result = operation(a, b, grid_size=1e-8)
    return geometry.area_m2(_polygonal(result) or Polygon())


def _check_inside(items: list[Item], zone: Zone, report: dict, on: dt.date | None, steps: _Steps) -> None:
    revision = selectors.current_revision(zone, Layer.BOUNDARY, on=on) or selectors.current_revision(
        zone, Layer.BOUNDARY
    )
    boundary_row = revision.boundaries.first() if revision is not None else None
    if boundary_row is None:
        report["notes"].append(_("The zone has no boundary yet: the features were not checked against it."))
        steps.step(len(items))
        return
    boundary = boundary_row.geojson
    boundary = geometry.parse(boundary)
    shapely.prepare(boundary)
    for item in items:
        g = item.geometry
        if item.measured and not boundary.contains(g):
            outside = _shared_area(g, boundary, shapely.difference)
            if outside > AREA_TOLERANCE_M2:
                if outside >= item.area_m2 - AREA_TOLERANCE_M2:
                    item.problems.append(
                        _("It lies outside the boundary of the zone (revision %(n)s).") % {"n": revision.number}
                    )
                else:
                    item.problems.append(
                        _("%(area)s m² of it lie outside the boundary of the zone (revision %(n)s).")
                        % {"area": _number(outside), "n": revision.number}
                    )
        steps.step()


def _finish(report: dict[str, Any], items: list[Item]) -> None:
    refused = [i for i in items if i.problems]
    repairable = [i for i in items if i.repair and not i.problems]
    report["counts"].update(features=report["counts"]["features"], refused=len(refused), repairable=len(repairable))
    listed = [i for i in items if i.problems or i.repair][:MAX_LISTED]
    report["counts"]["listed"] = len(listed)
    report["features"] = [
        {
            "n": i.n,
            "code": i.code,
            "label": i.label,
            "problems": i.problems,
            "repair": i.repair,
            "area_m2": float(i.area_m2) if i.measured else None,
        }
        for i in listed
    ]
    report["repairs"] = [
        {"feature": i.n, "code": i.code, "repair": i.repair_kind, "description": i.repair} for i in items if i.repair
    ]
    report["area_m2"] = float(sum((i.area_m2 for i in items if i.measured and not i.problems), Decimal(0)))
    if report["problems"] or refused:
        report["status"] = "refused"
    elif report["repairs"]:
        report["status"] = "repairs"
    else:
        report["status"] = "clean"


# --- 4. commit ----------------------------------------------------------------------------


def problems_of(report: dict[str, Any]) -> list[str]:
    """Every problem of a report, one line each: the file's, then "<feature>: <reason>"."""
    lines = list(report["problems"])
    for f in report["features"]:
        lines.extend(f"{f['label']}: {p}" for p in f["problems"])
    hidden = report["counts"]["refused"] - sum(1 for f in report["features"] if f["problems"])
    if hidden > 0:
        lines.append(_("… and %(n)s more features with problems.") % {"n": hidden})
    return lines


def commit(
    analysis: Analysis,
    *,
    by: Any,
    effective_date: dt.date,
    decision: PlanningDecision | None = None,
    note: str = "",
    accept_repairs: bool = False,
    accepted: list[dict[str, Any]] | None = None,
    progress: Progress | None = None,
) -> PlanRevision:
    """Write the analysed features as a new revision, or `ServiceError` and nothing written: when
    the analysis found problems, or repairs the officer did not accept. `accepted`, when given,
    is the list of repairs the officer saw: a different list (the file or the data changed since)
    is not accepted blindly."""
    report = analysis.report
    if report["status"] == "refused":
        raise ServiceError({"features": problems_of(report) or [_("The file was refused.")]})
    if report["status"] == "repairs":
        if not accept_repairs:
            raise ServiceError({"repairs": _("The file needs the listed repairs: accept them to save it.")})
        if accepted is not None and [(r["feature"], r["description"]) for r in accepted] != [
            (r["feature"], r["description"]) for r in report["repairs"]
        ]:
            raise ServiceError({"repairs": _("The repairs needed changed since you accepted them: review them again.")})
    features = [services.Feature(geometry=i.geometry, code=i.code, properties=i.properties) for i in analysis.items]
    revision = services.revision_create(
        zone=analysis.zone,
        layer=analysis.layer,
        features=features,
        effective_date=effective_date,
        by=by,
        decision=decision,
        note=note,
        source_name=report["source"]["name"],
        source_format=report["source"]["format"],
        source_crs=report["crs"],
        repairs=[
            {"feature": r["feature"], "code": r["code"], "repair": r["repair"], "description": r["description"]}
            for r in report["repairs"]
        ],
    )
    if progress is not None:
        progress(1, 1)
    return revision


def import_file(
    *,
    zone: Zone,
    layer: str,
    source: str | Path | IO[bytes],
    by: Any,
    effective_date: dt.date,
    name: str = "",
    mapping: dict[str, str] | None = None,
    crs: str | int | None = None,
    source_layer: str = "",
    decision: PlanningDecision | None = None,
    note: str = "",
    accept_repairs: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> tuple[Analysis, PlanRevision | None]:
    """Analyse a file and, unless `dry_run` or refused, save it: `(analysis, revision or None)`.
    A refusal of the commit raises `ServiceError` (nothing saved)."""
    steps = _Steps(progress)

    def relay(done: int, total: int) -> None:
        steps.total, steps.done = total, done
        steps._tell()

    analysis = analyse(
        zone=zone,
        layer=layer,
        source=source,
        name=name,
        mapping=mapping,
        crs=crs,
        source_layer=source_layer,
        effective_date=effective_date,
        progress=relay,
        extra_stages=0 if dry_run else 1,
    )
    if dry_run or analysis.status == "refused" or (analysis.status == "repairs" and not accept_repairs):
        steps.finish()
        return analysis, None
    revision = commit(
        analysis,
        by=by,
        effective_date=effective_date,
        decision=decision,
        note=note,
        accept_repairs=accept_repairs,
    )
    steps.finish()
    return analysis, revision
