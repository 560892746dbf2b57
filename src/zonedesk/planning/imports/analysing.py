"""Step 3 of a plan import, **analyse**: the file's attributes are mapped to the fields of the
layer (`fields.guess_mapping`), geometries are transformed to WGS 84 (`geometry.to_wgs84`: the
official VN-2000 transformation), and each feature is checked: geometry (an invalid polygon that
`shapely.make_valid` turns into a polygon is offered as a *repair*), codes, land uses, numbers
(`services.feature_values`), overlaps with the other features and the part outside the zone's
boundary in force. The report lists every problem by feature with its reason. Writes nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import shapely
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from zonedesk.core.errors import ServiceError
from zonedesk.core.models import Zone
from zonedesk.core.text import fold
from zonedesk.investment.models import Project
from zonedesk.planning import geometry, selectors, services
from zonedesk.planning.imports.fields import REQUIRED, TARGET_LABELS, TARGETS, as_text, guess_mapping, properties_of
from zonedesk.planning.imports.opening import opened
from zonedesk.planning.imports.reading import crs_or_error, read
from zonedesk.planning.models import LandUse, Layer

Progress = Callable[[int, int], None]

AREA_TOLERANCE_M2 = Decimal("1.0")  # overlaps and parts outside the zone smaller than this are drawing noise
MAX_LISTED = 2_000  # features listed in a report (the counts cover all)

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


class Steps:
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
    steps = Steps(progress)
    steps.start(0)
    chosen = crs_or_error(crs)
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
        item = Item(n=i, code=as_text(props.get("code")), geometry=None, properties=props)
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


def _check_overlaps(items: list[Item], steps: Steps) -> None:
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


def _check_inside(items: list[Item], zone: Zone, report: dict, on: dt.date | None, steps: Steps) -> None:
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
