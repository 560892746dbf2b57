"""What the parts of the national-scale generator share: the plans it decides before writing
(zones, enterprises, projects), the `Step`s it writes in, the `Context` read from the database,
small tools, and `World`, what the parts read of the generator.

`generate.py` (the world and the registry), `land.py` (plans and parcels) and `histories.py`
(petitions) each import this module and none imports another's caller: `generate.Generator`
runs the steps of `land` and `histories`, which see it as a `World`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from stdnum.vn import mst

from zonedesk.core.bulk import Table
from zonedesk.core.models import Zone
from zonedesk.core.text import fold
from zonedesk_demo.investment import USD_RATE
from zonedesk_demo.scale import names
from zonedesk_demo.scale.clock import Deadlines, OfficeClock
from zonedesk_demo.scale.scales import Scale

BN = 1_000_000_000
MILLION = 1_000_000
UTC = dt.UTC
SYNTHETIC = " (minh họa)"
SYNTHETIC_EN = " (illustrative)"
USERNAME_PREFIX = "scale-"  # every generated account; `--replace` removes them by it


@dataclass
class Step:
    """One part of the dataset: a label for the progress bar, the units it counts (zones,
    projects, petitions...) and the stream of batches that writes it."""

    key: str
    label: Any  # a lazy translation
    unit: Any
    total: int
    batches: Iterator[tuple[Table, list[tuple], int]]


@dataclass(frozen=True)
class Context:
    """What the generator needs from the database, read once by `load.context`."""

    today: dt.date
    clock: OfficeClock
    deadlines: Deadlines
    land_uses: dict[str, tuple[int, bool]]  # code -> (id, leasable)
    first_user_id: int
    extension_days: int
    escalation_days: tuple[int, ...]
    reopen_days: int
    autoclose_days: int


# --- small tools --------------------------------------------------------------------------------


def apportion(total: int, weights: Sequence[float], minimum: int = 0) -> list[int]:
    """`total` shared by weight in whole units, each at least `minimum` (largest remainders)."""
    n = len(weights)
    base = [minimum] * n
    rest = total - minimum * n
    if rest < 0:
        raise ValueError("total below the minimum")
    w_sum = sum(weights)
    shares = [rest * w / w_sum for w in weights]
    floors = [int(s) for s in shares]
    left = rest - sum(floors)
    order = sorted(range(n), key=lambda i: (-(shares[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [b + f for b, f in zip(base, floors, strict=True)]


class Folded:
    """`core.text.fold`, once per distinct text. `join` folds a text made of parts joined by
    spaces from the parts' folds: the same result (fold works character by character, then
    collapses and strips spaces) at the cost of a dictionary lookup for parts seen before."""

    def __init__(self) -> None:
        self.cache: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        folded = self.cache.get(text)
        if folded is None:
            folded = self.cache[text] = fold(text)
        return folded

    def join(self, parts: Sequence[str]) -> str:
        return " ".join(f for f in map(self, parts) if f)


class TaxCodes:
    """Valid Vietnamese tax codes (the check digit of `stdnum.vn.mst`), from a sequence per
    prefix so that none repeats."""

    def __init__(self) -> None:
        self.next: dict[int, int] = {}

    def __call__(self, prefix: int) -> str:
        while True:
            n = self.next.get(prefix, 1)
            self.next[prefix] = n + 1
            body = f"{prefix:02d}{n:07d}"
            check = mst.calc_check_digit(body)
            if len(check) == 1 and mst.is_valid(body + check):
                return body + check


EPOCH = dt.datetime(1970, 1, 1, tzinfo=UTC)


def aware(t: int | None) -> dt.datetime | None:
    """An epoch second as an aware datetime (UTC): what a `DateTimeField` takes."""
    return None if t is None else EPOCH + dt.timedelta(seconds=t)


def usd_rate(year: int) -> int:
    """VND per USD in a year (the demo's yearly averages, the nearest year outside them)."""
    return USD_RATE[min(max(year, min(USD_RATE)), max(USD_RATE))]


def plain(text: str) -> str:
    """A Vietnamese name without its accents, capitalised, for English names ("Phú Thịnh" →
    "Phu Thinh")."""
    return fold(text).title()


# --- plans: what the generator decides before writing ------------------------------------------


@dataclass(slots=True, eq=False)
class ZonePlan:
    id: int
    code: str
    kind: str
    province: names.Province
    brand: str
    name_vi: str
    name_en: str
    lon: float
    lat: float
    weight: float
    established: dt.date
    projects: int = 0
    enterprises: int = 0
    parcels: int = 0
    petitions: int = 0
    commune: int = 0  # the commune's agency
    area_ha: Decimal = Decimal(0)
    leasable_ha: Decimal = Decimal(0)
    history: bool = False  # an older parcels revision, kept as history
    future: bool = False  # a parcels revision not yet in force
    enterprise_list: list[EnterprisePlan] = field(default_factory=list)
    project_list: list[ProjectPlan] = field(default_factory=list)
    land_uses: list[str] = field(default_factory=list)  # of its parcels (for plot codes in petitions)

    @property
    def hitech(self) -> bool:
        return self.kind == Zone.Kind.HITECH

    @property
    def short(self) -> str:
        return ("Khu CNC " if self.hitech else "KCN ") + self.brand


@dataclass(slots=True, eq=False)
class EnterprisePlan:
    id: int
    zone: ZonePlan
    name: str
    tax_code: str
    nationality: str
    brand: str
    display: str  # the brand in English project names
    investors: list[int]
    sector: str  # of its first project
    user: int = 0
    address: str = ""
    projects: list[ProjectPlan] = field(default_factory=list)

    @property
    def first(self) -> dt.date:
        return self.projects[0].certificate


@dataclass(slots=True, eq=False)
class ProjectPlan:
    id: int
    zone: ZonePlan
    enterprise: EnterprisePlan
    code: str
    name_vi: str
    name_en: str
    sector: str
    foreign: bool
    certificate: dt.date
    capital: int  # VND at first registration
    usd: int | None
    term_years: int
    milestones: list[tuple[str, dt.date, dt.date | None]] = field(default_factory=list)
    changes: list[tuple[str, str, dt.date, str]] = field(default_factory=list)  # from, to, date, reason
    amendments: list[tuple[dt.date, str, int, int]] = field(default_factory=list)  # date, summary, VND, USD
    terminated: dt.date | None = None
    targets: tuple[int | None, int | None, int | None] = (None, None, None)
    land: Decimal = Decimal(0)
    parcels: list[str] = field(default_factory=list)  # codes in the plan in force
    # economics (see `_economics`)
    operation: dt.date | None = None
    revenue: float = 0.0
    workers: float = 0.0
    growth: float = 1.0
    staff: int = 5
    export: float = 0.0
    imports: float = 0.0
    rnd: float = 0.0
    tax: float = 0.0
    degree: float = 0.5
    disbursed_final: float = 0.5
    disbursed_years: float = 6.0
    equity: float = 0.3

    @property
    def status(self) -> str:
        return self.changes[-1][1]

    def status_on(self, day: dt.date) -> str | None:
        """The status on a day; None before the certificate."""
        status = None
        for _from, to, date, _reason in self.changes:
            if date > day:
                break
            status = to
        return status

    def capital_on(self, day: dt.date) -> int:
        if not self.amendments:
            return self.capital
        return self.capital + sum(vnd for date, _s, vnd, _usd in self.amendments if date <= day)


class World(Protocol):
    """What `land.py` and `histories.py` read of the generator (`generate.Generator`): the world
    it planned at construction and its random streams."""

    scale: Scale
    ctx: Context
    today: dt.date
    now: int  # epoch seconds: history stops at the start of the day
    fold: Folded
    counters: dict[str, int]
    zones: list[ZonePlan]
    enterprises: list[EnterprisePlan]
    projects: list[ProjectPlan]
    agency_by: dict[tuple[str, str], int]
    agency_code: dict[int, str]
    agency_kind: dict[int, str]
    officers: dict[int, list[int]]
    board: dict[str, list[int]]

    def rng(self, *key: object) -> random.Random: ...

    def lead_agency(self, zone: ZonePlan, kind: str) -> int: ...
