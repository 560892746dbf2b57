"""The plan of the demo: boundaries, functional areas and land parcels of the demo zones.

`build()` writes, through `services.revision_create` only, the plan of Hoa Lac Hi-Tech Park
(a planning decision and three revisions: boundary, functional areas, parcels) and a smaller
plan of each industrial zone of the investment demo, once: a database that has the HHTP
parcels already is left alone. It runs after the investment demo, whose registry it reads to
lease the parcels.

What is real and what is synthetic
----------------------------------
* Real (FACTS.md, press): Hoa Lac lies on both sides of the Thăng Long avenue in Thạch Thất and
  Quốc Oai, about 1,586 ha; the functional areas of Decision 899/QĐ-TTg (2016): software park
  55.93 ha, research and development 263.15 ha, education and training 123.53 ha, hi-tech
  industry 391.01 ha, transport and technical infrastructure 220.55 ha; the National
  Innovation Center's 35 ha site; the decision itself (its date, 27 May 2016 as the press
  reports it, is approximate).
* Approximate: the outline (a simplified polygon in roughly the right place, 21.00–21.03°N,
  105.50–105.56°E, not surveyed); the avenue's 140 m cross-section.
* Synthetic: the shape and position of every functional area; the split of Hoa Lac's other
  531.83 ha between centre, housing, services, sport, water and green space [uncertain]; the
  split of its 220.55 ha between roads and technical plants; every parcel, its limits
  (density, height, floor-area ratio), networks, site-clearance status and lease price; the
  whole plan of the industrial zones (outline, position, areas), sized from their
  [uncertain] areas in the registry.
* Consistent with the registry (synthetic too): every project in force with land holds
  parcels whose area is its registered land area (to a square metre or two), leased, or
  reserved while the project is only registered; the rest of the land for projects is vacant
  or under site clearance. Parcels of leasable land uses tile exactly the areas for projects
  (in Hoa Lac software park, R&D, education and hi-tech industry: 833.62 ha), whose total is
  the zone's `leasable_area_ha`, so the land registration rate computed from the parcels
  (`land_rate_from_parcels`) is the dashboard's (`investment.selectors.zone_figures`). Hoa
  Lac's centre, housing and services areas have no parcels: the registry does not count them
  as land for projects.

Geometry is drawn in VN-2000 / TM-3 105°00' metres (EPSG:5897, the coordinates Hanoi's
planners use) with a fixed seed, every cut placed so that the piece has the area it must have,
then transformed to WGS 84 by `geometry.to_wgs84`; the service computes the areas again,
geodesically. Every piece is convex (a convex outline cut by straight lines), hence a valid
polygon; pieces share their edges exactly, so they neither overlap nor leave the boundary.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import random
from dataclasses import dataclass, field
from typing import Any, TextIO

import numpy as np
import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from pyproj import Transformer
from shapely import affinity
from shapely.geometry import GeometryCollection, LineString, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.strtree import STRtree

from zonedesk.core.models import Role, User, Zone
from zonedesk.core.numbers import pct
from zonedesk.investment import selectors as investment_selectors
from zonedesk.investment.models import ProjectStatus, Sector
from zonedesk.planning import geometry, selectors, services
from zonedesk.planning.models import LandUse, Layer, Occupancy, PlanningDecision, PlanRevision
from zonedesk.planning.services import Feature

SEED = 20160527  # the date of Decision 899/QĐ-TTg as reported
HHTP = "HHTP"
SOURCE_CRS = 5897  # VN-2000 / TM-3 zone 105°00' (Hanoi)
HA = 10_000.0
Vec = tuple[float, float]


@dataclass(frozen=True)
class AreaSpec:
    code: str
    use: str
    name_vi: str
    name_en: str
    ha: float | None  # None: takes what is left of its band
    new: bool = False  # a newer sector: land still being cleared, networks still being built


@dataclass(frozen=True)
class ZonePlan:
    """How to draw a zone, in local metres (x east, y north, origin at `centre`): the outline
    (scaled to the zone's area), a main axis (an avenue) across it, bands along the axis on
    each side and, in each band from west to east, functional areas with internal roads."""

    code: str
    centre: Vec  # lon, lat
    area_ha: float
    outline: tuple[Vec, ...]
    axis_y: float  # where the axis crosses x = 0
    axis_slope: float
    axis_width: float
    axis_name: str
    gate_x: float  # the main gate, on the axis: older projects lie nearer to it
    bands: dict[str, list[AreaSpec]]  # "north"/"south", or "north-inner", "north-outer", ...
    inner_depth: dict[str, float]  # depth of the inner band of a side that has two
    road_width: float  # internal roads; solved for when `transport_ha` is given
    transport_ha: float | None = None  # the axis and the internal roads together
    sector_areas: dict[str, list[str]] = field(default_factory=dict)  # where each sector goes
    default_areas: tuple[str, ...] = ()
    fill: float = 1.0  # an area takes projects up to this share of its land
    balance: bool = False  # spread projects over the areas instead of filling them in turn
    decision: dict[str, Any] | None = None
    notes: dict[str, str] = field(default_factory=dict)


# --- Hoa Lac ----------------------------------------------------------------------------------

HHTP_FACTS_HA = {"PM": 55.93, "NC": 263.15, "GD": 123.53, "CNC": 391.01, "GT+HT": 220.55, "NIC": 35.0}
HHTP_DECISION = {
    "number": "899/QĐ-TTg",
    "date": dt.date(2016, 5, 27),  # as the press reports it; approximate
    "authority": "Thủ tướng Chính phủ",
    "authority_en": "The Prime Minister",
    "title": "Phê duyệt điều chỉnh Quy hoạch chung xây dựng Khu Công nghệ cao Hòa Lạc đến năm 2030",
    "title_en": "Approving the adjusted general construction plan of Hoa Lac Hi-Tech Park to 2030",
}
_A = AreaSpec
HHTP_PLAN = ZonePlan(
    code=HHTP,
    centre=(105.530, 21.018),  # on the Thăng Long avenue
    area_ha=1586.0,
    outline=(
        (-3100, -900),
        (-2300, -1500),
        (-600, -1750),
        (1500, -1600),
        (2900, -1000),
        (3200, 100),
        (2800, 1300),
        (1200, 1750),
        (-900, 1700),
        (-2600, 1200),
        (-3200, 200),
    ),
    axis_y=-250.0,
    axis_slope=0.04,
    axis_width=140.0,  # Thăng Long avenue: about 140 m with its green strips and service roads
    axis_name="Đại lộ Thăng Long / Thăng Long avenue",
    gate_x=2300.0,  # towards Hanoi
    inner_depth={"north": 820.0, "south": 760.0},
    road_width=40.0,
    transport_ha=185.55,  # of the 220.55 ha of transport and technical infrastructure; plants 35 ha
    # Each band from west to east. Areas of Decision 899 are real; the others a plausible split.
    bands={
        "north-inner": [
            _A("CNC1", "CNC", "Khu công nghiệp công nghệ cao 1", "Hi-tech industry 1", 150.0),
            _A("HT1", "HT", "Nhà máy nước và trạm biến áp", "Water plant and substation", 12.0),
            _A("NC1", "NC", "Khu nghiên cứu và triển khai 1", "Research and development 1", 95.0),
            _A("NIC", "NC", "Trung tâm Đổi mới sáng tạo Quốc gia (NIC)", "National Innovation Center (NIC)", 35.0),
            _A("TT1", "TT", "Khu trung tâm", "Centre", 48.0),
            _A("PM1", "PM", "Khu công viên phần mềm", "Software park", 55.93),
            _A("CX1", "CX", "Công viên cây xanh cổng chính", "Green park at the main gate", None),
        ],
        "north-outer": [
            _A("CNC2", "CNC", "Khu công nghiệp công nghệ cao 2", "Hi-tech industry 2", 120.0),
            _A("CX2", "CX", "Cây xanh cách ly", "Green buffer", 40.0),
            _A("TDTT1", "TDTT", "Khu thể dục thể thao", "Sport", 25.0),
            _A("O1", "O", "Khu nhà ở chuyên gia", "Housing for experts and workers", 110.0),
            _A("MN1", "MN", "Hồ điều hòa", "Lake (retention)", 38.0),
            _A("CX3", "CX", "Cây xanh cảnh quan", "Landscape green", None),
        ],
        "south-inner": [
            _A("GD1", "GD", "Khu giáo dục và đào tạo", "Education and training", 123.53),
            _A("NC2", "NC", "Khu nghiên cứu và triển khai 2", "Research and development 2", 133.15, new=True),
            _A("DV1", "DV", "Khu dịch vụ tổng hợp", "Services", 72.0),
            _A("CX4", "CX", "Cây xanh công viên", "Park", None),
        ],
        "south-outer": [
            _A("CNC3", "CNC", "Khu công nghiệp công nghệ cao 3", "Hi-tech industry 3", 121.01, new=True),
            _A("HT2", "HT", "Trạm xử lý nước thải", "Wastewater treatment plant", 14.0),
            _A("HT3", "HT", "Trạm trung chuyển chất thải rắn, trạm biến áp", "Waste transfer, substation", 9.0),
            _A("CX5", "CX", "Cây xanh sinh thái", "Ecological green", None),
        ],
    },
    sector_areas={
        Sector.SOFTWARE: ["PM1", "NC1", "NC2"],
        Sector.SERVICES: ["PM1", "NC1", "NC2"],
        Sector.RESEARCH: ["NC1", "NC2"],
        Sector.BIOTECH: ["NC1", "NC2"],
        Sector.EDUCATION: ["GD1", "NC2"],
    },
    default_areas=("CNC1", "CNC2", "CNC3"),  # the industrial sectors
    fill=0.62,  # older areas fill up first, the newer ones take the rest
    decision=HHTP_DECISION,
    notes={
        Layer.BOUNDARY: (
            "Ranh giới gần đúng (đơn giản hóa), khoảng 1.586 ha hai bên Đại lộ Thăng Long; không phải số "
            "liệu đo đạc. Ngày ban hành Quyết định 899/QĐ-TTg theo báo chí, gần đúng. Approximate, simplified "
            "outline of about 1,586 ha on both sides of the Thăng Long avenue (real place and area, not a "
            "survey); Decision 899/QĐ-TTg dated as the press reports it."
        ),
        Layer.AREAS: (
            "Diện tích các khu chức năng theo QĐ 899/QĐ-TTg (2016) là số liệu thật: phần mềm 55,93 ha, "
            "nghiên cứu và triển khai 263,15 ha (gồm khu NIC 35 ha), giáo dục và đào tạo 123,53 ha, công "
            "nghiệp công nghệ cao 391,01 ha, giao thông và hạ tầng kỹ thuật 220,55 ha. Hình dạng, vị trí và "
            "cách chia phần còn lại (trung tâm, nhà ở, dịch vụ, thể thao, mặt nước, cây xanh) là giả định. "
            "Real areas of Decision 899 (software park, R&D incl. the 35 ha NIC site, education, hi-tech "
            "industry, transport and infrastructure); shapes, positions and the split of the rest "
            "[uncertain] are synthetic."
        ),
        Layer.PARCELS: (
            "Các lô đất là dữ liệu minh họa, khớp với sổ đăng ký dự án: lô của mỗi dự án có tổng diện tích "
            "bằng diện tích đất đã đăng ký (đã cho thuê, hoặc giữ chỗ nếu dự án mới đăng ký); phần còn lại "
            "còn trống hoặc đang giải phóng mặt bằng; tỷ lệ lấp đầy tính từ các lô bằng tỷ lệ trên bảng "
            "điều hành. Synthetic parcels consistent with the investment registry: each project's parcels "
            "add up to its registered land (leased, or reserved while only registered), the rest vacant or "
            "under site clearance; limits, networks and prices are synthetic."
        ),
    },
)

# --- the industrial zones: everything synthetic, sized from the registry ----------------------

INDUSTRIAL_CENTRES = {  # approximate places [uncertain]
    "KCNTL": (105.776, 21.124),  # Đông Anh
    "KCNNB": (105.823, 21.232),  # Sóc Sơn
    "KCNSDB": (105.918, 21.026),  # Long Biên
}
INDUSTRIAL_OUTLINE = ((-1.0, -0.5), (-0.45, -0.8), (0.5, -0.75), (1.0, -0.3), (0.95, 0.45), (0.4, 0.8), (-0.6, 0.7))
INDUSTRIAL_NOTE = (
    "Quy hoạch minh họa (giả định): ranh giới, vị trí gần đúng, khu chức năng và lô đất đều là dữ liệu giả "
    "định, theo diện tích [chưa chắc chắn] của khu trong sổ đăng ký. Synthetic plan: outline, approximate "
    "place, areas and parcels are all made up, sized from the zone's [uncertain] areas in the registry."
)


def industrial_plan(zone: Zone) -> ZonePlan:
    """A simple plan of an industrial zone: a main road across, factory land on both sides
    (the zone's land for projects, half each side), a plant and green space."""
    use = _industry_use()
    rng = random.Random(zone.code)
    stretch = rng.uniform(1.3, 1.7)
    outline = tuple(
        (x * stretch + rng.uniform(-0.05, 0.05), y + rng.uniform(-0.05, 0.05)) for x, y in INDUSTRIAL_OUTLINE
    )
    half = float(zone.leasable_area_ha) / 2
    plants = round(float(zone.area_ha) * 0.02, 2)
    return ZonePlan(
        code=zone.code,
        centre=INDUSTRIAL_CENTRES[zone.code],
        area_ha=float(zone.area_ha),
        outline=outline,
        axis_y=0.0,
        axis_slope=rng.uniform(-0.1, 0.1),
        axis_width=32.0,
        axis_name="Đường trục chính / Main road",
        gate_x=1e9,  # scaled into the outline below: the east end of the main road
        bands={
            "north": [
                _A("CN1", use, "Đất nhà máy, kho tàng 1", "Factories and warehouses 1", half),
                _A("HT1", "HT", "Trạm xử lý nước thải, trạm biến áp", "Wastewater plant, substation", plants),
                _A("CX1", "CX", "Cây xanh cách ly", "Green buffer", None),
            ],
            "south": [
                _A("CN2", use, "Đất nhà máy, kho tàng 2", "Factories and warehouses 2", half),
                _A("CX2", "CX", "Cây xanh", "Green space", None),
            ],
        },
        inner_depth={},
        road_width=20.0,
        default_areas=("CN1", "CN2"),
        balance=True,
        notes=dict.fromkeys(Layer.values, INDUSTRIAL_NOTE),
    )


def _industry_use() -> str:
    """The land use of factory land: "CN" (industry) where the board has added it, else the
    nearest of the seeded ones, hi-tech industry."""
    return "CN" if LandUse.objects.filter(code="CN", leasable=True).exists() else "CNC"


# --- parcels ----------------------------------------------------------------------------------

PARCEL_HA = 3.0  # typical vacant parcel
MAX_PROJECT_PARCEL_HA = 5.0  # a project's land larger than this is several parcels
SMALL_HA = 1.5  # projects smaller than this are grouped into blocks of small lots
SMALL_BLOCK_HA = 2.5
CLEARANCE_SHARE = 0.5  # of the vacant land of a newer sector, the part furthest from the gate
PROJECT_USES = {"PM", "NC", "GD", "CNC", "CN"}  # the areas whose parcels are land for projects
PUBLIC_PARCEL_HA = {"CX": 10.0, "TDTT": 13.0, "HT": 15.0, "MN": 40.0}
# land use: the choices of the plan for building density (%), height (m), floor-area ratio
LIMITS: dict[str, tuple[tuple, tuple, tuple]] = {
    "CNC": ((50, 55, 60), (20, 25, 30), (1.0, 1.2, 1.5, 2.0)),
    "CN": ((50, 60, 70), (15, 20, 25), (0.8, 1.0, 1.4)),
    "PM": ((40,), (45,), (2.4, 3.0)),
    "NC": ((40, 45), (25, 30, 35), (1.5, 2.0)),
    "GD": ((30, 35, 40), (20, 25, 30), (1.0, 1.2, 1.5)),
    "HT": ((40,), (15,), (0.6,)),
    "CX": ((5,), (8,), (0.05,)),
    "TDTT": ((20,), (20,), (0.4,)),
    "MN": ((), (), ()),
}

# --- geometry kernel (local metres, convex polygons) -----------------------------------------

BIG = 50_000.0


def _unit(x: float, y: float) -> Vec:
    n = math.hypot(x, y)
    return (x / n, y / n)


def _half(a: Vec, t: float) -> Polygon:
    """The half-plane {p : p·a <= t}, as a polygon far larger than any zone."""
    ax, ay = a
    px, py = -ay, ax
    cx, cy = ax * t, ay * t
    return Polygon(
        [
            (cx + px * BIG, cy + py * BIG),
            (cx - px * BIG, cy - py * BIG),
            (cx - px * BIG - ax * BIG, cy - py * BIG - ay * BIG),
            (cx + px * BIG - ax * BIG, cy + py * BIG - ay * BIG),
        ]
    )


def _chord(poly: Polygon, a: Vec, t: float) -> float:
    ax, ay = a
    px, py = -ay, ax
    line = LineString([(ax * t + px * BIG, ay * t + py * BIG), (ax * t - px * BIG, ay * t - py * BIG)])
    return poly.intersection(line).length


def _span(poly: Polygon, a: Vec) -> tuple[float, float]:
    proj = np.asarray(poly.exterior.coords) @ np.asarray(a)
    return float(proj.min()), float(proj.max())


def _polygon(g: BaseGeometry) -> Polygon:
    if g.geom_type == "Polygon":
        return g
    parts = [p for p in getattr(g, "geoms", []) if p.geom_type == "Polygon" and p.area > 1e-6]
    if len(parts) != 1:
        raise ValueError(f"a cut gave a {g.geom_type} of {len(parts)} polygons")
    return parts[0]


def _split(poly: Polygon, a: Vec, t: float) -> tuple[Polygon, Polygon]:
    """The parts of `poly` below and above the line p·a = t (the same line for both)."""
    h = _half(a, t)
    return _polygon(poly.intersection(h)), _polygon(poly.difference(h))


def _cut(poly: Polygon, a: Vec, area: float, *, low: bool = True) -> tuple[Polygon, Polygon]:
    """A line across `a` cuts from `poly` a piece of `area` on its low (or high) side: (piece, rest).

    Newton on the line's offset (the derivative of the area is the chord's length), kept inside
    a bracket, to a thousandth of a square metre."""
    total = poly.area
    if not 0 < area < total:
        raise ValueError(f"cannot cut {area:.1f} m² from {total:.1f} m²")
    target = area if low else total - area
    lo, hi = _span(poly, a)
    t = lo + (hi - lo) * target / total
    for _i in range(100):
        err = poly.intersection(_half(a, t)).area - target
        if abs(err) < 1e-3:
            break
        if err < 0:
            lo = t
        else:
            hi = t
        chord = _chord(poly, a, t)
        step = t - err / chord if chord > 0 else (lo + hi) / 2
        t = step if lo < step < hi else (lo + hi) / 2
    below, above = _split(poly, a, t)
    return (below, above) if low else (above, below)


def _strip(poly: Polygon, a: Vec, width: float, *, low: bool = True) -> tuple[Polygon, Polygon]:
    """A strip of `width` off the low (or high) end of `poly` along `a`: (strip, rest)."""
    lo, hi = _span(poly, a)
    below, above = _split(poly, a, lo + width if low else hi - width)
    return (below, above) if low else (above, below)


def _long_axis(poly: Polygon) -> Vec:
    """The direction of the longer side of the polygon's minimum rotated rectangle."""
    c = np.asarray(poly.minimum_rotated_rectangle.exterior.coords)
    e0, e1 = c[1] - c[0], c[2] - c[1]
    e = e0 if np.hypot(*e0) >= np.hypot(*e1) else e1
    return _unit(float(e[0]), float(e[1]))


def _node(geoms: list[BaseGeometry], tolerance: float = 1e-6) -> list[BaseGeometry]:
    """A corner of one piece lying on a side of another becomes a vertex of that side too."""
    corners = shapely.points(np.unique(np.vstack([shapely.get_coordinates(g) for g in geoms]), axis=0))
    tree = STRtree(corners)
    out = []
    for g in geoms:
        near = corners[tree.query(g.boundary, predicate="dwithin", distance=tolerance)]
        noded = shapely.snap(g, shapely.multipoints(near), tolerance)
        if not noded.is_valid or abs(noded.area - g.area) > 1e-3:
            raise ValueError("noding changed a piece")
        out.append(noded)
    return out


@functools.cache
def _transformers() -> tuple[Transformer, Transformer]:
    grid = f"EPSG:{SOURCE_CRS}"
    return (
        Transformer.from_crs("EPSG:4326", grid, always_xy=True),
        Transformer.from_crs(grid, "EPSG:4326", always_xy=True),
    )


class _Frame:
    """Local metres of a zone <-> VN-2000 / TM-3 metres, and the true area of a local m²."""

    def __init__(self, centre: Vec) -> None:
        to_grid, to_wgs84 = _transformers()
        self.x0, self.y0 = to_grid.transform(*centre)
        corners = [(-500, -500), (500, -500), (500, 500), (-500, 500)]
        square = Polygon([to_wgs84.transform(self.x0 + x, self.y0 + y) for x, y in corners])
        self.scale = float(geometry.area_m2(square)) / 1e6

    def wgs84(self, geoms: list[BaseGeometry]) -> list[BaseGeometry]:
        """All at once, noded first, so that rounding to 1e-7° moves the corners neighbours share alike."""
        moved = GeometryCollection([affinity.translate(g, self.x0, self.y0) for g in _node(geoms)])
        return list(geometry.to_wgs84(moved, SOURCE_CRS).geoms)


# --- the plan as geometry ---------------------------------------------------------------------


@dataclass
class Area:
    spec: AreaSpec
    geom: Polygon  # local metres


@dataclass
class Layout:
    plan: ZonePlan
    boundary: Polygon
    areas: list[Area]
    axis: Polygon
    roads: BaseGeometry
    scale: float  # true (geodesic) m² per local m²
    gate: Vec


def _layout(plan: ZonePlan, scale: float, road_width: float) -> Layout:
    u = _unit(1.0, plan.axis_slope)  # along the axis, eastwards
    n = (-u[1], u[0])  # across it, northwards
    outline = Polygon(plan.outline).convex_hull
    f = math.sqrt(plan.area_ha * HA / scale / outline.area)
    boundary = affinity.scale(outline, f, f, origin=(0, 0))
    c = n[1] * plan.axis_y  # the axis: p·n = c
    south, rest = _split(boundary, n, c - plan.axis_width / 2)
    axis, north = _split(rest, n, c + plan.axis_width / 2)
    roads: list[Polygon] = []
    bands: dict[str, Polygon] = {}
    for side, poly, low in (("north", north, True), ("south", south, False)):
        if side not in plan.inner_depth:
            bands[side] = poly
            continue
        inner, outer = _strip(poly, n, plan.inner_depth[side], low=low)
        collector, outer = _strip(outer, n, road_width, low=low)
        roads.append(collector)
        bands[f"{side}-inner"], bands[f"{side}-outer"] = inner, outer
    areas = []
    for band, specs in plan.bands.items():
        rest = bands[band]
        for spec in specs[:-1]:
            piece, rest = _cut(rest, u, spec.ha * HA / scale)
            road, rest = _strip(rest, u, road_width)
            roads.append(road)
            areas.append(Area(spec, piece))
        areas.append(Area(specs[-1], rest))
    # one network: the road strips that touch merge (noded first, so that they share corners)
    network = shapely.union_all(_node(roads))
    if not network.is_valid or abs(network.area - sum(r.area for r in roads)) > 1.0:
        raise ValueError(f"{plan.code}: the roads do not add up")
    east = _span(boundary, u)[1]
    gate_x = min(plan.gate_x, 0.8 * east)
    gate = (gate_x, plan.axis_y + gate_x * plan.axis_slope)
    return Layout(plan, boundary, areas, axis, network, scale, gate)


def plan_layout(plan: ZonePlan, frame: _Frame) -> Layout:
    """The layout; with `transport_ha`, the road width that makes the axis and the internal
    roads that area (secant method: their area grows linearly with the width)."""

    def error(w: float) -> tuple[float, Layout]:
        lay = _layout(plan, frame.scale, w)
        return (lay.axis.area + lay.roads.area) * lay.scale / HA - (plan.transport_ha or 0), lay

    w1 = plan.road_width
    e1, lay = error(w1)
    if plan.transport_ha is not None:
        w0, (e0, _lay) = 0.75 * w1, error(0.75 * w1)
        for _i in range(8):
            if abs(e1) < 1e-4 or e1 == e0:
                break
            w0, w1, e0 = w1, w1 - e1 * (w1 - w0) / (e1 - e0), e1
            e1, lay = error(w1)
    for a in lay.areas:
        if a.geom.area * lay.scale < HA:
            raise ValueError(f"{plan.code} {a.spec.code} is too small: {a.geom.area * lay.scale / HA:.2f} ha")
    return lay


@dataclass
class Item:
    """A piece of land to place: a project's lot, a vacant lot, a public one, or a block of small lots."""

    m2: float  # true m²
    kind: str  # "project", "vacant", "clearance", "public", "block"
    project: Any = None
    children: list[Item] = field(default_factory=list)
    order: tuple = ()


@dataclass
class Lot:
    area: Area
    geom: Polygon  # local metres
    item: Item


def _treemap(poly: Polygon, items: list[Item], scale: float, anchor: Vec, out: list) -> None:
    """Cut `poly` into one piece per item, each of its item's area (the last takes what is left).

    The list is split in two where the sums are closest to halves; the polygon is cut across its
    long axis, the first half on the side nearer the anchor (older projects nearer the gate)."""
    if len(items) == 1:
        out.append((poly, items[0]))
        return
    total = sum(i.m2 for i in items)
    run, best, k = 0.0, math.inf, 1
    for j, it in enumerate(items[:-1], 1):
        run += it.m2
        if abs(run - total / 2) < best:
            best, k = abs(run - total / 2), j
    a = _long_axis(poly)
    lo, hi = _span(poly, a)
    low = anchor[0] * a[0] + anchor[1] * a[1] <= (lo + hi) / 2
    piece, rest = _cut(poly, a, sum(i.m2 for i in items[:k]) / scale, low=low)
    _treemap(piece, items[:k], scale, anchor, out)
    _treemap(rest, items[k:], scale, anchor, out)


def _sizes(total: float, unit: float, rng: random.Random, jitter: float = 0.3) -> list[float]:
    n = max(1, round(total / unit))
    weights = [1 + rng.uniform(-jitter, jitter) for _i in range(n)]
    return [total * w / sum(weights) for w in weights]


def _when(p: Any) -> tuple:
    return (p.certificate_date, p.code)


def _assign(plan: ZonePlan, projects: list[Any], areas: dict[str, Area], scale: float) -> dict[str, list[Any]]:
    """The area of each project's land: by sector, oldest first, each area up to `fill` (or the
    emptiest, to spread them)."""
    free = {code: a.geom.area * scale * plan.fill for code, a in areas.items()}
    placed: dict[str, list[Any]] = {code: [] for code in areas}
    for p in projects:
        land = float(p.land_area_m2)
        prefs = [c for c in plan.sector_areas.get(p.sector, plan.default_areas) if c in free]
        if plan.balance:
            prefs = sorted(prefs, key=lambda c: -free[c])
        code = next((c for c in prefs if free[c] >= land), None)
        if code is None:  # every preferred area is full: the emptiest area for projects
            code = max(free, key=lambda c: (free[c], c))
        free[code] -= land
        placed[code].append(p)
    return placed


def _items(area: Area, projects: list[Any], scale: float, rng: random.Random) -> list[Item]:
    """The lots of one area for projects, from the gate outwards: projects oldest first (small
    ones grouped into blocks, large ones in several parcels), then vacant land, then the land
    still being cleared."""
    items: list[Item] = []
    small = sorted((p for p in projects if float(p.land_area_m2) < SMALL_HA * HA), key=lambda p: p.land_area_m2)
    blocks: list[list[Any]] = [[]]
    for p in small:
        if sum(float(q.land_area_m2) for q in blocks[-1]) >= SMALL_BLOCK_HA * HA:
            blocks.append([])
        blocks[-1].append(p)
    if len(blocks) > 1 and sum(float(q.land_area_m2) for q in blocks[-1]) < SMALL_HA * HA:
        blocks[-2].extend(blocks.pop())
    for block in filter(None, blocks):
        children = [Item(float(p.land_area_m2), "project", p) for p in sorted(block, key=lambda p: -p.land_area_m2)]
        items.append(Item(sum(c.m2 for c in children), "block", children=children, order=min(map(_when, block))))
    for p in projects:
        land = float(p.land_area_m2)
        if land >= SMALL_HA * HA:
            parts = math.ceil(land / (MAX_PROJECT_PARCEL_HA * HA))
            items.extend(Item(land / parts, "project", p, order=_when(p)) for _i in range(parts))
    items.sort(key=lambda i: i.order)
    vacant = area.geom.area * scale - sum(i.m2 for i in items)
    if vacant < -1:
        raise ValueError(f"{area.spec.code}: the projects need {-vacant:.0f} m² more than the area has")
    if vacant > 1 or not items:
        lots = _sizes(vacant, PARCEL_HA * HA, rng)
        cleared = len(lots) - round(len(lots) * CLEARANCE_SHARE) if area.spec.new else len(lots)
        items.extend(Item(m2, "vacant" if i < cleared else "clearance") for i, m2 in enumerate(lots))
    return items


def plan_parcels(layout: Layout, projects: list[Any], rng: random.Random) -> list[Lot]:
    """Every parcel: the areas for projects tiled by projects' lots and vacant lots, the NIC site,
    and the public parcels of green, sport, water and technical infrastructure areas."""
    by_code = {a.spec.code: a for a in layout.areas}
    for_projects = {c: a for c, a in by_code.items() if a.spec.use in PROJECT_USES and c != "NIC"}
    placed = _assign(layout.plan, projects, for_projects, layout.scale)
    lots: list[Lot] = []
    for code, area in by_code.items():
        m2 = area.geom.area * layout.scale
        if code == "NIC":
            items = [Item(m2, "public")]
        elif code in for_projects:
            items = _items(area, placed[code], layout.scale, rng)
        elif area.spec.use in PUBLIC_PARCEL_HA:
            items = [Item(part, "public") for part in _sizes(m2, PUBLIC_PARCEL_HA[area.spec.use] * HA, rng, 0.2)]
        else:
            continue  # centre, housing, services: no parcels (not land for projects in the registry)
        pieces: list[tuple[Polygon, Item]] = []
        _treemap(area.geom, items, layout.scale, layout.gate, pieces)
        for poly, item in pieces:
            if item.kind == "block":
                inner: list[tuple[Polygon, Item]] = []
                _treemap(poly, item.children, layout.scale, layout.gate, inner)
                lots.extend(Lot(area, g, i) for g, i in inner)
            else:
                lots.append(Lot(area, poly, item))
    return lots


def _properties(lot: Lot, rng: random.Random) -> dict[str, Any]:
    spec, item = lot.area.spec, lot.item
    density, height, far = LIMITS.get(spec.use, LIMITS["CNC"])
    p: dict[str, Any] = {"land_use": spec.use}
    if density:
        p |= {"max_density_pct": rng.choice(density), "max_height_m": rng.choice(height), "max_far": rng.choice(far)}
    if item.kind == "project":
        registered = item.project.status == ProjectStatus.REGISTERED
        occupancy = Occupancy.RESERVED if registered else Occupancy.LEASED
        ready = rng.random() < (0.7 if registered else 0.95)
        net = {"power": True, "water": True, "drainage": ready, "telecom": ready or rng.random() < 0.5}
        p |= {"project": item.project.code, "lease_price_vnd_m2": rng.randrange(45_000, 75_001, 1_000)}
        p["private_note"] = "Giá thuê minh họa / synthetic lease price."
    elif item.kind == "clearance":
        occupancy = Occupancy.CLEARANCE
        net = {"power": rng.random() < 0.3, "water": False, "drainage": False, "telecom": False}
        p["private_note"] = "Chưa xong giải phóng mặt bằng (xã Hòa Lạc) / site clearance not finished."
    elif item.kind == "vacant":
        occupancy = Occupancy.VACANT
        if spec.new:  # the networks of a newer sector are still being built
            net = {"power": True, "water": rng.random() < 0.7, "drainage": rng.random() < 0.35}
            net["telecom"] = rng.random() < 0.4
        else:
            ready = rng.random() < 0.85
            net = {"power": True, "water": True, "drainage": ready, "telecom": ready or rng.random() < 0.5}
        p["lease_price_vnd_m2"] = rng.randrange(50_000, 80_001, 1_000)
        p["private_note"] = "Giá chào thuê minh họa / synthetic asking price."
    else:
        occupancy = Occupancy.PUBLIC
        wet = spec.use == "MN"
        net = {"power": not wet, "water": not wet, "drainage": not wet, "telecom": spec.use in {"HT", "NC"}}
        if spec.code == "NIC":
            p |= {"max_density_pct": 40, "max_height_m": 35, "max_far": 1.5}
            p["private_note"] = "Trung tâm Đổi mới sáng tạo Quốc gia, khánh thành 28/10/2023; không thuộc sổ dự án."
    return p | net | {"occupancy": occupancy}


def _parcel_names(lots: list[Lot]) -> list[tuple[str, Lot]]:
    """Parcels numbered within their area from west to east (the NIC site is one parcel)."""
    by_area: dict[str, list[Lot]] = {}
    for lot in lots:
        by_area.setdefault(lot.area.spec.code, []).append(lot)
    named = []
    for code, group in by_area.items():
        group.sort(key=lambda lot: (lot.geom.centroid.x, lot.geom.centroid.y))
        named += [(code if code == "NIC" else f"{code}-{i:02d}", lot) for i, lot in enumerate(group, 1)]
    return named


def plan_features(zone: Zone, plan: ZonePlan, today: dt.date) -> dict[str, list[Feature]]:
    """The features of the three layers of a zone's plan, the same for the same registry."""
    rng = random.Random(f"{SEED}-{zone.code}")
    frame = _Frame(plan.centre)
    layout = plan_layout(plan, frame)
    projects = list(
        investment_selectors.projects_in_force(zone=zone, as_of=today)
        .filter(land_area_m2__gt=0)
        .order_by("certificate_date", "code")
    )
    named = _parcel_names(plan_parcels(layout, projects, rng))
    areas = [(a.spec.code, a.spec.use, f"{a.spec.name_vi} / {a.spec.name_en}", a.geom) for a in layout.areas]
    areas += [("GT1", "GT", plan.axis_name, layout.axis), ("GT2", "GT", "Đường nội khu / Internal roads", layout.roads)]
    shapes = frame.wgs84([layout.boundary] + [a[3] for a in areas] + [lot.geom for _code, lot in named])
    outline, shapes = shapes[0], shapes[1:]
    return {
        Layer.BOUNDARY: [Feature(geometry=outline)],
        Layer.AREAS: [
            Feature(geometry=g, code=code, properties={"land_use": use, "name": name})
            for g, (code, use, name, _geom) in zip(shapes[: len(areas)], areas, strict=True)
        ],
        Layer.PARCELS: [
            Feature(geometry=g, code=code, properties=_properties(lot, rng))
            for g, (code, lot) in zip(shapes[len(areas) :], named, strict=True)
        ],
    }


# --- writing ----------------------------------------------------------------------------------


def _say(stdout: TextIO | None, message: str) -> None:
    if stdout is not None:
        stdout.write(message + "\n")


def _board() -> User:
    """The board officer who signs the demo's revisions (a demo account when there is one)."""
    user = User.objects.filter(role=Role.BOARD, is_active=True).order_by("pk").first()
    if user is None:
        user = User(username="demo-board", role=Role.BOARD)  # history only: never logs in
        user.set_unusable_password()
        user.save()
    return user


def plans() -> list[tuple[Zone, ZonePlan]]:
    """The zones of the investment demo with their plans: Hoa Lac, then the industrial zones."""
    out = []
    for zone in Zone.objects.filter(code__in=[HHTP, *INDUSTRIAL_CENTRES]).order_by("code"):
        if zone.code == HHTP:
            out.insert(0, (zone, HHTP_PLAN))
        elif zone.area_ha and zone.leasable_area_ha:
            out.append((zone, industrial_plan(zone)))
    return out


def build(*, stdout: TextIO | None = None, today: dt.date | None = None) -> dict[str, int]:
    """Write the demo plans once; nothing when the HHTP parcels exist or there is no HHTP zone.
    Answers the number of parcels written per zone."""
    hhtp = Zone.objects.filter(code=HHTP).first()
    if hhtp is None:
        return {}
    if PlanRevision.objects.filter(zone=hhtp, layer=Layer.PARCELS).exists():
        _say(stdout, _("The demo plan is already there: nothing to build."))
        return {}
    today = today or timezone.localdate()
    written = {}
    with transaction.atomic():
        board = _board()
        for zone, plan in plans():
            if PlanRevision.objects.filter(zone=zone, layer=Layer.PARCELS).exists():
                continue
            features = plan_features(zone, plan, today)
            decision = None
            if plan.decision is not None:
                decision = PlanningDecision.objects.filter(zone=zone, number=plan.decision["number"]).first()
                decision = decision or services.decision_create(zone=zone, by=board, **plan.decision)
            for layer in (Layer.BOUNDARY, Layer.AREAS, Layer.PARCELS):
                services.revision_create(
                    zone=zone,
                    layer=layer,
                    features=features[layer],
                    effective_date=decision.date if decision and layer != Layer.PARCELS else today,
                    by=board,
                    decision=decision,
                    note=plan.notes.get(layer, ""),
                    source_name=f"zonedesk demo: {zone.code} {layer}",
                    source_format="demo",
                    source_crs=f"EPSG:{SOURCE_CRS}",
                )
            written[zone.code] = len(features[Layer.PARCELS])
            rate = selectors.land_rate_from_parcels(zone, on=today)
            _say(
                stdout,
                _(
                    "  plan of %(zone)s: %(areas)s functional areas, %(parcels)s parcels, %(rate)s of its land registered"
                )
                % {
                    "zone": zone.code,
                    "areas": len(features[Layer.AREAS]),
                    "parcels": written[zone.code],
                    "rate": "-" if rate is None else f"{pct(rate)}%",
                },
            )
    return written
