"""The board's periodic report to the city, for a zone (or every zone) and a year.

Every number comes from the selectors the dashboard and the other pages use, called with the
same arguments, so the report and the pages cannot disagree: `investment.selectors.zone_figures`
(this year and last), `investment_attraction`, `projects_behind_schedule`,
`petitions.selectors.petition_figures` (its breakdown by agency), `roadmaps.selectors.
clearance_totals` and `ecosystem.selectors.scorecard`. This module only puts them side by side.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zonedesk.core.models import Agency, Zone
from zonedesk.ecosystem.selectors import scorecard
from zonedesk.investment.selectors import (
    figures_as_of,
    investment_attraction,
    projects_behind_schedule,
    zone_figures,
)
from zonedesk.petitions.selectors import petition_figures
from zonedesk.roadmaps.selectors import clearance_totals


@dataclass(frozen=True)
class Line:
    key: str
    label: Promise
    unit: str  # "vnd" or "count"


# the results set against the same period of last year, in the dashboard's keys
RESULTS = (
    Line("revenue_vnd", _("Revenue"), "vnd"),
    Line("export_vnd", _("Export"), "vnd"),
    Line("import_vnd", _("Import"), "vnd"),
    Line("taxes_paid_vnd", _("Taxes paid to the budget"), "vnd"),
    Line("rnd_spend_vnd", _("R&D spending"), "vnd"),
    Line("workers", _("Workers"), "count"),
    Line("workers_degree", _("Workers with a university degree"), "count"),
    Line("registered_capital_vnd", _("Registered capital (projects in force)"), "vnd"),
    Line("disbursed_capital_vnd", _("Capital disbursed (cumulative)"), "vnd"),
)
ATTRACTION = (
    Line("new_projects", _("New projects"), "count"),
    Line("new_capital_vnd", _("Capital of new projects"), "vnd"),
    Line("new_foreign_projects", _("of which foreign-invested projects"), "count"),
    Line("new_foreign_capital_vnd", _("of which foreign-invested capital"), "vnd"),
    Line("amendments", _("Certificate amendments"), "count"),
    Line("capital_added_vnd", _("Capital added by amendments"), "vnd"),
    Line("capital_removed_vnd", _("Capital reduced by amendments"), "vnd"),
    Line("terminated_projects", _("Projects terminated"), "count"),
    Line("terminated_capital_vnd", _("Capital of terminated projects"), "vnd"),
    Line("net_capital_vnd", _("Net capital attracted"), "vnd"),
)


def change_pct(now: int | None, before: int | None) -> Decimal | None:
    """The change from last year in percent, one decimal; None without a base."""
    if now is None or not before:
        return None
    return (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.1"))


def _compare(lines: tuple[Line, ...], now: dict[str, Any], before: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": line.key,
            "label": line.label,
            "unit": line.unit,
            "now": now.get(line.key),
            "before": before.get(line.key),
            "change_pct": change_pct(now.get(line.key), before.get(line.key)),
        }
        for line in lines
    ]


def _same_day_last_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def board_report(*, user: Any, zone: Zone | None, year: int, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    zones = [zone] if zone is not None else list(Zone.objects.order_by("code"))
    as_of = figures_as_of(year, today)
    complete = as_of == dt.date(year, 12, 31)
    now, before = zone_figures(zone=zone, year=year), zone_figures(zone=zone, year=year - 1)
    results = _compare(RESULTS, now, before)
    if not complete:  # the reports of a year under way against a whole year: no change is shown
        for row in results:
            row["change_pct"] = None
    results.insert(
        0,
        {
            "key": "projects",
            "label": _("Projects in force"),
            "unit": "count",
            "now": now["projects"]["total"],
            "before": before["projects"]["total"],
            "change_pct": change_pct(now["projects"]["total"], before["projects"]["total"]) if complete else None,
        },
    )
    attraction = _compare(  # registrations are dated: the same period of last year, day for day
        ATTRACTION,
        investment_attraction(zone=zone, year=year, today=today),
        investment_attraction(zone=zone, year=year - 1, today=_same_day_last_year(as_of)),
    )

    petitions = petition_figures(zone=zone, year=year)
    names = {a.code: a.name for a in Agency.objects.all()}
    agencies = [
        {**row, "name": names.get(row["key"], row["key"]) if row["key"] else str(_("Not yet assigned"))}
        for row in petitions["by_agency"]
    ]
    agencies.sort(key=lambda r: (not r["key"], -(r["resolved_on_time_rate"] or 0), r["name"]))

    clearance = [{"zone": z, "totals": clearance_totals(user=user, zone=z)} for z in zones]
    clearance = [c for c in clearance if c["totals"].packages]
    clearance_all = clearance_totals(user=user, zone=zone)

    scorecards = [scorecard(zone=z, year=year) for z in zones]
    return {
        "zone": zone,
        "zones": zones,
        "year": year,
        "as_of": as_of,
        "complete": complete,
        "made_on": today,
        "figures": now,
        "figures_before": before,
        "results": results,
        "attraction": attraction,
        "behind": projects_behind_schedule(zone=zone, today=today),
        "petitions": petitions,
        "agencies": agencies,
        "clearance": clearance,
        "clearance_all": clearance_all,
        "scorecards": scorecards,
    }
