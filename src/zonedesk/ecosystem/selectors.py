"""Reads of the innovation ecosystem: values counted from the registry, the scorecard of a zone
and year (attainment of each indicator, each condition's score), its trend over the years, and
the roadmap milestones that act on each condition.

Arithmetic of the scorecard:
- attainment of an indicator = value / target when higher is better, target / value when lower
  is better (a value of 0 against a lower-is-better target attains it fully; so does any value
  against a target of 0 when higher is better); none when the value or the target is missing;
- for a score an attainment counts at most 100% (exceeding one target does not hide another);
- a condition's score = the mean of its indicators' attainments that exist, in per cent; none
  when no indicator of it has both a value and a target (the missing ones are counted and shown);
- the overall score = the mean of the conditions' scores that exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from zonedesk.core.models import Zone
from zonedesk.ecosystem.models import Actor, ActorKind, Computed, Condition, Indicator, Measurement, Target

ONE = Decimal(1)
CENT = Decimal("0.1")


def active_in(year: int) -> Q:
    """Actors active at some time in the year (no dates: active)."""
    return (Q(active_from__isnull=True) | Q(active_from__lte=dt.date(year, 12, 31))) & (
        Q(active_until__isnull=True) | Q(active_until__gte=dt.date(year, 1, 1))
    )


def actors(*, zone: Zone | None = None, kind: str | None = None) -> QuerySet:
    qs = Actor.objects.select_related("zone", "enterprise", "project")
    if zone is not None:
        qs = qs.filter(zone=zone)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _count(zone: Zone, year: int, *kinds: str, **extra: Any) -> Decimal:
    return Decimal(Actor.objects.filter(active_in(year), zone=zone, kind__in=kinds, **extra).count())


def _figures(zone: Zone, year: int) -> dict[str, Any]:
    from zonedesk.investment.selectors import zone_figures

    return zone_figures(zone=zone, year=year)


def computed_value(computed: str, zone: Zone, year: int) -> Decimal | None:
    """What the registry (and, for two indicators, the periodic reports) says for a year."""
    if computed == Computed.UNIVERSITIES:
        return _count(zone, year, ActorKind.UNIVERSITY, ActorKind.INSTITUTE)
    if computed == Computed.RESEARCHERS:
        researchers = Actor.objects.filter(active_in(year), zone=zone).aggregate(n=Sum("researchers"))["n"] or 0
        workers = _figures(zone, year)["workers"]
        if not workers:
            return None
        return (Decimal(researchers) * 1000 / workers).quantize(CENT, ROUND_HALF_UP)
    if computed == Computed.RD_CENTRES:
        return _count(zone, year, ActorKind.RD_CENTRE)
    if computed == Computed.RD_CENTRES_FOREIGN:
        return _count(zone, year, ActorKind.RD_CENTRE, foreign=True)
    if computed == Computed.BUSINESS_RD:
        figures = _figures(zone, year)
        if not figures["revenue_vnd"]:
            return None
        return (Decimal(figures["rnd_spend_vnd"]) * 100 / figures["revenue_vnd"]).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    if computed == Computed.INTERMEDIARIES:
        return _count(zone, year, ActorKind.INCUBATOR, ActorKind.ACCELERATOR, ActorKind.TTO)
    if computed == Computed.FUNDS:
        return _count(zone, year, ActorKind.FUND)
    if computed == Computed.FUND_CAPITAL:
        vnd = (
            Actor.objects.filter(active_in(year), zone=zone, kind=ActorKind.FUND).aggregate(
                s=Sum("capital_committed_vnd")
            )["s"]
            or 0
        )
        return (Decimal(vnd) / 10**9).quantize(CENT, ROUND_HALF_UP)
    if computed == Computed.SANDBOXES:
        return _count(zone, year, ActorKind.SANDBOX)
    if computed == Computed.INFRASTRUCTURE:
        works = Actor.objects.filter(zone=zone, kind=ActorKind.INFRASTRUCTURE)
        planned = works.count()
        if not planned:
            return None
        built = works.filter(active_from__isnull=False, active_from__lte=dt.date(year, 12, 31)).count()
        return (Decimal(built) * 100 / planned).quantize(CENT, ROUND_HALF_UP)
    if computed == Computed.TRANSPORT:
        return _count(zone, year, ActorKind.TRANSPORT, active_from__isnull=False)
    raise ValueError(f"unknown computed indicator {computed!r}")


def attainment(value: Decimal | None, target: Decimal | None, *, lower_is_better: bool) -> Decimal | None:
    """Value against target as a fraction (1 = attained), before any cap; None when either is missing."""
    if value is None or target is None:
        return None
    if lower_is_better:
        return ONE if value == 0 else Decimal(target) / Decimal(value)
    return ONE if target == 0 else Decimal(value) / Decimal(target)


def _pct(fraction: Decimal | None) -> Decimal | None:
    return None if fraction is None else (fraction * 100).quantize(CENT, ROUND_HALF_UP)


@dataclass
class Row:
    indicator: Indicator
    value: Decimal | None
    target: Decimal | None
    source: str
    attainment_pct: Decimal | None  # uncapped, as it is

    @property
    def score_pct(self) -> Decimal | None:
        return None if self.attainment_pct is None else min(self.attainment_pct, Decimal(100))


@dataclass
class ConditionScore:
    condition: Condition
    rows: list[Row] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        scores = [r.score_pct for r in self.rows if r.score_pct is not None]
        return (sum(scores) / len(scores)).quantize(CENT, ROUND_HALF_UP) if scores else None

    @property
    def missing(self) -> int:
        return sum(r.attainment_pct is None for r in self.rows)


def scorecard(*, zone: Zone, year: int) -> dict[str, Any]:
    indicators = list(Indicator.objects.select_related("condition").order_by("condition__number", "position"))
    targets = dict(Target.objects.filter(zone=zone, year=year).values_list("indicator_id", "value"))
    measured = {m.indicator_id: m for m in Measurement.objects.filter(zone=zone, year=year)}
    by_condition: dict[int, ConditionScore] = {}
    for c in Condition.objects.order_by("number"):
        by_condition[c.pk] = ConditionScore(condition=c)
    for ind in indicators:
        if ind.computed:
            value, source = computed_value(ind.computed, zone, year), ind.get_computed_display()
        elif ind.pk in measured:
            value, source = measured[ind.pk].value, measured[ind.pk].source
        else:
            value, source = None, ""
        target = targets.get(ind.pk)
        row = Row(
            indicator=ind,
            value=value,
            target=target,
            source=source,
            attainment_pct=_pct(attainment(value, target, lower_is_better=ind.lower_is_better)),
        )
        by_condition[ind.condition_id].rows.append(row)
    conditions = list(by_condition.values())
    scores = [c.score for c in conditions if c.score is not None]
    return {
        "zone": zone,
        "year": year,
        "conditions": conditions,
        "overall": (sum(scores) / len(scores)).quantize(CENT, ROUND_HALF_UP) if scores else None,
        "missing": sum(c.missing for c in conditions),
    }


def years_with_data(zone: Zone) -> list[int]:
    years = set(Target.objects.filter(zone=zone).values_list("year", flat=True))
    years |= set(Measurement.objects.filter(zone=zone).values_list("year", flat=True))
    return sorted(years)


def trend(*, zone: Zone, years: list[int]) -> list[dict[str, Any]]:
    """Each condition's score in each year (None where it cannot be scored)."""
    cards = [scorecard(zone=zone, year=y) for y in years]
    rows = []
    for i, c in enumerate(Condition.objects.order_by("number")):
        rows.append({"condition": c, "scores": [card["conditions"][i].score for card in cards]})
    return rows


def actions(*, user: Any, zone: Zone, today: dt.date) -> dict[int, list[Any]]:
    """The roadmap milestones linked to each condition (by condition id), that the person may see,
    each with its status on `today`."""
    from zonedesk.roadmaps.models import Milestone, Roadmap
    from zonedesk.roadmaps.status import status_of

    milestones = (
        Milestone.objects.filter(
            condition__isnull=False, roadmap__in=Roadmap.objects.restrict(user), roadmap__zone=zone
        )
        .select_related("roadmap")
        .order_by("planned_end", "pk")
    )
    out: dict[int, list[Any]] = {}
    for m in milestones:
        m.status = status_of(m, today)
        out.setdefault(m.condition_id, []).append(m)
    return out
