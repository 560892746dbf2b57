"""API of the investment registry: figures, investors, enterprises, projects, reports."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from zonedesk.core.models import Zone
from zonedesk.core.permissions import get_restricted_or_404, has_capability
from zonedesk.core.text import fold
from zonedesk.investment import selectors, services
from zonedesk.investment.models import Enterprise, Investor, PeriodicReport, PeriodKind, Project

router = Router(tags=["investment"])


def _default_year() -> int:
    return timezone.localdate().year - 1


# --- figures ------------------------------------------------------------------------------


class ProjectCounts(Schema):
    total: int
    domestic: int
    foreign: int


class FiguresOut(Schema):
    zone: str | None = Field(description="Zone code; null for all zones")
    year: int
    as_of: dt.date = Field(description="Counts and capital are as of this day")
    projects: ProjectCounts
    registered_capital_vnd: int
    disbursed_capital_vnd: int
    disbursement_rate: float | None = Field(description="Disbursed / registered capital, 0..1")
    workers: int
    workers_degree: int
    revenue_vnd: int = Field(description="Revenue of the year")
    export_vnd: int
    import_vnd: int
    rnd_spend_vnd: int
    taxes_paid_vnd: int
    land_area_m2: float
    leasable_area_m2: float
    land_registration_rate: float | None = Field(description="Land of projects / land for projects, 0..1")


class YearQuery(Schema):
    year: int = Field(default_factory=_default_year, ge=1990, le=2200)


@router.get("/zones/{code}/figures", response=FiguresOut, tags=["figures"], summary="Figures of a zone")
def zone_figures(request, code: str, query: Query[YearQuery]):
    zone = get_object_or_404(Zone, code=code)
    return selectors.zone_figures(zone=zone, year=query.year)


@router.get("/figures", response=FiguresOut, tags=["figures"], summary="Figures of all zones")
def all_figures(request, query: Query[YearQuery]):
    return selectors.zone_figures(zone=None, year=query.year)


# --- investors and enterprises ------------------------------------------------------------


class InvestorOut(Schema):
    id: int
    name: str
    kind: str
    nationality: str
    is_foreign: bool
    is_synthetic: bool


class SearchQuery(Schema):
    q: str = ""


@router.get("/investors", response=list[InvestorOut], summary="Investors")
@paginate(PageNumberPagination)
def investors(request, query: Query[SearchQuery]):
    qs = Investor.objects.order_by("name", "pk")
    for word in fold(query.q).split():
        qs = qs.filter(name_folded__contains=word)
    return qs


class EnterpriseOut(Schema):
    id: int
    name: str
    tax_code: str
    zone: str = Field(alias="zone.code")
    address: str
    is_synthetic: bool


@router.get("/enterprises", response=list[EnterpriseOut], summary="Enterprises")
@paginate(PageNumberPagination)
def enterprises(request, query: Query[SearchQuery]):
    qs = Enterprise.objects.restrict(request.user, "view").select_related("zone").order_by("name", "pk")
    for word in fold(query.q).split():
        qs = qs.filter(name_folded__contains=word)
    return qs


# --- projects -----------------------------------------------------------------------------


class MilestoneOut(Schema):
    kind: str
    title: str
    planned_date: dt.date
    actual_date: dt.date | None


class ProjectOut(Schema):
    """The public fields of a project (what its certificate makes public)."""

    code: str
    name_vi: str
    name_en: str
    zone: str = Field(alias="zone.code")
    enterprise: str = Field(alias="enterprise.name")
    sector: str
    status: str
    is_foreign_invested: bool
    registered_capital_vnd: int
    registered_capital_usd: int | None
    land_area_m2: Decimal
    certificate_date: dt.date
    is_synthetic: bool


class ProjectDetailOut(ProjectOut):
    milestones: list[MilestoneOut]
    targets: dict | None = Field(None, description="Only for the board and the project's enterprise")


class ProjectQuery(Schema):
    q: str = ""
    zone: str = ""
    sector: str = ""
    status: str = ""
    ownership: str = Field("", pattern="^(|domestic|foreign)$")


@router.get("/projects", response=list[ProjectOut], summary="Projects, filtered and searched")
@paginate(PageNumberPagination)
def projects(request, query: Query[ProjectQuery]):
    filters = selectors.ProjectFilters.from_mapping(query.dict())
    return selectors.project_list(user=request.user, filters=filters)


@router.get("/projects/{code}", response=ProjectDetailOut, summary="One project")
def project(request, code: str):
    p = get_restricted_or_404(Project.objects.select_related("zone", "enterprise"), request.user, code=code)
    p.targets = None
    if Project.objects.restrict(request.user, "view_private").filter(pk=p.pk).exists():
        p.targets = {
            "workers": p.target_workers,
            "revenue_vnd": p.target_revenue_vnd,
            "export_vnd": p.target_export_vnd,
        }
    return p


# --- periodic reports ---------------------------------------------------------------------


class ReportFigures(Schema):
    revenue_vnd: int = Field(0, ge=0)
    export_vnd: int = Field(0, ge=0)
    import_vnd: int = Field(0, ge=0)
    workers_total: int = Field(0, ge=0)
    workers_degree: int = Field(0, ge=0)
    rnd_spend_vnd: int = Field(0, ge=0)
    taxes_paid_vnd: int = Field(0, ge=0)
    capital_disbursed_cum_vnd: int = Field(0, ge=0)


class ReportIn(ReportFigures):
    project: str = Field(description="Project code")
    period_kind: PeriodKind
    year: int
    quarter: int = Field(0, description="1..4 for a quarterly report, 0 for a yearly one")


class CorrectionIn(Schema):
    figures: dict[str, int]
    reason: str


class ReportOut(ReportFigures):
    id: int
    project: str = Field(alias="project.code")
    period_kind: str
    year: int
    quarter: int
    version: int
    is_current: bool
    correction_reason: str
    submitted_at: dt.datetime


class ReportQuery(Schema):
    project: str = ""
    year: int | None = None
    period_kind: PeriodKind | None = None
    history: bool = Field(False, description="Include corrected (earlier) versions")


def _reporting_user(request):
    if not request.user.is_authenticated:
        raise AuthenticationError
    if not has_capability(request.user, "report.view"):
        raise PermissionDenied
    return request.user


@router.get("/reports", response=list[ReportOut], summary="Periodic reports (enterprise: its own; board: all)")
@paginate(PageNumberPagination)
def reports(request, query: Query[ReportQuery]):
    user = _reporting_user(request)
    qs = PeriodicReport.objects.restrict(user).select_related("project")
    if not query.history:
        qs = qs.filter(is_current=True)
    if query.project:
        qs = qs.filter(project__code=query.project)
    if query.year:
        qs = qs.filter(year=query.year)
    if query.period_kind:
        qs = qs.filter(period_kind=query.period_kind)
    return qs.order_by("project__code", "-year", "-quarter", "-version", "pk")


@router.get("/reports/{int:report_id}", response=ReportOut, summary="One periodic report")
def report(request, report_id: int):
    user = _reporting_user(request)
    return get_restricted_or_404(PeriodicReport.objects.select_related("project"), user, pk=report_id)


@router.post("/reports", response={201: ReportOut}, auth=django_auth, summary="File a periodic report")
def report_file(request, payload: ReportIn):
    project = get_restricted_or_404(Project.objects.all(), request.user, "report", code=payload.project)
    figures = payload.dict(include=set(ReportFigures.model_fields))
    report = services.report_submit(
        project=project,
        period_kind=payload.period_kind,
        year=payload.year,
        quarter=payload.quarter,
        figures=figures,
        by=request.user,
    )
    return Status(201, report)


@router.post(
    "/reports/{int:report_id}/corrections", response={201: ReportOut}, auth=django_auth, summary="Correct a report"
)
def report_correction(request, report_id: int, payload: CorrectionIn):
    # Only the report's own enterprise may correct it; to anyone else it does not exist.
    original = get_restricted_or_404(PeriodicReport.objects.all(), request.user, "report", pk=report_id)
    corrected = services.report_correct(
        report=original, figures=payload.figures, reason=payload.reason, by=request.user
    )
    return Status(201, corrected)
