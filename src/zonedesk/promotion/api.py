"""API of the promotion pipeline, with the pages' rules: the board's; leaders read; an agency
reads the prospects it was asked to help with. A stage move (`POST /prospects/{id}/actions`)
carries the `version` it read: a stale one is 409."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from ninja.security import django_auth

from zonedesk.core.answers import cached_answer, not_cacheable
from zonedesk.core.errors import ServiceError
from zonedesk.core.money import MAX_VND
from zonedesk.core.pagination import Pages
from zonedesk.core.schemas import ERRORS, ErrorOut, InputSchema, version_field
from zonedesk.promotion import figures as pfigures
from zonedesk.promotion import screening, selectors, services
from zonedesk.promotion.figures import PROMOTION_FIGURES_GENERATION
from zonedesk.promotion.models import Prospect, Stage

router = Router(tags=["promotion"])


def _user(request):
    if not request.user.is_authenticated:
        raise AuthenticationError
    return request.user


class ProspectOut(Schema):
    id: int
    code: str
    company: str
    country: str
    sector: str
    source: str
    stage: str
    stage_label: str
    score: int
    capital_vnd: int
    capital_usd: int
    land_ha: Decimal
    jobs: int
    manager: str | None
    next_step: str
    next_step_due: dt.date | None
    projected_capital_vnd: int | None
    projected_jobs: int | None
    dossier: str | None
    project: str | None
    version: int

    # a detail is `_row`'s dict; a page of the list is read as plain values (`ROW_VALUES`, cached
    # under the pipeline's generation by `core.pagination.Pages`) or, for a list restricted with
    # DISTINCT (an agency's), as model objects: these read each of the three
    @staticmethod
    def resolve_id(obj: Any) -> int:
        return obj.pk if isinstance(obj, Prospect) else obj["id"] if "id" in obj else obj["pk"]

    @staticmethod
    def resolve_stage_label(obj: Any) -> str:
        if isinstance(obj, Prospect):
            return str(obj.get_stage_display())
        return obj["stage_label"] if "stage_label" in obj else str(Stage(obj["stage"]).label)

    @staticmethod
    def resolve_manager(obj: Any) -> str | None:
        if isinstance(obj, Prospect):
            return obj.manager.username if obj.manager_id else None
        return obj["manager"] if "manager" in obj else obj["manager__username"]

    @staticmethod
    def resolve_dossier(obj: Any) -> str | None:
        if isinstance(obj, Prospect):
            return obj.dossier.code if obj.dossier_id else None
        return obj["dossier"] if "dossier" in obj else obj["dossier__code"]

    @staticmethod
    def resolve_project(obj: Any) -> str | None:
        if isinstance(obj, Prospect):
            return obj.project.code if obj.project_id else None
        return obj["project"] if "project" in obj else obj["project__code"]


ROW_VALUES = (
    "code",
    "company",
    "country",
    "sector",
    "source",
    "stage",
    "score",
    "capital_vnd",
    "capital_usd",
    "land_ha",
    "jobs",
    "manager__username",
    "next_step",
    "next_step_due",
    "projected_capital_vnd",
    "projected_jobs",
    "dossier__code",
    "project__code",
    "version",
)


class LineOut(Schema):
    criterion: str
    label: str
    points: int
    out_of: int
    why: str


class ProspectDetailOut(ProspectOut):
    project_name: str
    jobs_with_degrees: int
    value_added_vnd: int
    hitech_revenue_pct: Decimal
    rnd_spending_pct: Decimal
    rnd_staff: int
    exports_pct: Decimal
    local_suppliers_pct: Decimal
    environment: str
    lost_reason: str
    scorecard: list[LineOut]
    actions: list[str]


def _row(p: Prospect) -> dict[str, Any]:
    return {
        "id": p.pk,
        "code": p.code,
        "company": p.company,
        "country": p.country,
        "sector": p.sector,
        "source": p.source,
        "stage": p.stage,
        "stage_label": str(p.get_stage_display()),
        "score": p.score,
        "capital_vnd": p.capital_vnd,
        "capital_usd": p.capital_usd,
        "land_ha": p.land_ha,
        "jobs": p.jobs,
        "manager": p.manager.username if p.manager_id else None,
        "next_step": p.next_step,
        "next_step_due": p.next_step_due,
        "projected_capital_vnd": p.projected_capital_vnd,
        "projected_jobs": p.projected_jobs,
        "dossier": p.dossier.code if p.dossier_id else None,
        "project": p.project.code if p.project_id else None,
        "version": p.version,
    }


def _detail(request, p: Prospect) -> dict[str, Any]:
    from zonedesk.promotion.workflow import PROSPECT

    card = screening.scorecard(p)
    return {
        **_row(p),
        **{
            f: getattr(p, f)
            for f in (
                "project_name",
                "jobs_with_degrees",
                "value_added_vnd",
                "hitech_revenue_pct",
                "rnd_spending_pct",
                "rnd_staff",
                "exports_pct",
                "local_suppliers_pct",
                "environment",
                "lost_reason",
            )
        },
        "scorecard": [line.__dict__ for line in card.lines],
        "actions": [t.action for t in PROSPECT.allowed(p, request.user)],
    }


def _prospect(request, prospect_id: int) -> Prospect:
    p = (
        Prospect.objects.restrict(_user(request))
        .select_related("manager", "dossier", "project")
        .filter(pk=prospect_id)
        .first()
    )
    if p is None:
        raise Http404(_("No such prospect."))
    return p


class ListQuery(Schema):
    stage: str = Field("", max_length=20)
    source: str = Field("", max_length=20)
    sector: str = Field("", max_length=20)
    country: str = Field("", max_length=2)
    manager: str = Field("", max_length=12)
    min_score: str = Field("", max_length=3)
    overdue: bool = False
    q: str = Field("", max_length=100)
    sort: str = Field("score", max_length=10)


@router.get("/prospects", response={200: list[ProspectOut], 401: ErrorOut}, summary="Prospects I may see")
@cached_answer(PROMOTION_FIGURES_GENERATION)  # every write of a prospect bumps it (promotion/apps.py)
@paginate(Pages, values=ROW_VALUES)
def prospect_list(request, query: Query[ListQuery]):
    """A page of the pipeline (`page`, `page_size` up to 100), with the count of every row; read as
    plain values, the answer cached under the pipeline's generation (`core.answers`), except the
    overdue ones' (they change at midnight, not with a write)."""
    user = _user(request)
    if query.overdue:
        not_cacheable(request)
    params = {k: ("1" if v is True else "" if v is False else v) for k, v in query.model_dump().items()}
    return selectors.prospects_for(user, params)


class ProspectIn(InputSchema):
    company: str = Field(..., max_length=255)
    country: str = Field(..., max_length=2)
    sector: str = Field(..., max_length=20)
    source: str = Field(..., max_length=20)
    project_name: str = Field("", max_length=255)
    capital_vnd: int = Field(0, ge=0, le=MAX_VND)
    capital_usd: int = Field(0, ge=0, le=MAX_VND)
    land_ha: Decimal = Field(Decimal(0), ge=0, le=100_000, max_digits=8, decimal_places=2)
    land_use: str = Field("", max_length=20)
    needs_networks: bool = True
    jobs: int = Field(0, ge=0, le=1_000_000)
    jobs_with_degrees: int = Field(0, ge=0, le=1_000_000)
    technology: str = Field("", max_length=5000)
    value_added_vnd: int = Field(0, ge=0, le=MAX_VND)
    rnd_spending_pct: Decimal = Field(Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2)
    rnd_staff: int = Field(0, ge=0, le=1_000_000)
    hitech_revenue_pct: Decimal = Field(Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2)
    exports_pct: Decimal = Field(Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2)
    environment: str = Field("medium", max_length=10)
    environment_notes: str = Field("", max_length=5000)
    local_suppliers_pct: Decimal = Field(Decimal(0), ge=0, le=100, max_digits=5, decimal_places=2)


@router.post("/prospects", response={201: ProspectDetailOut, **ERRORS}, auth=django_auth, summary="Record a prospect")
def prospect_create(request, payload: ProspectIn):
    p = services.prospect_create(by=request.user, **payload.model_dump())
    return 201, _detail(request, _prospect(request, p.pk))


class FiguresQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/prospects/figures", response={200: dict, 401: ErrorOut}, summary="The pipeline's figures")
def prospect_figures(request, query: Query[FiguresQuery]):
    """Cached as the JSON sent, gzipped once (`core.jsoncache`), under the pipeline's generation."""
    from zonedesk.core.jsoncache import cached_json

    qs = Prospect.objects.restrict(_user(request))
    key = "json:" + pfigures.cache_key(qs, query.year)
    return cached_json(
        request, PROMOTION_FIGURES_GENERATION, key, lambda: (pfigures.compute(qs, year=query.year), None)
    )


@router.get(
    "/prospects/{prospect_id}",
    response={200: ProspectDetailOut, 401: ErrorOut, 404: ErrorOut},
    summary="One prospect, with its scorecard",
)
def prospect_detail(request, prospect_id: int):
    return _detail(request, _prospect(request, prospect_id))


class ActionIn(InputSchema):
    action: str = Field(
        ..., max_length=30, description="qualify, visit, propose, decide, file_dossier, aftercare, lose, reopen"
    )
    version: int = version_field("prospect")
    reason: str = Field("", max_length=5000)
    dossier: str = Field("", max_length=40, description="file_dossier: the code of the dossier filed")


@router.post(
    "/prospects/{prospect_id}/actions",
    response={200: ProspectDetailOut, **ERRORS},
    auth=django_auth,
    summary="Move a prospect to its next stage",
)
def prospect_action(request, prospect_id: int, payload: ActionIn):
    from zonedesk.procedures.models import Dossier

    p = _prospect(request, prospect_id)
    dossier = None
    if payload.dossier.strip() and payload.action != "file_dossier":  # said, never ignored in silence
        raise ServiceError({"dossier": _("A dossier is named only to link it (the action file_dossier).")})
    if payload.action == "file_dossier":
        dossier = Dossier.objects.filter(code=payload.dossier.strip()).select_related("procedure").first()
        if dossier is None:
            raise ServiceError({"dossier": _("No dossier has this code.")})
    services.prospect_act(
        p, payload.action, by=request.user, version=payload.version, reason=payload.reason, dossier=dossier
    )
    return _detail(request, _prospect(request, prospect_id))


__all__ = ["router"]
