"""The one-stop desk's figures, as Decision 766/QĐ-TTg measures a public service: what the public
page, the API (`GET /dossiers/figures`) and the open dataset show.

What is counted (the dossiers *received* in the year, in the zone when one is asked, grouped by
the month of their receipt, local time):

* received: dossiers the desk received (filed but never received are not counted);
* resolved: those closed with a decision: the result returned, or refused with its reason;
* due: those whose timeliness is decided, "received and due" of the service index: the resolved,
  and the open ones whose first appointment passed before today while the clock ran (not those
  waiting for the enterprise's supplement or fee);
* on time: resolved by the first appointment (an apology's new appointment does not make a
  dossier on time); on-time rate = on time / due;
* online rate: filed online / received;
* median working days: over the dossiers whose result was returned (`Dossier.working_days`:
  receipt to return, without the time the clock stood still), taken from a histogram of the
  days (integers, one row per group and day): never a row per dossier;
* apologies (letters sent), supplements per dossier (requests / received), satisfaction (the
  mean of the enterprises' ratings 1–5, with how many rated).

Broken down by procedure, by unit, by zone, by month and by procedure and month (the open
dataset). The unit of a dossier is the one that answers for it: for a processed or returned
dossier the unit that signed it (the last step of its procedure version: the board's leadership
in the catalogue), for any other the unit that holds it now or held it when it was closed
(refused at its step, withdrawn, stopped). Each breakdown is one grouped query over the year's
dossiers (grouped by its key and the working days, for the median); the answer is cached under
the generation `PROCEDURE_FIGURES_GENERATION`, which every write of a dossier bumps in its
transaction (`procedures.apps`, and the bulk generator), and until the next midnight (when more
open dossiers become due).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from zonedesk.core.generations import cached
from zonedesk.procedures.models import OPEN_STATUSES, Dossier, Procedure, Status, Unit, VersionStep

# Bumped by every save or delete of a dossier, of a procedure or of its steps (`procedures.apps`)
# and by the bulk generator.
PROCEDURE_FIGURES_GENERATION = "procedures.figures"

RESOLVED = (Status.RETURNED, Status.REFUSED)
SIGNED = (Status.PROCESSED, Status.RETURNED)


# --- a group's counts -----------------------------------------------------------------------------------------
@dataclass
class Tally:
    """The counts of one group, added up from the rows of a grouped query (one per working day)."""

    received: int = 0
    resolved: int = 0
    returned: int = 0
    on_time: int = 0
    late_open: int = 0
    online: int = 0
    apologies: int = 0
    supplements: int = 0
    rated: int = 0
    rating_sum: int = 0
    days: Counter[int] = field(default_factory=Counter)  # working days of returned dossiers -> how many

    def add(self, row: dict[str, Any]) -> None:
        for name in ("received", "resolved", "returned", "on_time", "late_open", "online", "rated"):
            setattr(self, name, getattr(self, name) + (row[name] or 0))
        self.apologies += row["apologies_sum"] or 0
        self.supplements += row["supplements_sum"] or 0
        self.rating_sum += row["rating_sum"] or 0
        if row["working_days"] is not None and row["with_days"]:
            self.days[row["working_days"]] += row["with_days"]

    def merge(self, other: Tally) -> None:
        for name in ("received", "resolved", "returned", "on_time", "late_open", "online", "apologies"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.supplements += other.supplements
        self.rated += other.rated
        self.rating_sum += other.rating_sum
        self.days.update(other.days)

    def figures(self) -> dict[str, Any]:
        due = self.resolved + self.late_open
        return {
            "received": self.received,
            "resolved": self.resolved,
            "due": due,
            "on_time": self.on_time,
            "on_time_rate": round(self.on_time / due, 4) if due else None,
            "online": self.online,
            "online_rate": round(self.online / self.received, 4) if self.received else None,
            "median_working_days": median(self.days),
            "apologies": self.apologies,
            "supplements": self.supplements,
            "supplements_per_dossier": round(self.supplements / self.received, 3) if self.received else None,
            "rated": self.rated,
            "satisfaction": round(self.rating_sum / self.rated, 2) if self.rated else None,
        }


def median(histogram: Counter[int]) -> float | None:
    """The median of the values a histogram counts (value -> how many): the middle value, or the
    mean of the two middle ones when they are an even number."""
    n = sum(histogram.values())
    if not n:
        return None
    wanted = sorted({(n - 1) // 2, n // 2})
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
        if not wanted:
            break
    if len(found) == 1:
        found.append(found[0])
    return (found[0] + found[1]) / 2


# --- the queries ------------------------------------------------------------------------------------------------
def _start_of(year: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime(year, 1, 1), timezone.get_default_timezone())


def _today_start() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time()), timezone.get_default_timezone())


def _received(zone: Any, year: int | None) -> QuerySet[Dossier]:
    rows = Dossier.objects.filter(received_at__isnull=False).order_by()
    if zone is not None:
        rows = rows.filter(zone=zone)
    if year is not None:  # a range on the indexed column, not an extraction of its year
        rows = rows.filter(received_at__gte=_start_of(year), received_at__lt=_start_of(year + 1))
    return rows


def _signing_units() -> dict[int, int]:
    """Each procedure version's signing unit: the unit of its last step."""
    units: dict[int, int] = {}
    for version, unit in VersionStep.objects.order_by("version_id", "order").values_list("version_id", "unit_id"):
        units[version] = unit  # the last step of the version wins
    return units


def _unit_key() -> Any:
    """The unit that answers for a dossier (see the module's doc), as an SQL expression."""
    signing = _signing_units()
    if not signing:
        return F("unit_id")
    by_version = Case(
        *[When(procedure_version_id=v, then=Value(u)) for v, u in sorted(signing.items())],
        default=F("unit_id"),
        output_field=IntegerField(),
    )
    return Case(When(status__in=SIGNED, then=by_version), default=F("unit_id"), output_field=IntegerField())


def _tallies(rows: QuerySet[Dossier], keys: dict[str, Any], today: dt.datetime) -> dict[tuple, Tally]:
    """One grouped query: a tally per value of `keys` (name -> expression), from rows grouped by
    the keys and the working days."""
    resolved = Q(status__in=RESOLVED)
    on_time = Q(status=Status.RETURNED, on_time=True) | Q(
        status=Status.REFUSED, closed_at__lte=F("original_due_at"), original_due_at__isnull=False
    )
    late_open = Q(status__in=OPEN_STATUSES, paused_at__isnull=True, original_due_at__lt=today)
    grouped = (
        rows.annotate(**keys)
        .values(*keys, "working_days")
        .annotate(
            received=Count("id"),
            resolved=Count("id", filter=resolved),
            returned=Count("id", filter=Q(status=Status.RETURNED)),
            with_days=Count("id", filter=Q(status=Status.RETURNED, working_days__isnull=False)),
            on_time=Count("id", filter=on_time),
            late_open=Count("id", filter=late_open),
            online=Count("id", filter=Q(channel="online")),
            apologies_sum=Sum("apologies"),
            supplements_sum=Sum("supplements"),
            rated=Count("rating"),
            rating_sum=Sum("rating"),
        )
        .order_by()
    )
    out: dict[tuple, Tally] = {}
    for row in grouped.iterator(chunk_size=10_000):  # streamed: a year by zone, procedure and month is many rows
        key = tuple(row[k] for k in keys)
        out.setdefault(key, Tally()).add(row)
    return out


def _month(value: Any) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value:%Y-%m}"


def _months(year: int | None, found: Iterable[str]) -> list[str]:
    """The 12 months of the year, or the months with dossiers when no year is asked."""
    if year is not None:
        return [f"{year}-{m:02d}" for m in range(1, 13)]
    return sorted(set(found))


def compute(*, zone: Any = None, year: int | None = None) -> dict[str, Any]:
    """The figures, computed (uncached): see the module's doc."""
    from zonedesk.core.models import Zone

    rows = _received(zone, year)
    today = _today_start()
    month = TruncMonth("received_at")
    by_month_rows = _tallies(rows, {"m": month}, today)
    whole = Tally()
    months: dict[str, Tally] = {}
    for (m,), tally in by_month_rows.items():
        whole.merge(tally)
        months.setdefault(_month(m), Tally()).merge(tally)
    by_procedure = _tallies(rows, {"p": F("procedure_id")}, today)
    by_unit = _tallies(rows, {"u": _unit_key()}, today)
    by_zone = _tallies(rows, {"z": F("zone_id")}, today) if zone is None else {}
    by_procedure_month = _tallies(rows, {"p": F("procedure_id"), "m": month}, today)

    procedures = {p.pk: p for p in Procedure.objects.filter(pk__in=[k[0] for k in by_procedure])}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[k[0] for k in by_unit if k[0] is not None])}
    zones = dict(Zone.objects.filter(pk__in=[k[0] for k in by_zone]).values_list("pk", "code"))
    ordered_procedures = sorted(procedures.values(), key=lambda p: (p.order, p.code))

    def procedure_row(p: Procedure, tally: Tally) -> dict[str, Any]:
        return {"code": p.code, "name": p.name, **tally.figures()}

    per_procedure_month: dict[tuple[int, str], Tally] = {}
    for (p, m), tally in by_procedure_month.items():
        per_procedure_month.setdefault((p, _month(m)), Tally()).merge(tally)
    month_list = _months(year, months)
    whole_figures = whole.figures()
    return {
        "zone": zone.code if zone is not None else None,
        "year": year,
        "as_of": timezone.localdate().isoformat(),
        **whole_figures,
        "by_procedure": [procedure_row(p, by_procedure[(p.pk,)]) for p in ordered_procedures],
        "by_unit": [
            {"code": u.code, "name": u.name, **by_unit[(u.pk,)].figures()}
            for u in sorted(units.values(), key=lambda u: u.code)
        ],
        "by_zone": sorted(
            ({"code": zones[z], **t.figures()} for (z,), t in by_zone.items() if z in zones), key=lambda r: r["code"]
        ),
        "by_month": [{"month": m, **months.get(m, Tally()).figures()} for m in month_list],
        "by_procedure_month": [
            {"code": p.code, "month": m, **per_procedure_month[(p.pk, m)].figures()}
            for p in ordered_procedures
            for m in month_list
            if (p.pk, m) in per_procedure_month
        ],
        "index": service_index(whole_figures),
    }


def procedure_month_rows() -> Iterator[dict[str, Any]]:
    """The open dataset: for each year with dossiers, each procedure and month, the figures of all
    zones together (zone blank) and of each zone: one grouped query a year (by zone, procedure,
    month and working days), the zones' tallies added up for the whole."""
    from zonedesk.core.models import Zone

    zones = dict(Zone.objects.values_list("pk", "code"))
    codes = dict(Procedure.objects.values_list("pk", "code"))
    today = _today_start()
    for year in sorted(years()):
        found = _tallies(
            _received(None, year), {"z": F("zone_id"), "p": F("procedure_id"), "m": TruncMonth("received_at")}, today
        )
        cells: dict[tuple[str, str, int], Tally] = {}
        for (z, p, m), tally in found.items():
            month = int(_month(m)[5:])
            cells.setdefault(("", codes[p], month), Tally()).merge(tally)
            cells.setdefault((zones[z], codes[p], month), Tally()).merge(tally)
        for (zone, code, month), tally in sorted(cells.items()):
            yield {"zone": zone, "year": year, "procedure": code, "month": month, **tally.figures()}


def years() -> list[int]:
    """The years a visitor may choose, newest first: from the first receipt to this year (two
    lookups on the index of receipts, not a scan)."""
    from django.db.models import Min

    this = timezone.localdate().year
    first = Dossier.objects.aggregate(m=Min("received_at"))["m"]
    start = min(timezone.localtime(first).year, this) if first is not None else this
    return list(range(this, start - 1, -1))


def _until_midnight() -> dt.datetime:
    return _today_start() + dt.timedelta(days=1)


def _key(zone: Any, year: int | None) -> str:
    return f"dossier-figures:{zone.pk if zone is not None else '*'}:{year or '*'}:{get_language() or 'vi'}"


def figures(*, zone: Any = None, year: int | None = None) -> dict[str, Any]:
    """The one-stop desk's figures (`compute`), from the cache while no dossier has changed and
    until midnight."""
    return cached(
        PROCEDURE_FIGURES_GENERATION, _key(zone, year), lambda: (compute(zone=zone, year=year), _until_midnight())
    )


def figures_response(request: HttpRequest, *, zone: Any = None, year: int | None = None) -> HttpResponse:
    """The figures as the API's JSON, rendered once and cached as bytes (`core.jsoncache`): a
    cached answer is one read of the generation and one of the cache."""
    from zonedesk.core.jsoncache import cached_json

    return cached_json(
        request,
        PROCEDURE_FIGURES_GENERATION,
        "json:" + _key(zone, year),
        lambda: (figures(zone=zone, year=year), _until_midnight()),
    )


# --- the service index ---------------------------------------------------------------------------------------------
# Decision 766/QĐ-TTg (2022): the groups of the service index and their points (FACTS.md: split
# from a secondary source). ZoneDesk measures progress, online service and satisfaction.
INDEX_GROUPS = (
    ("transparency", 18, _("Transparency and openness")),
    ("progress", 20, _("Progress and results")),
    ("digitisation", 22, _("Digitisation of dossiers and results")),
    ("online", 12, _("Online public services")),
    ("online_payment", 10, _("Online payment")),
    ("satisfaction", 18, _("Satisfaction")),
)


def service_index(whole: dict[str, Any]) -> dict[str, Any]:
    """Points of each group ZoneDesk measures (progress: 20 × on time / received and due; online:
    12 × the online share; satisfaction: 18 × the mean rating over 5), the others "not measured"."""
    on_time = whole.get("on_time_rate")
    measured = {
        "progress": round(20 * on_time, 2) if on_time is not None else None,
        "online": round(12 * whole["online_rate"], 2) if whole.get("online_rate") is not None else None,
        "satisfaction": round(18 * whole["satisfaction"] / 5, 2) if whole.get("satisfaction") is not None else None,
    }
    groups = [
        {"group": g, "name": str(name), "points": points, "score": measured.get(g), "measured": g in measured}
        for g, points, name in INDEX_GROUPS
    ]
    got = [x for x in groups if x["measured"] and x["score"] is not None]
    return {
        "groups": groups,
        "measured_points": sum(x["points"] for x in got),
        "measured_score": round(sum(x["score"] for x in got), 2) if got else None,
    }
