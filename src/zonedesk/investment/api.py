"""API of the investment registry: figures, investors, enterprises, projects, reports."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.pagination import paginate
from ninja.security import django_auth

from zonedesk.core.answers import cached_answer
from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.core.inputs import MAX_COUNT, MAX_VND, zone_or_404
from zonedesk.core.jsoncache import cached_json
from zonedesk.core.pagination import Pages
from zonedesk.core.permissions import get_restricted_or_404, has_capability
from zonedesk.core.rows import values_of, values_row
from zonedesk.core.schemas import ERRORS, InputSchema, version_field
from zonedesk.core.text import fold
from zonedesk.investment import selectors, services
from zonedesk.investment.models import Enterprise, Investor, PeriodicReport, PeriodKind, Project

router = Router(tags=["investment"])


def _rename(errors: dict[str, list[str]], **names: str) -> dict[str, list[str]]:
    """Service errors keyed by the API's field names where the two differ."""
    return {names.get(field, field): messages for field, messages in errors.items()}


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
    return _figures_json(request, code, query.year)


@router.get("/figures", response=FiguresOut, tags=["figures"], summary="Figures of all zones")
def all_figures(request, query: Query[YearQuery]):
    return _figures_json(request, None, query.year)


def _figures_json(request, code: str | None, year: int):
    """The figures as the JSON of `FiguresOut`, cached as rendered (`core.jsoncache`)."""

    def build():
        zone = zone_or_404(code) if code is not None else None
        return FiguresOut.model_validate(selectors.zone_figures(zone=zone, year=year)).model_dump(mode="json"), None

    key = f"figures-json:{code or '*'}:{year}:{selectors.figures_as_of(year).isoformat()}"
    return cached_json(request, selectors.FIGURES_GENERATION, key, build)


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
@paginate(Pages)
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
@paginate(Pages)
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


# the rows of the project list: the same fields, read as plain values (core.rows)
ProjectRow = values_row(ProjectOut, "ProjectListRow")
PROJECT_ROW_VALUES = values_of(ProjectRow)


class ProjectDetailOut(ProjectOut):
    milestones: list[MilestoneOut]
    targets: dict | None = Field(None, description="Only for the board and the project's enterprise")
    version: int = Field(description="Raised by every change (status, amendment): send it with the next change")


class ProjectQuery(Schema):
    q: str = ""
    zone: str = ""
    sector: str = ""
    status: str = ""
    ownership: str = Field("", pattern="^(|domestic|foreign)$")


@router.get("/projects", response=list[ProjectRow], summary="Projects, filtered and searched")
@cached_answer(selectors.FIGURES_GENERATION)  # every write of a project bumps it (core.answers)
@paginate(Pages, values=PROJECT_ROW_VALUES)
def projects(request, query: Query[ProjectQuery]):
    filters = selectors.ProjectFilters.from_mapping(query.dict())
    return selectors.project_list(user=request.user, filters=filters)  # a page is read as PROJECT_ROW_VALUES


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
    workers_total: int = Field(0, ge=0, le=MAX_COUNT)
    workers_degree: int = Field(0, ge=0, le=MAX_COUNT)
    rnd_spend_vnd: int = Field(0, ge=0)
    taxes_paid_vnd: int = Field(0, ge=0)
    capital_disbursed_cum_vnd: int = Field(0, ge=0)


class ReportIn(ReportFigures):
    model_config = InputSchema.model_config  # a field it does not have is refused (422), never dropped

    project: str = Field(description="Project code")
    period_kind: PeriodKind
    year: int
    quarter: int = Field(0, description="1..4 for a quarterly report, 0 for a yearly one")


class CorrectedFigures(InputSchema):
    """The figures a correction changes; the others stay as in the version corrected."""

    revenue_vnd: int = Field(None, ge=0)
    export_vnd: int = Field(None, ge=0)
    import_vnd: int = Field(None, ge=0)
    workers_total: int = Field(None, ge=0, le=MAX_COUNT)
    workers_degree: int = Field(None, ge=0, le=MAX_COUNT)
    rnd_spend_vnd: int = Field(None, ge=0)
    taxes_paid_vnd: int = Field(None, ge=0)
    capital_disbursed_cum_vnd: int = Field(None, ge=0)


class CorrectionIn(InputSchema):
    version: int = Field(
        ge=1,
        description="The version of the report you correct: the current one (`version` of its GET). If it was "
        "corrected since, the answer is 409 and nothing is written: read the current version again.",
    )
    figures: CorrectedFigures
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
@paginate(Pages)
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
    try:
        corrected = services.report_correct(
            report=original,
            figures=payload.figures.model_dump(exclude_unset=True),
            reason=payload.reason,
            by=request.user,
            version=payload.version,
        )
    except ServiceError as exc:  # the service names the field `correction_reason`; here it is `reason`
        raise ServiceError(_rename(error_dict(exc), correction_reason="reason")) from exc
    return Status(201, corrected)


# --- registry writes (board officers and admins) ------------------------------------------


def _registrar(request):
    if not has_capability(request.user, "registry.edit"):
        raise PermissionDenied
    return request.user


class InvestorIn(InputSchema):
    name: str
    nationality: str = Field("VN", description="ISO 3166 two-letter code")
    kind: Investor.Kind = Investor.Kind.ORGANISATION
    tax_code: str = Field("", description="Required for a Vietnamese organisation")


@router.post("/investors", response={201: InvestorOut, **ERRORS}, auth=django_auth, summary="Add an investor")
def investor_add(request, payload: InvestorIn):
    _registrar(request)
    return Status(201, services.investor_create(**payload.dict()))


class EnterpriseIn(InputSchema):
    name: str
    tax_code: str
    zone: str = Field(description="Zone code")
    investors: list[int] = Field(default_factory=list, description="Investor ids")
    address: str = ""


@router.post("/enterprises", response={201: EnterpriseOut, **ERRORS}, auth=django_auth, summary="Add an enterprise")
def enterprise_add(request, payload: EnterpriseIn):
    _registrar(request)
    zone = zone_or_404(payload.zone)  # its code in any case
    investors = list(Investor.objects.filter(pk__in=payload.investors))
    if len(investors) != len(set(payload.investors)):
        raise ServiceError({"investors": _("Unknown investor.")})
    enterprise = services.enterprise_create(
        name=payload.name, tax_code=payload.tax_code, zone=zone, investors=investors, address=payload.address
    )
    return Status(201, enterprise)


class ShareIn(InputSchema):
    investor: int = Field(description="Investor id")
    capital_vnd: int = Field(ge=0)


class MilestoneIn(InputSchema):
    kind: str
    title: str = ""
    planned_date: dt.date
    actual_date: dt.date | None = None


class ProjectIn(InputSchema):
    code: str
    name_vi: str
    name_en: str = ""
    enterprise: int = Field(description="Enterprise id")
    sector: str
    shares: list[ShareIn]
    registered_capital_vnd: int
    registered_capital_usd: int | None = None
    land_area_m2: Decimal = Field(
        Decimal(0), description="Square metres, from 0 to 10¹⁰ (the limit of the registry's rules)"
    )
    certificate_date: dt.date
    objectives: str = ""
    term_years: int | None = None
    milestones: list[MilestoneIn] = Field(default_factory=list)
    target_workers: int | None = None
    target_revenue_vnd: int | None = None
    target_export_vnd: int | None = None


@router.post("/projects", response={201: ProjectDetailOut, **ERRORS}, auth=django_auth, summary="Register a project")
def project_add(request, payload: ProjectIn):
    user = _registrar(request)
    enterprise = get_object_or_404(Enterprise, pk=payload.enterprise)
    investors = {i.pk: i for i in Investor.objects.filter(pk__in=[s.investor for s in payload.shares])}
    if any(s.investor not in investors for s in payload.shares):
        raise ServiceError({"shares": _("Unknown investor.")})
    data = payload.dict(exclude={"enterprise", "shares", "milestones"})
    project = services.project_register(
        **data,
        enterprise=enterprise,
        shares=[(investors[s.investor], s.capital_vnd) for s in payload.shares],
        milestones=[m.dict() for m in payload.milestones],
        by=user,
    )
    project.targets = {
        "workers": project.target_workers,
        "revenue_vnd": project.target_revenue_vnd,
        "export_vnd": project.target_export_vnd,
    }
    return Status(201, project)


class StatusIn(InputSchema):
    version: int = version_field("project")
    status: str
    reason: str
    effective_date: dt.date | None = None


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    effective_date: dt.date
    reason: str
    changed_at: dt.datetime


@router.post(
    "/projects/{code}/status",
    response={201: StatusChangeOut, **ERRORS},
    auth=django_auth,
    summary="Move a project along its lifecycle",
)
def project_status(request, code: str, payload: StatusIn):
    user = _registrar(request)
    project = get_restricted_or_404(Project.objects.all(), user, "change", code=code)
    try:
        change = services.project_change_status(
            project=project,
            to_status=payload.status,
            reason=payload.reason,
            effective_date=payload.effective_date,
            by=user,
            version=payload.version,
        )
    except ServiceError as exc:
        raise ServiceError(_rename(error_dict(exc), to_status="status")) from exc
    return Status(201, change)


class AmendmentIn(InputSchema):
    version: int = version_field("project")
    date: dt.date
    summary: str
    capital_change_vnd: int = Field(0, ge=-MAX_VND, le=MAX_VND)
    capital_change_usd: int = Field(0, ge=-MAX_VND, le=MAX_VND)


class AmendmentOut(Schema):
    number: int
    date: dt.date
    summary: str
    capital_change_vnd: int


@router.post(
    "/projects/{code}/amendments",
    response={201: AmendmentOut, **ERRORS},
    auth=django_auth,
    summary="Record an amendment of the certificate",
)
def project_amendment(request, code: str, payload: AmendmentIn):
    user = _registrar(request)
    project = get_restricted_or_404(Project.objects.all(), user, "change", code=code)
    return Status(201, services.project_amend(project=project, **payload.dict(), by=user))
