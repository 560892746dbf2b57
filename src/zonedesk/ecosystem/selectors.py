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

from django.db.models import QuerySet

from zonedesk.core.models import Zone
from zonedesk.ecosystem.models import Actor, ActorKind, Computed, Condition, Indicator, Measurement, Target

ONE = Decimal(1)
CENT = Decimal("0.1")


def actors(*, zone: Zone | None = None, kind: str | None = None) -> QuerySet:
    qs = Actor.objects.select_related("zone", "enterprise", "project")
    if zone is not None:
        qs = qs.filter(zone=zone)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def _active(actor: Actor, year: int) -> bool:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return (actor.active_from is None or actor.active_from <= end) and (
        actor.active_until is None or actor.active_until >= start
    )


def _figures(zone: Zone, year: int) -> dict[str, Any]:
    from zonedesk.investment.selectors import zone_figures

    return zone_figures(zone=zone, year=year)


def registry_of(zone: Zone) -> list[Actor]:
    """A zone's actors, read once for every count of a scorecard (and of its trend)."""
    return list(Actor.objects.filter(zone=zone))


def computed_value(computed: str, zone: Zone, year: int, registry: list[Actor] | None = None) -> Decimal | None:
    """What the registry (and, for two indicators, the periodic reports) says for a year."""
    actors = registry_of(zone) if registry is None else registry

    def active(*kinds: str, **where: Any) -> list[Actor]:
        return [
            a
            for a in actors
            if a.kind in kinds and _active(a, year) and all(getattr(a, k) == v for k, v in where.items())
        ]

    if computed == Computed.UNIVERSITIES:
        return Decimal(len(active(ActorKind.UNIVERSITY, ActorKind.INSTITUTE)))
    if computed == Computed.RESEARCHERS:
        researchers = sum(a.researchers or 0 for a in actors if _active(a, year))
        workers = _figures(zone, year)["workers"]
        if not workers:
            return None
        return (Decimal(researchers) * 1000 / workers).quantize(CENT, ROUND_HALF_UP)
    if computed == Computed.RD_CENTRES:
        return Decimal(len(active(ActorKind.RD_CENTRE)))
    if computed == Computed.RD_CENTRES_FOREIGN:
        return Decimal(len(active(ActorKind.RD_CENTRE, foreign=True)))
    if computed == Computed.BUSINESS_RD:
        figures = _figures(zone, year)
        if not figures["revenue_vnd"]:
            return None
        return (Decimal(figures["rnd_spend_vnd"]) * 100 / figures["revenue_vnd"]).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    if computed == Computed.INTERMEDIARIES:
        return Decimal(len(active(ActorKind.INCUBATOR, ActorKind.ACCELERATOR, ActorKind.TTO)))
    if computed == Computed.FUNDS:
        return Decimal(len(active(ActorKind.FUND)))
    if computed == Computed.FUND_CAPITAL:
        vnd = sum(a.capital_committed_vnd or 0 for a in active(ActorKind.FUND))
        return (Decimal(vnd) / 10**9).quantize(CENT, ROUND_HALF_UP)
    if computed == Computed.SANDBOXES:
        return Decimal(len(active(ActorKind.SANDBOX)))
    if computed == Computed.INFRASTRUCTURE:
        works = [a for a in actors if a.kind == ActorKind.INFRASTRUCTURE]
        if not works:
            return None
        built = [a for a in works if a.active_from is not None and a.active_from <= dt.date(year, 12, 31)]
        return (Decimal(len(built)) * 100 / len(works)).quantize(CENT, ROUND_HALF_UP)
    if computed == Computed.TRANSPORT:
        return Decimal(len([a for a in active(ActorKind.TRANSPORT) if a.active_from is not None]))
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


def scorecard(
    *, zone: Zone, year: int, registry: list[Actor] | None = None, indicators: list[Indicator] | None = None
) -> dict[str, Any]:
    registry = registry_of(zone) if registry is None else registry
    if indicators is None:
        indicators = list(Indicator.objects.select_related("condition").order_by("condition__number", "position"))
    targets = dict(Target.objects.filter(zone=zone, year=year).values_list("indicator_id", "value"))
    measured = {m.indicator_id: m for m in Measurement.objects.filter(zone=zone, year=year)}
    by_condition: dict[int, ConditionScore] = {}
    for c in Condition.objects.order_by("number"):
        by_condition[c.pk] = ConditionScore(condition=c)
    for ind in indicators:
        if ind.computed:
            value, source = computed_value(ind.computed, zone, year, registry), ind.get_computed_display()
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
    registry = registry_of(zone)
    indicators = list(Indicator.objects.select_related("condition").order_by("condition__number", "position"))
    cards = [scorecard(zone=zone, year=y, registry=registry, indicators=indicators) for y in years]
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
