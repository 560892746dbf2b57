"""The plan of every generated zone: a planning decision, its boundary, functional areas and
parcels, in revisions of which one per layer is in force, as `planning.services.revision_create`
would have written them.

The layout is an industrial estate: blocks of two rows of lots back to back, streets between
the blocks, the whole turned by a random angle around the zone's centre. Lots vary in width and
depth and the corner lot of a block has its corner cut, so the polygons are real quadrilaterals
and pentagons once projected, not copies of one square. Coordinates are rounded to the
precision `planning.geometry` keeps (7 decimals, about 1 cm) before anything is computed, and
the columns are those `geometry.geo_fields` gives: the GeoJSON, the bounding box and the
geodesic area on the WGS 84 ellipsoid, exactly what the service stores (`_Frame.columns`).

Projects take lots in the order they were certified (older ones nearer the gate): leased
once their land is handed over, reserved while they are only registered; the rest is vacant or
under site clearance. A project's registered land is the area of its lots and a zone's land for
projects is the area of its lots of leasable uses, so the land rate of the dashboard
(`investment.selectors.zone_figures`) and of the plan (`planning.selectors.land_rate_from_parcels`)
agree. About one zone in ten keeps an older parcels revision (history), one in thirty has one
not yet in force.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import shapely
from django.utils.translation import gettext_lazy as _

from zonedesk.core.bulk import Table, table_of
from zonedesk.investment.models import ProjectStatus
from zonedesk.planning import geometry
from zonedesk.planning.models import (
    FunctionalArea,
    Layer,
    Occupancy,
    Parcel,
    PlanningDecision,
    PlanRevision,
    ZoneBoundary,
)
from zonedesk_demo.planning import LIMITS
from zonedesk_demo.scale.plans import SYNTHETIC, Step, ZonePlan, aware

if TYPE_CHECKING:
    from zonedesk_demo.scale.plans import ProjectPlan, World

DECISIONS = table_of(PlanningDecision, exclude=("version",))  # first version (db_default)
REVISIONS = table_of(PlanRevision)
BOUNDARIES = table_of(ZoneBoundary)
AREAS = table_of(FunctionalArea)
PARCELS = table_of(Parcel)

M_PER_DEG_LAT = 110_574.0
AREA = 5  # of the `Geo` columns: geometry, minx, miny, maxx, maxy, area_m2
HITECH_USES = ["PM", "NC", "CNC", "CNC", "GD"]
NOTE = "Quy hoạch tổng hợp (minh họa) cho đo hiệu năng / synthetic plan for benchmarks."


class _Lot:
    __slots__ = ("block", "code", "use", "ring", "geo", "project", "occupancy")

    def __init__(self, block: int, code: str, use: str, ring: list[tuple[float, float]]) -> None:
        self.block, self.code, self.use, self.ring = block, code, use, ring
        self.geo: tuple = ()  # the columns of `models.Geo`
        self.project: ProjectPlan | None = None
        self.occupancy = Occupancy.VACANT


class _Frame:
    """Local metres around a zone's centre, turned by an angle, to WGS 84 degrees."""

    def __init__(self, lon: float, lat: float, angle: float) -> None:
        self.lon, self.lat = lon, lat
        self.cos, self.sin = math.cos(angle), math.sin(angle)
        self.m_per_deg_lon = 111_320.0 * math.cos(math.radians(lat))

    def columns(self, rings: list[list[tuple[float, float]]]) -> list[tuple]:
        """The columns of `models.Geo` for these polygons (local metres, counter-clockwise):
        GeoJSON, bounding box and geodesic area, as `geometry.geo_fields` gives them, computed
        for all the polygons at once with Shapely's array functions: `geometry.dumps` snaps to
        the grid with `set_precision` and writes `json.dumps(mapping(...))`, `geometry.area_m2`
        measures the counter-clockwise exterior with `GEOD`; so does this, two hundred times
        faster than one polygon at a time (tests compare both on every generated parcel)."""
        closed = [[*ring, ring[0]] for ring in rings]
        xy = np.array([point for ring in closed for point in ring], dtype=float)
        x = xy[:, 0] * self.cos - xy[:, 1] * self.sin
        y = xy[:, 0] * self.sin + xy[:, 1] * self.cos
        lonlat = np.column_stack([self.lon + x / self.m_per_deg_lon, self.lat + y / M_PER_DEG_LAT])
        index = np.repeat(np.arange(len(closed)), [len(ring) for ring in closed])
        polygons = shapely.polygons(shapely.linearrings(lonlat, indices=index))
        precise = shapely.set_precision(polygons, 10**-geometry.PRECISION)
        bounds = shapely.bounds(precise).tolist()
        coords, owner = shapely.get_coordinates(precise, return_index=True)
        oriented, oriented_owner = shapely.get_coordinates(shapely.orient_polygons(precise), return_index=True)
        cuts = np.searchsorted(owner, np.arange(len(closed) + 1)).tolist()
        oriented_cuts = np.searchsorted(oriented_owner, np.arange(len(closed) + 1)).tolist()
        out = []
        for i, (minx, miny, maxx, maxy) in enumerate(bounds):
            points = coords[cuts[i] : cuts[i + 1]].tolist()
            text = '{"type":"Polygon","coordinates":[[' + ",".join(f"[{a!r},{b!r}]" for a, b in points) + "]]}"
            ring = oriented[oriented_cuts[i] : oriented_cuts[i + 1]]
            area, _perimeter = geometry.GEOD.polygon_area_perimeter(ring[:, 0], ring[:, 1])
            out.append((text, minx, miny, maxx, maxy, Decimal(str(round(area, 1)))))
        return out


def _rectangle(x0: float, y0: float, x1: float, y1: float) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]  # counter-clockwise, as GeoJSON prefers


def _layout(gen: World, z: ZonePlan) -> tuple[list[_Lot], list[tuple[str, str, list]], list]:
    """The lots, the blocks (code, land use, outline) and the boundary of a zone, in local metres."""
    rng = gen.rng("land", z.code)
    industry = "CN" if gen.ctx.land_uses.get("CN", (0, False))[1] else "CNC"
    per_row = rng.randint(4, 9)
    blocks = math.ceil(z.parcels / (2 * per_row))
    columns = max(1, round(math.sqrt(blocks * 1.6)))
    width = (30, 90) if z.hitech else (40, 110)
    lots: list[_Lot] = []
    outlines: list[tuple[str, str, list]] = []
    left = z.parcels
    x = y = 0.0
    row_height = 0.0
    extent_x = 0.0
    for b in range(1, blocks + 1):
        use = rng.choice(HITECH_USES) if z.hitech else industry
        code = f"{use}{b:02d}"
        depth = rng.uniform(60, 140)
        block_width = 0.0
        n_block = 0
        for row in (0, 1):  # two rows back to back: the lower faces south, the upper north
            x0 = x
            for i in range(per_row):
                if left <= 0:
                    break
                w = rng.uniform(*width)
                y0, y1 = (y, y + depth) if row == 0 else (y + depth, y + 2 * depth)
                ring = _rectangle(x0, y0, x0 + w, y1)
                if i == 0:  # the corner lot on the street: its outer corner cut
                    cut = rng.uniform(8, 18)
                    corner = (x0, y0) if row == 0 else (x0, y1)
                    j = ring.index(corner)
                    # counter-clockwise still: down the west side, across the cut, along the street
                    ring[j : j + 1] = [(x0, y0 + cut), (x0 + cut, y0)] if row == 0 else [(x0 + cut, y1), (x0, y1 - cut)]
                lot_use = use
                if rng.random() < 0.1:  # green buffer or technical infrastructure inside the block
                    lot_use = "CX" if rng.random() < 0.7 else "HT"
                n_block += 1
                lots.append(_Lot(b, f"{code}-{n_block:02d}", lot_use, ring))
                x0 += w
                left -= 1
            block_width = max(block_width, x0 - x)
        outlines.append((code, use, _rectangle(x, y, x + block_width, y + 2 * depth)))
        row_height = max(row_height, 2 * depth)
        x += block_width + 24  # a street between blocks
        extent_x = max(extent_x, x)
        if b % columns == 0:
            x, y, row_height = 0.0, y + row_height + 30, 0.0  # the next row of blocks, past an avenue
    extent_y = y + row_height
    # centre everything on the zone's centre
    dx, dy = extent_x / 2, extent_y / 2
    for lot in lots:
        lot.ring = [(a - dx, b - dy) for a, b in lot.ring]
    outlines = [(c, u, [(a - dx, b - dy) for a, b in ring]) for c, u, ring in outlines]
    margin = 60
    boundary = _rectangle(-dx - margin, -dy - margin, extent_x - dx + margin, extent_y - dy + margin)
    return lots, outlines, boundary


def _claims(gen: World, z: ZonePlan, lots: list[_Lot], day: dt.date, wants: dict[int, int]) -> None:
    """Lots taken on a day by the projects in force then, in the order they were certified."""
    for lot in lots:
        lot.project, lot.occupancy = None, Occupancy.VACANT
        if not gen.ctx.land_uses[lot.use][1]:
            lot.occupancy = Occupancy.PUBLIC
    leasable = [lot for lot in lots if lot.occupancy == Occupancy.VACANT]
    cursor = 0
    for p in z.project_list:
        status = p.status_on(day)
        if status is None or status == ProjectStatus.TERMINATED or not wants[p.id]:
            continue
        occupancy = Occupancy.RESERVED if status == ProjectStatus.REGISTERED else Occupancy.LEASED
        for lot in leasable[cursor : cursor + wants[p.id]]:
            lot.project, lot.occupancy = p, occupancy
        cursor += wants[p.id]
    clearance = int(len(leasable) * (0.12 if z.hitech else 0.05))
    for lot in leasable[len(leasable) - clearance :]:  # the far end of the zone: not cleared yet
        if lot.project is None:
            lot.occupancy = Occupancy.CLEARANCE


def plan_step(gen: World) -> Step:
    extra = sum(z.parcels for z in gen.zones if z.history) + sum(z.parcels for z in gen.zones if z.future)

    def batches() -> Iterator[tuple[Table, list[tuple], int]]:
        rows: dict[Table, list[tuple]] = {t: [] for t in (DECISIONS, REVISIONS, BOUNDARIES, AREAS, PARCELS)}
        ids = {t: 0 for t in rows}
        done = 0
        for z in gen.zones:
            done += _zone_plan(gen, z, rows, ids)
            if len(rows[PARCELS]) >= gen.BATCH:
                for table, chunk in rows.items():
                    yield table, chunk, done if table is PARCELS else 0
                    rows[table] = []
                done = 0
        for table, chunk in rows.items():
            yield table, chunk, done if table is PARCELS else 0

    return Step("plan", _("plans of the zones"), _("parcels"), gen.scale.parcels + extra, batches())


def _zone_plan(gen: World, z: ZonePlan, rows: dict[Table, list[tuple]], ids: dict[Table, int]) -> int:
    """The decision, revisions and features of one zone, added to `rows`; sets the zone's areas
    and its projects' land. Answers the number of parcels written."""
    clock = gen.ctx.clock
    rng = gen.rng("plan", z.code)
    lots, outlines, boundary = _layout(gen, z)
    frame = _Frame(z.lon, z.lat, rng.uniform(-0.5, 0.5))
    for lot, columns in zip(lots, frame.columns([lot.ring for lot in lots]), strict=True):
        lot.geo = columns
    z.land_uses = sorted({lot.code.split("-")[0].rstrip("0123456789") for lot in lots})
    officer = gen.board[z.province.code][0]

    decided = min(z.established + dt.timedelta(days=rng.randint(60, 900)), gen.today - dt.timedelta(days=60))
    ids[DECISIONS] += 1
    decision = ids[DECISIONS]
    authority = "Thủ tướng Chính phủ" if z.hitech else f"Ủy ban nhân dân {z.province.name}"
    number = f"{rng.randint(100, 2999)}/QĐ-{'TTg' if z.hitech else 'UBND'}"
    title = f"Phê duyệt quy hoạch chi tiết {z.name_vi}{SYNTHETIC}"
    authority_en = "The Prime Minister" if z.hitech else ""  # a province's committee: in Vietnamese only
    rows[DECISIONS].append(
        (decision, z.id, number, decided, authority, authority_en, title, "", "", "", aware(clock.at(decided, 9)))
    )

    # the parcels revisions: (effective day, day of the occupancy, not yet in force)
    last_certificate = max((p.certificate for p in z.project_list), default=decided)
    in_force = max(last_certificate, gen.today - dt.timedelta(days=rng.randint(1, 30)), decided)
    revisions = []
    if z.history:
        older = max(decided, in_force - dt.timedelta(days=rng.randint(400, 1500)))
        if older < in_force:
            revisions.append((older, older, False))
    revisions.append((in_force, gen.today, False))
    if z.future:
        revisions.append((gen.today + dt.timedelta(days=rng.randint(30, 180)), gen.today, True))

    def revision(layer: str, number: int, effective: dt.date, count: int) -> int:
        ids[REVISIONS] += 1
        created = min(effective, gen.today - dt.timedelta(days=1))
        source = f"zonedesk generate: {z.code} {layer}"
        rows[REVISIONS].append(
            (ids[REVISIONS], z.id, layer, number, effective, decision, NOTE, source, "scale", "EPSG:4326", "[]")
            + (count, officer, aware(clock.at(created, 10)))
        )
        return ids[REVISIONS]

    outline, *blocks = frame.columns([boundary] + [ring for _code, _use, ring in outlines])
    rev = revision(Layer.BOUNDARY, 1, decided, 1)
    ids[BOUNDARIES] += 1
    rows[BOUNDARIES].append((ids[BOUNDARIES], *outline, rev, z.id))
    z.area_ha = (outline[AREA] / 10_000).quantize(Decimal("0.01"))
    rev = revision(Layer.AREAS, 1, decided, len(outlines))
    for (code, use, _ring), geo in zip(outlines, blocks, strict=True):
        ids[AREAS] += 1
        rows[AREAS].append((ids[AREAS], *geo, rev, z.id, code, f"Khu đất {code}", gen.ctx.land_uses[use][0]))

    # which project takes how many lots: decided once, whatever the day of the revision
    wants = {p.id: _lots_wanted(rng) for p in z.project_list}
    prices = {lot.code: rng.randrange(40_000, 120_001, 1_000) for lot in lots}
    heights = {lot.code: rng.random() for lot in lots}
    written = 0
    for number, (effective, claims_day, future) in enumerate(revisions, 1):
        _claims(gen, z, lots, claims_day, wants)
        rev = revision(Layer.PARCELS, number, effective, len(lots))
        current = effective == in_force
        for lot in lots:
            ids[PARCELS] += 1
            rows[PARCELS].append((ids[PARCELS], *lot.geo, rev, z.id, *_parcel(gen, lot, prices, heights, future)))
            if current and lot.project is not None:
                lot.project.parcels.append(lot.code)
                lot.project.land += lot.geo[AREA]
        if current:
            leasable = sum((lot.geo[AREA] for lot in lots if gen.ctx.land_uses[lot.use][1]), start=Decimal(0))
            z.leasable_ha = (leasable / 10_000).quantize(Decimal("0.01"))
        written += len(lots)
    for e in z.enterprise_list:  # an enterprise's address: the lot of its first project
        lot_code = e.projects[0].parcels[0] if e.projects[0].parcels else outlines[0][0]
        e.address = f"Lô {lot_code}, {z.name_vi}, {z.province.name}"
    return written


def _lots_wanted(rng) -> int:
    """How many lots a project takes: none for one in ten (offices, labs in rented space), else
    one to six."""
    return 0 if rng.random() < 0.1 else min(6, max(1, round(rng.lognormvariate(0.5, 0.6))))


def _parcel(gen: World, lot: _Lot, prices: dict[str, int], heights: dict[str, float], future: bool) -> tuple:
    """The parcel columns after the geometry: code, use, limits, networks, occupancy, project,
    lease price and note (as `planning.demo._properties` sets them)."""
    density, height, far = LIMITS.get(lot.use, LIMITS["CNC"])
    h = heights[lot.code]
    limits = (None, None, None)
    if density:
        pick = int(h * 1000)
        limits = (
            Decimal(density[pick % len(density)]),
            Decimal(height[pick % len(height)]) + (Decimal(5) if future and h < 0.1 else 0),  # a plan change
            Decimal(str(far[pick % len(far)])),
        )
    occupancy = lot.occupancy
    ready = h < 0.85
    price = None
    note = ""
    if occupancy in (Occupancy.LEASED, Occupancy.RESERVED):
        networks = (True, True, ready, ready or h > 0.95)
        price = prices[lot.code]
        note = "Giá thuê minh họa / synthetic lease price."
    elif occupancy == Occupancy.CLEARANCE:
        networks = (h < 0.3, False, False, False)
        note = "Chưa xong giải phóng mặt bằng / site clearance not finished."
    elif occupancy == Occupancy.VACANT:
        networks = (True, True, ready, ready)
        price = prices[lot.code]
        note = "Giá chào thuê minh họa / synthetic asking price."
    else:
        networks = (True, True, True, lot.use == "HT")
    project = lot.project.id if lot.project is not None else None
    return (lot.code, gen.ctx.land_uses[lot.use][0], *limits, *networks, occupancy, project, price, note)
