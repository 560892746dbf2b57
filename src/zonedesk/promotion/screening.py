"""The scorecard of a prospect against the city's criteria, from its own data and the weights the
board keeps (`ScreeningWeight`, from a date). Each criterion earns a share of its points:

- capital and value added per hectare of land asked: the figure over the weight's target (VND per
  ha), at most all the points; a prospect that asks no land earns them all;
- technology (Decision 10/2021/QĐ-TTg): hi-tech products ≥ 70 % of revenue, R&D spending ≥ 0.5 /
  1 / 2 % and R&D staff with degrees ≥ 1 / 2.5 / 5 % of staff by size tier (≥ 6,000 bn VND capital
  and ≥ 3,000 staff; ≥ 100 bn VND and ≥ 200 staff; others): a third of the points per criterion met;
- jobs with degrees, exports, local suppliers: the share over the target (%);
- environment: all the points for a low impact, half for a moderate one, none for a high one.

Every line says why, for the prospect's page."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from zonedesk.promotion.models import Criterion, Environment, ScreeningWeight

BILLION = 1_000_000_000
# Decision 10/2021/QĐ-TTg: (capital from, staff from) → (R&D spending %, R&D staff %)
TIERS = [
    (6_000 * BILLION, 3_000, Decimal("0.5"), Decimal("1")),
    (100 * BILLION, 200, Decimal("1"), Decimal("2.5")),
    (0, 0, Decimal("2"), Decimal("5")),
]
HITECH_REVENUE_PCT = Decimal("70")

# what the board starts with (the demo and a fresh database): points, target
DEFAULT_WEIGHTS: dict[str, tuple[int, int]] = {
    Criterion.CAPITAL_PER_HA: (15, 200 * BILLION),  # VND per ha
    Criterion.VALUE_ADDED_PER_HA: (20, 100 * BILLION),  # VND per ha a year
    Criterion.TECHNOLOGY: (25, 0),
    Criterion.DEGREES: (15, 50),  # % of jobs
    Criterion.EXPORTS: (10, 70),  # % of revenue
    Criterion.ENVIRONMENT: (10, 0),
    Criterion.LOCAL_SUPPLIERS: (5, 40),  # % of inputs (Resolution 50-NQ/TW: 40 % by 2030)
}


@dataclass(frozen=True)
class Line:
    criterion: str
    label: str
    points: int  # earned
    out_of: int
    why: str


@dataclass(frozen=True)
class Scorecard:
    lines: list[Line]

    @property
    def total(self) -> int:
        return sum(line.points for line in self.lines)

    @property
    def out_of(self) -> int:
        return sum(line.out_of for line in self.lines)

    @property
    def score(self) -> int:
        """The total as a mark out of 100."""
        if not self.out_of:
            return 0
        return int((Decimal(self.total) * 100 / self.out_of).quantize(Decimal(1), ROUND_HALF_UP))


def weights_on(day: dt.date | None = None) -> dict[str, tuple[int, int]]:
    """Each criterion's (points, target) in force on `day`: the board's newest row from before it,
    else the default."""
    day = day or timezone.localdate()
    found: dict[str, tuple[int, int]] = {}
    for w in ScreeningWeight.objects.filter(effective_from__lte=day).order_by("criterion", "-effective_from"):
        found.setdefault(w.criterion, (w.points, w.target))
    return {c: found.get(c, DEFAULT_WEIGHTS[c]) for c in Criterion.values}


def tier(capital_vnd: int, staff: int) -> tuple[int, Decimal, Decimal]:
    """The size tier (1, 2, 3) and its minimum R&D spending and R&D staff shares, in %."""
    for i, (capital_from, staff_from, spending, rnd_staff) in enumerate(TIERS, start=1):
        if capital_vnd >= capital_from and staff >= staff_from:
            return i, spending, rnd_staff
    raise AssertionError("the last tier takes everyone")


def _share(points: int, value: Decimal, target: Decimal) -> int:
    if target <= 0:
        return points
    fraction = min(Decimal(1), max(Decimal(0), value / target))
    return int((points * fraction).quantize(Decimal(1), ROUND_HALF_UP))


def _bn(value: Decimal) -> str:
    return number_format((value / BILLION).quantize(Decimal("0.1")), force_grouping=True)


def _pct(value: Decimal) -> str:
    return number_format(value.quantize(Decimal("0.1")), force_grouping=True)


def technology_met(p: Any, *, explain: bool = True) -> tuple[list[bool], str]:
    """The three hi-tech criteria (revenue, R&D spending, R&D staff), each met or not, and why
    (when `explain`)."""
    n, spending_min, staff_min = tier(int(p.capital_vnd or 0), int(p.jobs or 0))
    staff_pct = Decimal(p.rnd_staff or 0) * 100 / Decimal(p.jobs) if p.jobs else Decimal(0)
    met = [
        Decimal(p.hitech_revenue_pct or 0) >= HITECH_REVENUE_PCT,
        Decimal(p.rnd_spending_pct or 0) >= spending_min,
        staff_pct >= staff_min,
    ]
    if not explain:
        return met, ""
    why = _(
        "Size tier %(tier)s. Hi-tech products %(rev)s %% of revenue (70 %% needed); R&D spending %(spend)s %% "
        "(%(spend_min)s %% needed); R&D staff with degrees %(staff)s %% of staff (%(staff_min)s %% needed)."
    ) % {
        "tier": n,
        "rev": _pct(Decimal(p.hitech_revenue_pct or 0)),
        "spend": _pct(Decimal(p.rnd_spending_pct or 0)),
        "spend_min": _pct(spending_min),
        "staff": _pct(staff_pct),
        "staff_min": _pct(staff_min),
    }
    return met, why


def scorecard(
    p: Any, *, on: dt.date | None = None, weights: dict[str, tuple[int, int]] | None = None, explain: bool = True
) -> Scorecard:
    """The prospect's scorecard with the weights in force on `on` (today). `explain=False` leaves
    out each line's label and reason (the score alone, for scoring every prospect again: a tenth
    of the time, the words being most of it)."""
    weights = weights or weights_on(on)
    labels = dict(Criterion.choices) if explain else {}
    why: str
    land = Decimal(p.land_ha or 0)
    lines = []
    for criterion in Criterion.values:
        points, target = weights[criterion]
        target_d = Decimal(target)
        if criterion in (Criterion.CAPITAL_PER_HA, Criterion.VALUE_ADDED_PER_HA):
            amount = Decimal(p.capital_vnd if criterion == Criterion.CAPITAL_PER_HA else p.value_added_vnd or 0)
            if land <= 0:
                earned = points
                why = _("No land asked: every point.") if explain else ""
            else:
                per_ha = amount / land
                earned = _share(points, per_ha, target_d)
                why = (
                    _("%(value)s bn VND per ha (%(target)s bn VND per ha earns every point).")
                    % {"value": _bn(per_ha), "target": _bn(target_d)}
                    if explain
                    else ""
                )
        elif criterion == Criterion.TECHNOLOGY:
            met, why = technology_met(p, explain=explain)
            earned = int((Decimal(points) * sum(met) / 3).quantize(Decimal(1), ROUND_HALF_UP))
        elif criterion == Criterion.ENVIRONMENT:
            factor = {Environment.LOW: Decimal(1), Environment.MEDIUM: Decimal("0.5")}.get(p.environment, Decimal(0))
            earned = int((points * factor).quantize(Decimal(1), ROUND_HALF_UP))
            why = str(Environment(p.environment).label) if explain and p.environment in Environment.values else ""
        else:
            if criterion == Criterion.DEGREES:
                value = Decimal(p.jobs_with_degrees or 0) * 100 / Decimal(p.jobs) if p.jobs else Decimal(0)
            elif criterion == Criterion.EXPORTS:
                value = Decimal(p.exports_pct or 0)
            else:
                value = Decimal(p.local_suppliers_pct or 0)
            earned = _share(points, value, target_d)
            why = (
                _("%(value)s %% (%(target)s %% earns every point).") % {"value": _pct(value), "target": _pct(target_d)}
                if explain
                else ""
            )
        lines.append(Line(criterion, str(labels.get(criterion, criterion)), earned, points, why))
    return Scorecard(lines)


__all__ = ["DEFAULT_WEIGHTS", "TIERS", "Line", "Scorecard", "scorecard", "technology_met", "tier", "weights_on"]
