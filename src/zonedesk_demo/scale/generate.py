"""Row generators of the national-scale dataset: plain tuples, as the services would write them.

Why not the services? They write one row at a time in a transaction with its checks, events
and notifications: fine for people, hours for a million petitions. The generator writes the
same rows directly, so it owns the services' invariants and derived fields:

* references `PAKN-YYYY-NNNNNN` numbered by receipt within each year (`counters` then tells
  the loader how far to advance each `core.Counter`, so a petition filed afterwards never
  collides);
* folded search columns from `core.text.fold` (`Project.search_text`, `Enterprise.name_folded`,
  `Petition.search_text` and `public_search_text`), folded once per distinct text;
* deadlines from `petitions.sla` on the working-day calendar (`clock.py`);
* statuses that follow the events, in the order `petitions.workflow` allows;
* parcels with their bounding box and geodesic area (`planning.geometry`), in plan revisions
  with one in force per zone and layer (`land.py`);
* projects whose land is the land of their parcels, so the dashboard's land rate and the
  plan's agree.

Everything random comes from `random.Random` streams keyed by the seed and a name
(`Generator.rng`), so one part can change without shifting another, and the same seed, scale
and day give the same rows. Every name is synthetic; zones, enterprises and projects carry
"(minh họa)" and `is_synthetic`.

The work is cut in `Step`s, each a stream of batches `(table, rows, units)` that the loader
writes as they come (`load.py`), so the biggest tables never sit in memory.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections.abc import Iterator
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from zonedesk.core.bulk import Table, table_of
from zonedesk.core.models import Agency, Role, User, Zone
from zonedesk.investment.models import (
    Amendment,
    Enterprise,
    Investor,
    PeriodicReport,
    PeriodKind,
    Project,
    ProjectInvestor,
    ProjectStatus,
    ScheduleMilestone,
    Sector,
    StatusChange,
    period_end,
)
from zonedesk_demo.investment import (
    FOREIGN_SUFFIX,
    HHTP_SECTORS,
    INDUSTRIAL_SECTORS,
    MILESTONE_TITLES,
    NON_CAPITAL_AMENDMENTS,
    PROJECT_NAMES,
    STATUS_OF_STAGE,
    VN_KIND,
)
from zonedesk_demo.scale import dossiers, histories, land, names, pipeline
from zonedesk_demo.scale.plans import (
    BN,
    MILLION,
    SYNTHETIC,
    SYNTHETIC_EN,
    USERNAME_PREFIX,
    Context,
    EnterprisePlan,
    Folded,
    ProjectPlan,
    Step,
    TaxCodes,
    ZonePlan,
    apportion,
    aware,
    plain,
    usd_rate,
)
from zonedesk_demo.scale.scales import Scale

# --- tables -------------------------------------------------------------------------------------


ZONES = table_of(Zone)
AGENCIES = table_of(Agency)
AGENCY_ZONES = table_of(Agency.zones.through)
USERS = table_of(User)
INVESTORS = table_of(Investor)
ENTERPRISES = table_of(Enterprise)
ENTERPRISE_INVESTORS = table_of(Enterprise.investors.through)
PROJECTS = table_of(Project, exclude=("version",))  # every generated project at its first version (db_default)
SHARES = table_of(ProjectInvestor)
AMENDMENTS = table_of(Amendment)
MILESTONES = table_of(ScheduleMilestone)
STATUS_CHANGES = table_of(StatusChange)
REPORTS = table_of(PeriodicReport)


# --- the generator ------------------------------------------------------------------------------

STAGES = ("land", "construction", "operation")
LABOUR = {Sector.SOFTWARE: 3.0, Sector.EDUCATION: 2.0, Sector.ELECTRONICS: 2.0, Sector.RESEARCH: 0.8}
LABOUR |= {Sector.MANUFACTURING: 2.5, Sector.MECHATRONICS: 1.5}
TURNOVER = {Sector.EDUCATION: 0.25, Sector.RESEARCH: 0.2, Sector.SERVICES: 0.3, Sector.ELECTRONICS: 1.2}
TURNOVER |= {Sector.MANUFACTURING: 1.2, Sector.SOFTWARE: 0.9}
MAKERS = {
    Sector.ELECTRONICS,
    Sector.MECHATRONICS,
    Sector.MANUFACTURING,
    Sector.MATERIALS,
    Sector.AEROSPACE,
    Sector.TELECOM,
}
KNOWLEDGE = {Sector.SOFTWARE, Sector.RESEARCH, Sector.EDUCATION, Sector.BIOTECH}
FOREIGN_HEAVY = {"HCM", "DN", "BN", "HP", "TNI", "HY", "TN", "PT", "QN"}  # provinces where FDI leads
TERMINATION = "Chấm dứt hoạt động dự án: nhà đầu tư không triển khai sau khi được gia hạn tiến độ"
SUSPENSION = "Tạm ngừng hoạt động theo đề nghị của nhà đầu tư"
REGISTERED = "Investment registration certificate issued"  # `project_register` writes it untranslated
CORRECTION = "Điều chỉnh số liệu theo báo cáo tài chính đã kiểm toán"


class Generator:
    """Decides the whole dataset from a scale, a seed and a day, and streams its rows.

    The world (zones, agencies, people, enterprises, projects) is planned at construction: it
    is small enough to keep (60,000 projects). Parcels, reports and petitions are generated
    while they are written, zone by zone or in batches.
    """

    BATCH = 20_000

    def __init__(self, scale: Scale, *, seed: int, context: Context) -> None:
        self.scale = scale
        self.seed = seed
        self.ctx = context
        self.today = context.today
        self.now = context.clock.at(self.today)  # history stops at the start of the day
        self.fold = Folded()
        self.tax_codes = TaxCodes()
        self.counters: dict[str, int] = {}  # `core.Counter` key -> last number used
        self.counts: dict[str, int] = {}  # rows written, by table
        self._ids: dict[str, int] = {}
        self.zones: list[ZonePlan] = []
        self.agencies: list[tuple] = []  # AGENCIES rows
        self.agency_zones: list[tuple[int, int]] = []
        self.agency_by: dict[tuple[str, str], int] = {}  # (province code, kind) -> agency id
        self.agency_code: dict[int, str] = {}
        self.agency_kind: dict[int, str] = {}
        self.officers: dict[int, list[int]] = {}  # agency id -> user ids
        self.board: dict[str, list[int]] = {}  # province code -> board officers
        self.users: list[tuple] = []
        self.investors: list[tuple] = []
        self.enterprises: list[EnterprisePlan] = []
        self.projects: list[ProjectPlan] = []
        self._plan_zones()
        self._plan_agencies()
        self._plan_enterprises()
        self._plan_projects()
        self._plan_people()

    # -- tools

    def rng(self, *key: object) -> random.Random:
        """A random stream of its own for each part of the dataset."""
        return random.Random(":".join(["zonedesk-scale", str(self.seed), *map(str, key)]))

    def next_id(self, table: str) -> int:
        self._ids[table] = self._ids.get(table, 0) + 1
        return self._ids[table]

    def steps(self) -> list[Step]:
        """The parts in the order they are written. The plan comes first: the parcels decide
        the land of the projects and the area of the zones."""
        return [
            land.plan_step(self),
            self._reference_step(),
            self._registry_step(),
            self._reports_step(),
            histories.petitions_step(self),
            dossiers.dossiers_step(self),
            pipeline.pipeline_step(self),
        ]

    def estimated_rows(self) -> dict[str, int]:
        """Roughly how many rows each big table gets (the loader defers indexes by it)."""
        s, projects = self.scale, len(self.projects)
        return {
            land.PARCELS.name: s.parcels + sum(z.parcels for z in self.zones if z.history or z.future),
            MILESTONES.name: 4 * projects,
            STATUS_CHANGES.name: 3 * projects,
            REPORTS.name: s.reports,
            USERS.name: len(self.users),
            histories.PETITIONS.name: s.petitions,
            histories.EVENTS.name: 9 * s.petitions,
            histories.ANSWERS_TABLE.name: s.petitions,
            histories.COORDINATING.name: s.petitions // 5,
            **dossiers.estimated_rows(self),
            **pipeline.estimated_rows(self),
        }

    def models(self) -> list[type[models.Model]]:
        """Every model the generator writes rows of."""
        tables = [ZONES, AGENCIES, AGENCY_ZONES, USERS, INVESTORS, ENTERPRISES, ENTERPRISE_INVESTORS, PROJECTS]
        tables += [SHARES, AMENDMENTS, MILESTONES, STATUS_CHANGES, REPORTS]
        tables += [land.DECISIONS, land.REVISIONS, land.BOUNDARIES, land.AREAS, land.PARCELS]
        tables += [histories.PETITIONS, histories.COORDINATING, histories.ANSWERS_TABLE, histories.EVENTS]
        tables += [dossiers.DOSSIERS, dossiers.STEPS, dossiers.EVENTS, dossiers.MEMBERS, *pipeline.TABLES]
        return [t.model for t in tables]

    # -- zones and agencies

    def _plan_zones(self) -> None:
        s, rng = self.scale, self.rng("zones")
        provinces = names.PROVINCES
        weights = [p.weight for p in provinces]
        if s.zones >= len(provinces):  # every province has at least one zone
            hosts = list(provinces) + rng.choices(provinces, weights, k=s.zones - len(provinces))
        else:
            hosts = rng.choices(provinces, weights, k=s.zones)
        hosts.sort(key=lambda p: provinces.index(p))
        hitech = set(rng.sample(range(s.zones), max(1, round(s.zones * 0.01))))
        used: set[str] = set()
        per_province: dict[str, int] = {}
        for i, province in enumerate(hosts):
            kind = Zone.Kind.HITECH if i in hitech else Zone.Kind.INDUSTRIAL
            while True:
                brand = " ".join(rng.sample(names.SYLLABLES, 2))
                if brand not in used:
                    used.add(brand)
                    break
            n = per_province[province.code] = per_province.get(province.code, 0) + 1
            code = f"{'CNC' if kind == Zone.Kind.HITECH else 'KCN'}{province.code}{n:02d}"
            # zones of a province on a spiral around its centre, about 9 km apart
            angle, radius = n * 2.4, 0.08 * math.sqrt(n)
            lon = province.lon + radius * math.cos(angle) + rng.uniform(-0.01, 0.01)
            lat = province.lat + radius * math.sin(angle) + rng.uniform(-0.01, 0.01)
            if kind == Zone.Kind.HITECH:
                name_vi, name_en = f"Khu công nghệ cao {brand}", f"{plain(brand)} Hi-Tech Park"
            else:
                name_vi, name_en = f"Khu công nghiệp {brand}", f"{plain(brand)} Industrial Park"
            established = dt.date(rng.randint(1991, 2012), rng.randint(1, 12), rng.randint(1, 28))
            self.zones.append(
                ZonePlan(
                    id=self.next_id("zone"),
                    code=code,
                    kind=kind,
                    province=province,
                    brand=brand,
                    name_vi=name_vi,
                    name_en=name_en,
                    lon=lon,
                    lat=lat,
                    weight=rng.lognormvariate(0, 1.0) * (3 if kind == Zone.Kind.HITECH else 1),
                    established=established,
                    history=rng.random() < 0.1,
                    future=rng.random() < 0.03,
                )
            )
        weights = [z.weight for z in self.zones]
        projects = apportion(s.projects, weights, minimum=1)
        enterprises = apportion(s.enterprises - s.zones, projects, minimum=0)  # at least one each
        petitions = apportion(s.petitions, [w * rng.uniform(0.6, 1.4) for w in weights], minimum=1)
        parcels = apportion(s.parcels, [p + 2 for p in projects], minimum=8)
        for z, p, e, q, a in zip(self.zones, projects, enterprises, petitions, parcels, strict=True):
            z.projects, z.enterprises, z.petitions, z.parcels = p, min(p, e + 1), q, a
        short = s.enterprises - sum(z.enterprises for z in self.zones)  # clipped by the projects
        for z in sorted(self.zones, key=lambda z: -z.projects):
            room = min(short, z.projects - z.enterprises)
            z.enterprises += room
            short -= room

    def _plan_agencies(self) -> None:
        """The board and the departments of each province that hosts zones, and the commune of
        each zone (site clearance)."""
        K = Agency.Kind
        provinces = {z.province.code: z.province for z in self.zones}
        for province in names.PROVINCES:
            if province.code not in provinces:
                continue
            where = f"TP {province.name}" if province.city else f"tỉnh {province.name}"
            en = plain(province.name) + (" City" if province.city else " Province")
            kinds = [
                (K.BOARD, "BQL", f"Ban Quản lý các khu công nghiệp {where}", f"{en} Industrial Zones Authority"),
                (K.TAX, "THUE", f"Thuế {where}", f"{en} Tax Department"),
                (K.CUSTOMS, "HQ", f"Hải quan {where}", f"{en} Customs"),
                (K.CONSTRUCTION, "SXD", f"Sở Xây dựng {where}", f"{en} Department of Construction"),
                (K.POLICE, "CA", f"Công an {where}", f"{en} Police"),
                (K.LABOUR, "SNV", f"Sở Nội vụ {where}", f"{en} Department of Home Affairs"),
                (K.ENVIRONMENT, "NNMT", f"Sở Nông nghiệp và Môi trường {where}", f"{en} Department of Agriculture"),
                (K.UTILITY, "EVN", f"Công ty Điện lực {where}", f"{en} Power Company"),
            ]
            if province.planning_department:
                kinds.insert(
                    4, (K.PLANNING, "QHKT", f"Sở Quy hoạch – Kiến trúc {where}", f"{en} Department of Planning")
                )
            zone_ids = [z.id for z in self.zones if z.province is province]
            for kind, prefix, name_vi, name_en in kinds:
                agency = self._agency(f"{prefix}-{province.code}", kind, name_vi + SYNTHETIC, name_en + SYNTHETIC_EN)
                self.agency_by[(province.code, kind)] = agency
                self.agency_zones.extend((agency, z) for z in zone_ids)
        rng = self.rng("communes")
        for z in self.zones:
            commune = " ".join(rng.sample(names.SYLLABLES, 2))
            z.commune = self._agency(
                f"UBND-{z.code}",
                K.COMMUNE,
                f"Ủy ban nhân dân xã {commune}" + SYNTHETIC,
                f"{plain(commune)} Commune People's Committee" + SYNTHETIC_EN,
            )
            self.agency_zones.append((z.commune, z.id))

    def _agency(self, code: str, kind: str, name_vi: str, name_en: str) -> int:
        pk = self.next_id("agency")
        self.agencies.append((pk, name_vi, name_en, code, kind))
        self.agency_code[pk] = code
        self.agency_kind[pk] = kind
        return pk

    def lead_agency(self, zone: ZonePlan, kind: str) -> int:
        """The agency of a kind that answers for a zone: its commune, else its province's
        department (planning falls to construction where the province has no planning department)."""
        if kind == Agency.Kind.COMMUNE:
            return zone.commune
        found = self.agency_by.get((zone.province.code, kind))
        if found is None and kind == Agency.Kind.PLANNING:
            found = self.agency_by[(zone.province.code, Agency.Kind.CONSTRUCTION)]
        return found if found is not None else self.agency_by[(zone.province.code, Agency.Kind.BOARD)]

    # -- investors and enterprises

    def _investor(self, name: str, *, nationality: str = "VN", kind: str = "organisation", tax_code: str = "") -> int:
        pk = self.next_id("investor")
        self.investors.append((pk, name, self.fold(name), kind, nationality, tax_code, True))
        return pk

    def _plan_enterprises(self) -> None:
        rng = self.rng("enterprises")
        brands: set[str] = set()
        foreign_brands: set[tuple[str, str, str]] = set()
        foreign_groups: dict[str, list[tuple[int, str, str]]] = {}  # nationality -> (investor, brand, suffix)
        vn_groups: list[int] = []
        nationalities = list(names.FOREIGN_WEIGHTS)
        nat_weights = list(names.FOREIGN_WEIGHTS.values())
        for z in self.zones:
            prefix = 10 + names.PROVINCES.index(z.province)
            foreign_share = 0.3 if z.hitech else (0.45 if z.province.code in FOREIGN_HEAVY else 0.22)
            sectors = HHTP_SECTORS if z.hitech else INDUSTRIAL_SECTORS
            for _i in range(z.enterprises):
                sector = rng.choice(sectors)
                if rng.random() < foreign_share:
                    nationality = rng.choices(nationalities, nat_weights)[0]
                    if sector in (Sector.EDUCATION, Sector.SERVICES):
                        sector = Sector.ELECTRONICS
                    suffix = FOREIGN_SUFFIX[sector]
                    groups = foreign_groups.setdefault(nationality, [])
                    if groups and rng.random() < 0.3:  # a group that already invests elsewhere
                        investor, brand, _suffix = rng.choice(groups)
                        name = f"Công ty TNHH {brand} {suffix} {z.province.name}"
                    else:
                        for attempt in range(1000):
                            brand = rng.choice(names.FOREIGN_NAMES[nationality])
                            if rng.random() < 0.7:
                                brand = f"{brand} {rng.choice(names.FOREIGN_WORDS)}"
                            if attempt >= 20:  # the names of a small nationality run out: number them
                                brand = f"{brand} {attempt}"
                            if (nationality, brand, suffix) not in foreign_brands:
                                foreign_brands.add((nationality, brand, suffix))
                                break
                        form = rng.choice(names.FOREIGN_FORMS)
                        investor = self._investor(f"{brand} {suffix} {form}{SYNTHETIC_EN}", nationality=nationality)
                        groups.append((investor, brand, suffix))
                        name = f"Công ty TNHH {brand} {suffix} Việt Nam"
                    investors = [investor]
                    if rng.random() < 0.2:  # a Vietnamese partner in a joint venture
                        partner = " ".join(rng.sample(names.SYLLABLES, 2))
                        investors.append(
                            self._investor(
                                f"Công ty Cổ phần Đầu tư {partner}{SYNTHETIC}", tax_code=self.tax_codes(prefix + 50)
                            )
                        )
                    display = f"{brand} {suffix}"
                else:
                    nationality = "VN"
                    while True:
                        brand = " ".join(rng.sample(names.SYLLABLES, 2 if rng.random() < 0.3 else 3))
                        if brand not in brands:
                            brands.add(brand)
                            break
                    kind_vi, kind_en = VN_KIND[sector]
                    name = f"{kind_vi} {brand}"
                    if vn_groups and rng.random() < 0.08:  # a subsidiary of a domestic group
                        investors = [rng.choice(vn_groups)]
                    else:
                        investors = [
                            self._investor(
                                f"Công ty Cổ phần Đầu tư {brand}{SYNTHETIC}", tax_code=self.tax_codes(prefix + 50)
                            )
                        ]
                        if rng.random() < 0.02:
                            vn_groups.append(investors[0])
                    if rng.random() < 0.2:  # a founder who also contributes capital
                        person = self._person(rng)
                        investors.append(self._investor(person + SYNTHETIC, kind="individual"))
                    display = f"{plain(brand)} {kind_en}"
                enterprise = EnterprisePlan(
                    id=self.next_id("enterprise"),
                    zone=z,
                    name=name + SYNTHETIC,
                    tax_code=self.tax_codes(prefix),
                    nationality=nationality,
                    brand=brand,
                    display=display,
                    investors=investors,
                    sector=sector,
                )
                self.enterprises.append(enterprise)
                z.enterprise_list.append(enterprise)

    @staticmethod
    def _person(rng: random.Random) -> str:
        return f"{rng.choice(names.SURNAMES)} {rng.choice(names.MIDDLE_NAMES)} {rng.choice(names.GIVEN_NAMES)}"

    # -- projects

    def _certificate_day(self, rng: random.Random, start: dt.date) -> dt.date:
        """A certificate date between `start` and yesterday, more of them in recent years (the
        number of projects grows by about 4% a year)."""
        end = self.today - dt.timedelta(days=1)
        if start >= end:
            return end
        years = list(range(start.year, end.year + 1))
        year = rng.choices(years, [1.04 ** (y - years[0]) for y in years])[0]
        low, high = max(start, dt.date(year, 1, 1)), min(end, dt.date(year, 12, 31))
        return low + dt.timedelta(days=rng.randint(0, (high - low).days))

    def _plan_projects(self) -> None:
        rng = self.rng("projects")
        seq: dict[tuple[int, int], int] = {}
        for z in self.zones:
            start = max(z.established, dt.date(1996, 1, 1))
            firsts = list(z.enterprise_list)
            extra = [rng.choice(firsts) for _i in range(z.projects - len(firsts))]
            for enterprise in firsts + extra:
                sector = enterprise.sector
                if enterprise.projects:  # a further project of the same enterprise, some years later
                    first = enterprise.projects[-1].certificate
                    certificate = self._certificate_day(rng, first + dt.timedelta(days=rng.randint(200, 2500)))
                    phase = len(enterprise.projects) + 1
                else:
                    certificate = self._certificate_day(rng, start)
                    phase = 1
                name_vi, name_en = PROJECT_NAMES[sector]
                name_vi = name_vi.format(b=enterprise.brand)
                name_en = name_en.format(b=enterprise.display)
                if phase > 1:
                    name_vi, name_en = f"{name_vi} giai đoạn {phase}", f"{name_en}, phase {phase}"
                n = seq[(z.id, certificate.year)] = seq.get((z.id, certificate.year), 0) + 1
                foreign = enterprise.nationality != "VN"
                year_rate = usd_rate(certificate.year)
                if foreign:
                    usd = max(int(rng.lognormvariate(math.log(15), 1.1) * MILLION) // 1000 * 1000, MILLION)
                    capital = usd * year_rate
                else:
                    usd = None
                    capital = max(int(round(rng.lognormvariate(math.log(150), 1.0) * BN, -8)), BN)
                p = ProjectPlan(
                    id=self.next_id("project"),
                    zone=z,
                    enterprise=enterprise,
                    code=f"{z.id:03d}{certificate.year % 100:02d}{n:05d}",
                    name_vi=name_vi + SYNTHETIC,
                    name_en=name_en + SYNTHETIC_EN,
                    sector=sector,
                    foreign=foreign,
                    certificate=certificate,
                    capital=capital,
                    usd=usd,
                    term_years=50 if z.hitech else rng.choice((40, 45, 50)),
                )
                enterprise.projects.append(p)
                self._schedule(p, rng)
                self._amendments(p, rng)
                self._economics(p, rng)
                z.project_list.append(p)
                self.projects.append(p)
            z.project_list.sort(key=lambda p: (p.certificate, p.code))
        for e in self.enterprises:
            e.projects.sort(key=lambda p: (p.certificate, p.code))

    def _schedule(self, p: ProjectPlan, rng: random.Random) -> None:
        """Milestones with planned and actual dates; the actual ones make the status changes.
        Nothing happens on or after the day of generation. About one project in fourteen is
        stuck at a stage (behind schedule), a few are suspended or terminated."""
        today, c = self.today, p.certificate

        def days(lo: int, hi: int) -> dt.timedelta:
            return dt.timedelta(days=rng.randint(lo, hi))

        planned = {"land": c + days(60, 240)}
        planned["construction"] = planned["land"] + days(60, 240)
        planned["operation"] = planned["construction"] + days(300, 720)
        planned["capital"] = c + days(365, 900)
        actual: dict[str, dt.date | None] = {}
        previous = c
        for stage in STAGES:
            actual[stage] = max(planned[stage] + days(-30, 150), previous + dt.timedelta(days=20))
            previous = actual[stage]  # type: ignore[assignment]
        actual["capital"] = max(c, planned["capital"] + days(-60, 120))
        stuck = None
        if rng.random() < 0.07:
            stuck = rng.choices(["land", "construction", "operation", "capital"], [2, 2, 3, 1])[0]
            if planned[stuck] < today:
                actual[stuck] = None
                if stuck != "capital":
                    for later in STAGES[STAGES.index(stuck) :]:
                        actual[later] = None
            else:
                stuck = None
        reached = True
        for stage in STAGES:
            a = actual[stage]
            if not reached or a is None or a >= today:
                reached = False
                actual[stage] = None
                if planned[stage] < today and stage != stuck:
                    planned[stage] = today + days(30, 400)  # rescheduled: a milestone still ahead
        for earlier, later in zip(STAGES, STAGES[1:], strict=False):
            if actual[later] is None and planned[later] <= planned[earlier]:
                planned[later] = planned[earlier] + days(60, 300)
        if actual["capital"] is not None and actual["capital"] >= today:
            actual["capital"] = None
        if actual["capital"] is None and planned["capital"] < today and stuck != "capital":
            planned["capital"] = today + days(30, 400)
        p.changes = [("", ProjectStatus.REGISTERED, c, REGISTERED)]
        status = ProjectStatus.REGISTERED
        for stage in STAGES:
            when = actual[stage]
            if when is not None:
                to, reason = STATUS_OF_STAGE[stage]
                p.changes.append((status, to, when, reason))
                status = to
        last = p.changes[-1][2]
        roll = rng.random()
        if roll < 0.03 and (today - c).days > 3 * 365:  # terminated: the land goes back
            end = c + dt.timedelta(days=rng.randint(730, (today - c).days - 1))
            p.changes = [ch for ch in p.changes if ch[2] < end]
            for stage in STAGES:
                if actual[stage] is not None and actual[stage] >= end:  # type: ignore[operator]
                    actual[stage] = None
            actual["capital"] = None
            p.changes.append((p.changes[-1][1], ProjectStatus.TERMINATED, end, TERMINATION))
            p.terminated = end
        elif roll < 0.04 and (today - last).days > 60:
            when = last + dt.timedelta(days=rng.randint(30, (today - last).days - 1))
            p.changes.append((status, ProjectStatus.SUSPENDED, when, SUSPENSION))
        p.milestones = [
            (kind, planned[kind], actual[kind]) for kind in ("capital", "land", "construction", "operation")
        ]
        p.operation = actual["operation"]

    def _amendments(self, p: ProjectPlan, rng: random.Random) -> None:
        """About one project in eight amends its certificate once or twice: capital or scope."""
        if rng.random() >= 0.12:
            return
        end = min(p.terminated or self.today, self.today) - dt.timedelta(days=1)
        start = p.certificate + dt.timedelta(days=200)
        if start >= end:
            return
        for _i in range(rng.randint(1, 2)):
            date = start + dt.timedelta(days=rng.randint(0, (end - start).days))
            if rng.random() < 0.6:  # a capital increase
                if p.foreign:
                    usd = max(int(p.usd * rng.uniform(0.1, 0.6)) // 1000 * 1000, 100_000)  # type: ignore[operator]
                    rate = usd_rate(date.year)
                    p.amendments.append((date, "Tăng vốn đầu tư, mở rộng quy mô dự án", usd * rate, usd))
                else:
                    vnd = max(int(round(p.capital * rng.uniform(0.1, 0.6), -8)), 100 * MILLION)
                    p.amendments.append((date, "Tăng vốn đầu tư, mở rộng quy mô dự án", vnd, 0))
            else:
                p.amendments.append((date, rng.choice(NON_CAPITAL_AMENDMENTS), 0, 0))
        p.amendments.sort()

    def _economics(self, p: ProjectPlan, rng: random.Random) -> None:
        """What a project turns over and employs once it operates (as in the Hoa Lac demo)."""
        sector = p.sector
        p.revenue = p.capital * TURNOVER.get(sector, 0.6) * rng.lognormvariate(0, 0.5)
        p.workers = LABOUR.get(sector, 1.0) * (p.capital / BN) ** 0.6 * rng.lognormvariate(0, 0.4)
        if not p.zone.hitech:  # factories in the industrial zones employ more people per đồng
            p.workers *= 4
        p.growth = rng.uniform(1.02, 1.16)
        p.staff = rng.randint(3, 25)
        if sector in (Sector.EDUCATION, Sector.RESEARCH, Sector.SERVICES):
            p.export = rng.uniform(0.0, 0.1)
        elif p.foreign:
            p.export = rng.uniform(0.55, 0.95)
        else:
            p.export = rng.uniform(0.05, 0.4)
        p.imports = rng.uniform(0.3, 0.6) if sector in MAKERS else rng.uniform(0.0, 0.1)
        p.rnd = rng.uniform(0.2, 0.45) if sector == Sector.RESEARCH else rng.uniform(0.01, 0.08)
        p.tax = rng.uniform(0.03, 0.08)
        p.degree = rng.uniform(0.7, 0.95) if sector in KNOWLEDGE else rng.uniform(0.15, 0.45)
        p.disbursed_final = rng.uniform(0.45, 0.75)
        p.disbursed_years = rng.uniform(4, 9)
        p.equity = rng.uniform(0.3, 1.0) if p.foreign else rng.uniform(0.2, 0.5)
        if rng.random() < 0.9:
            revenue = p.revenue * rng.uniform(1.0, 1.6)
            p.targets = (
                max(10, int(round(p.workers * rng.uniform(1.0, 1.5), -1))),
                max(BN, int(round(revenue / BN)) * BN),
                int(round(revenue * p.export / BN)) * BN if p.export > 0.15 else None,
            )

    # -- people

    def _plan_people(self) -> None:
        """Board officers of each province, two leaders, officers of every agency and one user
        per enterprise. Their passwords are unusable (they only sign the history); a test or an
        administrator logs in as them without one."""
        rng = self.rng("people")
        pk = self.ctx.first_user_id - 1
        joined = aware(self.ctx.clock.at(self.today - dt.timedelta(days=365 * self.scale.petition_years + 30)))

        def user(username: str, role: str, *, enterprise: int | None = None, agency: int | None = None) -> int:
            nonlocal pk
            pk += 1
            surname, middle, given = (
                rng.choice(names.SURNAMES),
                rng.choice(names.MIDDLE_NAMES),
                rng.choice(names.GIVEN_NAMES),
            )
            password = "!" + "".join(
                rng.choices("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", k=40)
            )
            self.users.append(
                (
                    pk,
                    password,
                    None,
                    False,
                    USERNAME_PREFIX + username,
                    f"{surname} {middle}",
                    given,
                    "",
                    False,
                    True,
                    joined,
                    role,
                    enterprise,
                    agency,
                    False,
                )
            )
            return pk

        for province in names.PROVINCES:
            if (province.code, Agency.Kind.BOARD) in self.agency_by:
                self.board[province.code] = [
                    user(f"board-{province.code.lower()}-{i}", Role.BOARD)
                    for i in range(1, self.scale.board_officers + 1)
                ]
        for i in (1, 2):
            user(f"lanhdao-{i}", Role.LEADER)
        for agency in self.agencies:
            code = agency[3].lower()
            self.officers[agency[0]] = [
                user(f"{code}-{i}", Role.AGENCY, agency=agency[0]) for i in range(1, self.scale.agency_officers + 1)
            ]
        for e in self.enterprises:
            e.user = user(f"dn-{e.tax_code}", Role.ENTERPRISE, enterprise=e.id)

    # -- the reference step: zones, agencies, investors, enterprises, users

    def _reference_step(self) -> Step:
        total = len(self.zones) + len(self.agencies) + len(self.investors) + len(self.enterprises) + len(self.users)

        def batches() -> Iterator[tuple[Table, list[tuple], int]]:
            description = (
                "Dữ liệu tổng hợp (minh họa) cho đo hiệu năng: khu, doanh nghiệp, dự án và kiến nghị đều không có "
                "thật.\nSynthetic data for benchmarks: the zone, its enterprises, projects and petitions are not real."
            )
            zones = [
                (
                    z.id,
                    z.name_vi + SYNTHETIC,
                    z.name_en + SYNTHETIC_EN,
                    z.code,
                    z.kind,
                    z.province.name,
                    z.area_ha,
                    z.leasable_ha,
                    description,
                    True,
                )
                for z in self.zones
            ]
            yield ZONES, zones, len(zones)
            yield AGENCIES, self.agencies, len(self.agencies)
            yield AGENCY_ZONES, [(i, a, z) for i, (a, z) in enumerate(self.agency_zones, 1)], 0
            for chunk in _chunks(self.investors, self.BATCH):
                yield INVESTORS, chunk, len(chunk)
            links: list[tuple] = []
            rows: list[tuple] = []
            for e in self.enterprises:
                rows.append((e.id, e.name, self.fold(e.name), e.tax_code, e.zone.id, e.address, True))
                links.extend((len(links) + 1, e.id, inv) for inv in e.investors)
                if len(rows) >= self.BATCH:
                    yield ENTERPRISES, rows, len(rows)
                    rows = []
            yield ENTERPRISES, rows, len(rows)
            yield ENTERPRISE_INVESTORS, links, 0
            for chunk in _chunks(self.users, self.BATCH):
                yield USERS, chunk, len(chunk)

        return Step("reference", _("zones, agencies, enterprises, users"), _("rows"), total, batches())

    # -- the registry step: projects with their investors, milestones, status changes, amendments

    def _registry_step(self) -> Step:
        def batches() -> Iterator[tuple[Table, list[tuple], int]]:
            created = self.ctx.clock.at
            rows: dict[Table, list[tuple]] = {t: [] for t in (PROJECTS, SHARES, MILESTONES, STATUS_CHANGES, AMENDMENTS)}
            ids = {t: 0 for t in rows}
            done = 0

            def add(table: Table, *values: Any) -> None:
                ids[table] += 1
                rows[table].append((ids[table], *values))

            for p in self.projects:
                e = p.enterprise
                capital = p.capital_on(self.today)
                usd = None if p.usd is None else p.usd + sum(a[3] for a in p.amendments)
                search = self.fold.join([p.code, p.name_vi, p.name_en, e.name])[:1000]
                objectives = f"{p.name_vi}. Quy mô và mục tiêu theo giấy chứng nhận đăng ký đầu tư (số liệu minh họa)."
                changed = max([p.changes[-1][2], *(a[0] for a in p.amendments)])
                add(
                    PROJECTS,
                    p.code,
                    p.name_vi,
                    p.name_en,
                    search,
                    e.id,
                    p.zone.id,
                    p.sector,
                    objectives,
                    f"{p.name_en}. Scale and objectives as in the investment registration certificate (illustrative)."
                    if p.name_en
                    else "",
                    p.foreign,
                    p.capital,
                    capital,
                    usd,
                    p.land,
                    p.certificate,
                    p.term_years,
                    p.status,
                    *p.targets,
                    True,
                    aware(created(p.certificate, 9)),
                    aware(created(changed, 10)),
                )
                equity = int(p.capital * p.equity) // MILLION * MILLION
                if len(e.investors) == 1:
                    add(SHARES, p.id, e.investors[0], equity)
                else:
                    add(SHARES, p.id, e.investors[0], equity * 4 // 5)
                    add(SHARES, p.id, e.investors[1], equity - equity * 4 // 5)
                for kind, planned, actual in p.milestones:
                    add(MILESTONES, p.id, kind, MILESTONE_TITLES[kind], "", planned, actual)
                for frm, to, date, reason in p.changes:
                    add(STATUS_CHANGES, p.id, frm, to, date, reason, None, aware(created(date, 10)))
                for n, (date, summary, vnd, _usd) in enumerate(p.amendments, 1):
                    add(AMENDMENTS, p.id, n, date, summary, vnd, None, "", "")
                done += 1
                if len(rows[PROJECTS]) >= self.BATCH:
                    for table, chunk in rows.items():
                        yield table, chunk, done if table is PROJECTS else 0
                        rows[table] = []
                    done = 0
            for table, chunk in rows.items():
                yield table, chunk, done if table is PROJECTS else 0

        return Step("registry", _("projects"), _("projects"), len(self.projects), batches())

    # -- periodic reports

    def _periods(self) -> tuple[list[tuple[str, int, int]], list[dt.date]]:
        """Every period (quarter, then the year at the year's end) ended before today, since 1996."""
        periods, ends = [], []
        for year in range(1996, self.today.year + 1):
            for kind, q in [(PeriodKind.QUARTER, q) for q in (1, 2, 3, 4)] + [(PeriodKind.YEAR, 0)]:
                end = period_end(kind, year, q)
                if end < self.today:
                    periods.append((kind, year, q))
                    ends.append(end)
        return periods, ends

    def _report_range(self, p: ProjectPlan, ends: list[dt.date]) -> tuple[int, int]:
        """The periods a project reports on: ended on or after its certificate, before its end."""
        low = bisect.bisect_left(ends, p.certificate)
        high = bisect.bisect_left(ends, p.terminated) if p.terminated else len(ends)
        return low, high

    def report_since(self) -> int:
        """The first year of reports: as few years back as give the scale its number of reports."""
        periods, ends = self._periods()
        ranges = [self._report_range(p, ends) for p in self.projects]
        for year in range(self.today.year, 1995, -1):
            first = bisect.bisect_left(ends, dt.date(year, 1, 1))
            count = sum(max(0, high - max(low, first)) for low, high in ranges)
            if count * 0.985 >= self.scale.reports:  # about 1.5% are not filed
                return year
        return 1996

    def _reports_step(self) -> Step:
        since = self.report_since()
        periods, ends = self._periods()
        first = bisect.bisect_left(ends, dt.date(since, 1, 1))
        clock = self.ctx.clock
        season = {0: 1.0, 1: 0.9, 2: 1.0, 3: 1.0, 4: 1.1}
        recent = len(ends) - 5  # the last year of periods: where unfiled reports are

        def filed(rng: random.Random, kind: str, end: dt.date) -> int:
            """When the enterprise filed it: most on time, about one in eight late."""
            if rng.random() < 0.125:
                days = rng.randint(15, 40) if kind == PeriodKind.QUARTER else rng.randint(95, 130)
            else:
                days = rng.randint(2, 9) if kind == PeriodKind.QUARTER else rng.randint(20, 85)
            return clock.at(end + dt.timedelta(days=days), rng.randint(8, 16), rng.randint(0, 59))

        def figures(p: ProjectPlan, start: dt.date, end: dt.date, noise: float, q: int) -> list[int]:
            op = p.operation
            revenue = 0
            if op is not None and op <= end:
                days = (end - start).days + 1
                share = ((end - max(op, start)).days + 1) / days
                years = ((start + (end - start) / 2) - dt.date(self.today.year - 2, 7, 1)).days / 365
                revenue = int(p.revenue * share * p.growth**years * days / 365 * season[q] * noise) // MILLION * MILLION
                ramp = min(1.0, 0.25 + 0.75 * (end - op).days / (3 * 365))  # a new plant hires over three years
                workers = max(p.staff, int(p.workers * ramp * 1.02 ** ((end - self.today).days / 365)))
            else:
                workers = p.staff
            progress = min(1.0, (end - p.certificate).days / (365 * p.disbursed_years))
            disbursed = int(p.capital_on(end) * (0.05 + (p.disbursed_final - 0.05) * progress)) // MILLION * MILLION
            return [
                revenue,
                int(revenue * p.export) // MILLION * MILLION,
                int(revenue * p.imports) // MILLION * MILLION,
                workers,
                int(workers * p.degree),
                int(revenue * p.rnd) // MILLION * MILLION,
                int(revenue * p.tax) // MILLION * MILLION,
                disbursed,
            ]

        def batches() -> Iterator[tuple[Table, list[tuple], int]]:
            rng = self.rng("reports")
            rows: list[tuple] = []
            pk = 0
            done = 0
            for p in self.projects:
                low, high = self._report_range(p, ends)
                quarters: list[list[int]] = []
                for i in range(max(low, first), high):
                    kind, year, q = periods[i]
                    end = ends[i]
                    if kind == PeriodKind.QUARTER:
                        values = figures(p, dt.date(year, q * 3 - 2, 1), end, rng.uniform(0.95, 1.05), q)
                        quarters = [values] if q == 1 or not quarters else [*quarters, values]
                    elif quarters:  # the yearly report adds up the quarters; stocks as at the last one
                        values = [sum(v[f] for v in quarters) for f in range(8)]
                        values[3], values[4], values[7] = quarters[-1][3], quarters[-1][4], quarters[-1][7]
                    else:
                        values = figures(p, dt.date(year, 1, 1), end, rng.uniform(0.95, 1.05), 0)
                    if kind == PeriodKind.YEAR:
                        quarters = []
                    missing = rng.random() < (0.05 if i >= recent else 0.004)
                    at = filed(rng, kind, end)
                    if missing or at >= self.now:
                        continue  # not filed (yet): a late or a due report
                    corrected = rng.random() < 0.015
                    if corrected:
                        again = at + rng.randint(5, 60) * 86400
                        if again < self.now:
                            pk += 1
                            rows.append((pk, p.id, kind, year, q, 1, False, *values, "", p.enterprise.user, aware(at)))
                            values = [*values]
                            values[0] = int(values[0] * rng.uniform(0.95, 1.05)) // MILLION * MILLION
                            values[6] = int(values[0] * p.tax) // MILLION * MILLION
                            pk += 1
                            rows.append(
                                (pk, p.id, kind, year, q, 2, True, *values, CORRECTION, p.enterprise.user, aware(again))
                            )
                            continue
                    pk += 1
                    rows.append((pk, p.id, kind, year, q, 1, True, *values, "", p.enterprise.user, aware(at)))
                done += 1
                if len(rows) >= self.BATCH:
                    yield REPORTS, rows, done
                    rows, done = [], 0
            yield REPORTS, rows, done

        label = _("periodic reports since %(year)s") % {"year": since}
        return Step("reports", label, _("projects"), len(self.projects), batches())


def _chunks(rows: list[tuple], size: int) -> Iterator[list[tuple]]:
    for i in range(0, len(rows), size):
        yield rows[i : i + size]
    if not rows:
        yield []
