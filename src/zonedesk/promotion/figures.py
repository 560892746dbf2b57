"""The pipeline's figures, from facts: the funnel (how many prospects reached each stage, as the
timeline records it), conversion to a licence and the working days from enquiry to licence, and
the capital and jobs licensed (realised: the project in the registry, its registered capital and
the workers it reports) against what was projected at the proposal, by source, sector, country
and account manager."""

from __future__ import annotations

from collections import defaultdict
from statistics import median
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import get_language

from zonedesk.promotion.models import FUNNEL, OPEN_STAGES, Prospect, ProspectEvent, Source, Stage

PROMOTION_FIGURES_GENERATION = "promotion.figures"  # every write of a prospect or its timeline bumps it

EMPTY_TOTAL = {
    "prospects": 0,
    "licensed": 0,
    "projected_capital_vnd": 0,
    "realised_capital_vnd": 0,
    "projected_jobs": 0,
    "realised_jobs": 0,
    "conversion": None,
}


def figures(prospects: QuerySet | None = None, *, year: int | None = None) -> dict[str, Any]:
    """`compute`, from the cache while no prospect, no step of a timeline and nothing of the
    registry has changed. The key is the exact SQL of what the reader may see (an agency's
    prospects are not the board's), the year, the language and the registry's generation (the
    realised capital and jobs are the registry's)."""
    from zonedesk.core.generations import cached

    qs = prospects if prospects is not None else Prospect.objects.all()
    return cached(PROMOTION_FIGURES_GENERATION, cache_key(qs, year), lambda: (compute(qs, year=year), None))


def cache_key(prospects: QuerySet, year: int | None) -> str:
    """What the figures of `prospects` depend on besides the pipeline's generation: the exact SQL
    of the prospects the reader may see, the year, the language, the registry's generation."""
    from zonedesk.core.generations import generation
    from zonedesk.investment.selectors import FIGURES_GENERATION

    sql, params = prospects.order_by().values("pk").query.sql_with_params()
    return repr(("prospect-figures", sql, params, year, get_language() or "vi", generation(FIGURES_GENERATION)))


def compute(prospects: QuerySet | None = None, *, year: int | None = None) -> dict[str, Any]:
    """Every figure of the pipeline page and the API over `prospects` (all by default; those
    recorded in `year` when given), counted in the database: the funnel in one query (a prospect
    counts at every stage up to the furthest its timeline reached), the groups in one query each;
    only the licensed prospects (a few in a hundred) are read as rows, for the median time to a
    licence and the jobs their projects report."""
    qs = prospects if prospects is not None else Prospect.objects.all()
    if year:
        qs = qs.filter(created_at__year=year)
    qs = qs.order_by()
    funnel_counts = qs.aggregate(
        **{
            stage: Count(
                "pk",
                filter=Q(stage__in=FUNNEL[i:])
                | Q(Exists(ProspectEvent.objects.filter(prospect=OuterRef("pk"), to_status__in=FUNNEL[i:]))),
            )
            for i, stage in enumerate(FUNNEL)
        },
        prospects=Count("pk"),
        open=Count("pk", filter=Q(stage__in=sorted(OPEN_STAGES))),
        lost=Count("pk", filter=Q(stage=Stage.LOST)),
    )
    funnel = [{"stage": s, "label": str(Stage(s).label), "count": funnel_counts[s]} for s in FUNNEL]
    licensed = list(
        qs.filter(project__isnull=False).values(
            "pk", "project_id", "created_at", "licensed_at", "source", "sector", "country", "manager_id"
        )
    )
    days = [_working_days(p["created_at"], p["licensed_at"]) for p in licensed if p["licensed_at"]]
    jobs = _realised_jobs({p["project_id"] for p in licensed})  # one query, not one a prospect

    def group(field: str | None, label) -> list[dict[str, Any]]:
        """The prospects by `field` (all in one group when None): counts and sums in the
        database, the jobs the licensed ones' projects report added from `jobs`."""
        sums = {
            "prospects": Count("pk"),
            "licensed": Count("pk", filter=Q(project__isnull=False)),
            "projected_capital_vnd": Coalesce(Sum("projected_capital_vnd", filter=Q(project__isnull=False)), 0),
            "realised_capital_vnd": Coalesce(Sum("project__registered_capital_vnd"), 0),
            "projected_jobs": Coalesce(Sum("projected_jobs", filter=Q(project__isnull=False)), 0),
        }
        rows = qs.values(field).annotate(**sums) if field else [qs.aggregate(**sums)]
        realised: dict[Any, int] = defaultdict(int)
        for p in licensed:
            realised[p[field] if field else None] += jobs.get(p["project_id"], 0)
        out = []
        for r in rows:
            k = r[field] if field else None
            out.append(
                {
                    "key": "all" if field is None else ("" if k is None else str(k)),
                    "label": label(k),
                    "prospects": r["prospects"],
                    "licensed": r["licensed"],
                    "projected_capital_vnd": int(r["projected_capital_vnd"]),
                    "realised_capital_vnd": int(r["realised_capital_vnd"]),
                    "projected_jobs": int(r["projected_jobs"]),
                    "realised_jobs": realised[k],
                    "conversion": round(r["licensed"] / r["prospects"], 4) if r["prospects"] else None,
                }
            )
        return sorted(out, key=lambda g: (-g["prospects"], str(g["label"])))

    from django.contrib.auth import get_user_model

    from zonedesk.investment.models import Sector

    sources, sectors = dict(Source.choices), dict(Sector.choices)
    managers = {
        u.pk: u.get_full_name() or u.username
        for u in get_user_model().objects.filter(pk__in=qs.values("manager_id").distinct())
    }
    whole = group(None, lambda k: "")
    total = whole[0] if whole and whole[0]["prospects"] else EMPTY_TOTAL
    return {
        "prospects": funnel_counts["prospects"],
        "open": funnel_counts["open"],
        "lost": funnel_counts["lost"],
        "funnel": funnel,
        "licensed": total["licensed"],
        "conversion": total["conversion"],
        "median_working_days_to_licence": median(days) if days else None,
        "projected_capital_vnd": total["projected_capital_vnd"],
        "realised_capital_vnd": total["realised_capital_vnd"],
        "projected_jobs": total["projected_jobs"],
        "realised_jobs": total["realised_jobs"],
        "by_source": group("source", lambda k: str(sources.get(k, k))),
        "by_sector": group("sector", lambda k: str(sectors.get(k, k))),
        "by_country": group("country", lambda k: k),
        "by_manager": group("manager_id", lambda k: managers.get(k, "—")),
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
