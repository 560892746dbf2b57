"""The pipeline's figures, from facts: the funnel (how many prospects reached each stage, as the
timeline records it), conversion to a licence and the working days from enquiry to licence, and
the capital and jobs licensed (realised: the project in the registry, its registered capital and
the workers it reports) against what was projected at the proposal, by source, sector, country
and account manager."""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from django.db.models import QuerySet

from zonedesk.promotion.models import FUNNEL, Prospect, ProspectEvent, Source, Stage


def figures(prospects: QuerySet | None = None, *, year: int | None = None) -> dict[str, Any]:
    """Every figure of the pipeline page and the API over `prospects` (all by default; those
    recorded in `year` when given)."""
    qs = prospects if prospects is not None else Prospect.objects.all()
    if year:
        qs = qs.filter(created_at__year=year)
    rows = list(qs.select_related("manager", "project"))
    ids = [p.pk for p in rows]
    reached: dict[int, set[str]] = defaultdict(set)
    for pid, to in (
        ProspectEvent.objects.filter(prospect_id__in=ids).exclude(to_status="").values_list("prospect_id", "to_status")
    ):
        reached[pid].add(to)
    for p in rows:
        reached[p.pk].add(p.stage)
    order = {s: i for i, s in enumerate(FUNNEL)}
    funnel = []
    for stage in FUNNEL:
        n = sum(1 for p in rows if any(order.get(s, -1) >= order[stage] for s in reached[p.pk]))
        funnel.append({"stage": stage, "label": str(Stage(stage).label), "count": n})
    licensed = [p for p in rows if p.project_id is not None]
    days = [_working_days(p.created_at, p.licensed_at) for p in licensed if p.licensed_at]
    jobs = _realised_jobs({p.project_id for p in licensed})  # one query, not one a prospect and grouping

    def group(key) -> list[dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for p in rows:
            k, label = key(p)
            g = out.setdefault(
                k,
                {
                    "key": k,
                    "label": label,
                    "prospects": 0,
                    "licensed": 0,
                    "projected_capital_vnd": 0,
                    "realised_capital_vnd": 0,
                    "projected_jobs": 0,
                    "realised_jobs": 0,
                },
            )
            g["prospects"] += 1
            if p.project_id is not None:
                g["licensed"] += 1
                g["projected_capital_vnd"] += p.projected_capital_vnd or 0
                g["realised_capital_vnd"] += p.project.registered_capital_vnd or 0
                g["projected_jobs"] += p.projected_jobs or 0
                g["realised_jobs"] += jobs.get(p.project_id, 0)
        for g in out.values():
            g["conversion"] = round(g["licensed"] / g["prospects"], 4) if g["prospects"] else None
        return sorted(out.values(), key=lambda g: (-g["prospects"], str(g["label"])))

    from zonedesk.investment.models import Sector

    sources, sectors = dict(Source.choices), dict(Sector.choices)
    whole = group(lambda p: ("all", ""))
    total = (
        whole[0]
        if whole
        else {
            "prospects": 0,
            "licensed": 0,
            "projected_capital_vnd": 0,
            "realised_capital_vnd": 0,
            "projected_jobs": 0,
            "realised_jobs": 0,
            "conversion": None,
        }
    )
    return {
        "prospects": len(rows),
        "open": sum(1 for p in rows if p.is_open),
        "lost": sum(1 for p in rows if p.stage == Stage.LOST),
        "funnel": funnel,
        "licensed": total["licensed"],
        "conversion": total["conversion"],
        "median_working_days_to_licence": median(days) if days else None,
        "projected_capital_vnd": total["projected_capital_vnd"],
        "realised_capital_vnd": total["realised_capital_vnd"],
        "projected_jobs": total["projected_jobs"],
        "realised_jobs": total["realised_jobs"],
        "by_source": group(lambda p: (p.source, str(sources.get(p.source, p.source)))),
        "by_sector": group(lambda p: (p.sector, str(sectors.get(p.sector, p.sector)))),
        "by_country": group(lambda p: (p.country, p.country)),
        "by_manager": group(
            lambda p: (str(p.manager_id or ""), (p.manager.get_full_name() or p.manager.username) if p.manager else "—")
        ),
    }


def _realised_jobs(project_ids: set[int]) -> dict[int, int]:
    """The workers each licensed project reports in its latest current periodic report (none
    before its first): by project."""
    from zonedesk.investment.models import PeriodicReport

    latest: dict[int, int] = {}
    rows = (
        PeriodicReport.objects.filter(project_id__in=project_ids, is_current=True)
        .order_by("project_id", "-year", "-quarter", "-id")
        .values_list("project_id", "workers_total")
    )
    for project_id, workers in rows:
        latest.setdefault(project_id, int(workers or 0))
    return latest


def _working_days(start: Any, end: Any) -> int:
    from django.utils import timezone

    from zonedesk.core.calendar import working_days_between

    return working_days_between(timezone.localdate(start), timezone.localdate(end))
