"""Every write of the investment registry, each in one transaction.

Functions are keyword-only and named `<entity>_<action>`. Bad input raises `ServiceError`
with per-field messages and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from zonedesk.core import audit
from zonedesk.core.errors import ServiceError, stale
from zonedesk.core.generations import generation_bump
from zonedesk.core.models import Zone
from zonedesk.core.money import MAX_VND, parse_whole
from zonedesk.core.text import fold
from zonedesk.investment.models import (
    PROJECT_TRANSITIONS,
    REPORT_FIGURES,
    VIETNAM,
    Amendment,
    Enterprise,
    Investor,
    PeriodicReport,
    PeriodKind,
    Project,
    ProjectInvestor,
    ProjectStatus,
    ScheduleMilestone,
    Sector,
    StatusChange,
    period_end,
)
from zonedesk.investment.selectors import FIGURES_GENERATION

PROJECT_CHANGED = _lazy("The project was changed by someone else (version %(theirs)s, you had %(yours)s): reload it.")

# --- validation helpers -------------------------------------------------------------------


def clean_tax_code(value: str, *, field: str = "tax_code") -> str:
    """A Vietnamese tax code (mã số thuế), 10 digits or 13 for a branch, check digit verified."""
    try:
        return mst.validate(value or "")
    except StdnumError as exc:
        raise ServiceError({field: _("“%(value)s” is not a valid Vietnamese tax code.") % {"value": value}}) from exc


MAX_COUNT = 10_000_000  # workers: far above any real enterprise, inside a 32-bit integer


def _whole_vnd(value: Any, field: str, errors: dict[str, str], *, positive: bool = False) -> int | None:
    """An amount of đồng: a whole, non-negative number (digits grouped by thousands are accepted)."""
    if value is None or value == "":
        errors[field] = _("Enter an amount in đồng.")
        return None
    number = parse_whole(value)
    if number is None:
        errors[field] = _("Enter a whole number of đồng, without decimals.")
        return None
    if number < 0:
        errors[field] = _("The amount cannot be negative.")
        return None
    if positive and number == 0:
        errors[field] = _("The amount must be greater than zero.")
        return None
    if number > MAX_VND:
        errors[field] = _("The amount is too large.")
        return None
    return number


def _whole_count(value: Any, field: str, errors: dict[str, str]) -> int | None:
    number = parse_whole(value)
    if number is None:
        errors[field] = _("Enter a whole number.")
        return None
    if number < 0:
        errors[field] = _("The number cannot be negative.")
        return None
    if number > MAX_COUNT:
        errors[field] = _("The number is too large.")
        return None
    return number


def _raise_if(errors: Mapping[str, str]) -> None:
    if errors:
        raise ServiceError(dict(errors))


# --- investors and enterprises ------------------------------------------------------------


@transaction.atomic
def investor_create(
    *,
    name: str,
    nationality: str = VIETNAM,
    kind: str = Investor.Kind.ORGANISATION,
    tax_code: str = "",
    is_synthetic: bool = False,
) -> Investor:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    nationality = (nationality or "").strip().upper()
    if not name:
        errors["name"] = _("Enter the investor's name.")
    if len(nationality) != 2 or not nationality.isalpha():
        errors["nationality"] = _("Enter a two-letter country code (VN, JP, KR, ...).")
    if kind not in Investor.Kind.values:
        errors["kind"] = _("Unknown kind of investor.")
    if tax_code:
        try:
            tax_code = clean_tax_code(tax_code)
        except ServiceError as exc:
            errors["tax_code"] = exc.messages[0]
    elif nationality == VIETNAM and kind == Investor.Kind.ORGANISATION:
        errors["tax_code"] = _("A Vietnamese organisation needs its tax code.")
    _raise_if(errors)
    return Investor.objects.create(
        name=name,
        name_folded=fold(name),
        nationality=nationality,
        kind=kind,
        tax_code=tax_code,
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def enterprise_create(
    *,
    name: str,
    tax_code: str,
    zone: Zone,
    investors: Iterable[Investor] = (),
    address: str = "",
    is_synthetic: bool = False,
) -> Enterprise:
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Enter the enterprise's name.")
    try:
        tax_code = clean_tax_code(tax_code)
    except ServiceError as exc:
        errors["tax_code"] = exc.messages[0]
    else:
        if Enterprise.objects.filter(tax_code=tax_code).exists():
            errors["tax_code"] = _("An enterprise with this tax code is already registered.")
    _raise_if(errors)
    enterprise = Enterprise.objects.create(
        name=name, name_folded=fold(name), tax_code=tax_code, zone=zone, address=address, is_synthetic=is_synthetic
    )
    enterprise.investors.set(list(investors))
    return enterprise


# --- projects -----------------------------------------------------------------------------


def _search_text(project: Project) -> str:
    return fold(" ".join([project.code, project.name_vi, project.name_en, project.enterprise.name]))[:1000]


@transaction.atomic
def project_register(
    *,
    code: str,
    name_vi: str,
    enterprise: Enterprise,
    sector: str,
    shares: Sequence[tuple[Investor, Any]],
    registered_capital_vnd: Any,
    certificate_date: dt.date,
    name_en: str = "",
    zone: Zone | None = None,
    registered_capital_usd: Any = None,
    land_area_m2: Any = 0,
    objectives: str = "",
    term_years: int | None = None,
    milestones: Sequence[Mapping[str, Any]] = (),
    target_workers: Any = None,
    target_revenue_vnd: Any = None,
    target_export_vnd: Any = None,
    by: Any = None,
    is_synthetic: bool = False,
    today: dt.date | None = None,
) -> Project:
    """Register a project from its investment registration certificate."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    code = (code or "").strip()
    name_vi = (name_vi or "").strip()
    if not code:
        errors["code"] = _("Enter the project code.")
    elif Project.objects.filter(code=code).exists():
        errors["code"] = _("A project with this code is already registered.")
    if not name_vi:
        errors["name_vi"] = _("Enter the project's Vietnamese name.")
    if sector not in Sector.values:
        errors["sector"] = _("Choose a sector from the list.")
    capital = _whole_vnd(registered_capital_vnd, "registered_capital_vnd", errors, positive=True)
    if not isinstance(certificate_date, dt.date):
        errors["certificate_date"] = _("Enter a valid date.")
    elif certificate_date > today:
        errors["certificate_date"] = _("The certificate date cannot be in the future.")
    try:
        land = Decimal(str(land_area_m2 or 0))
        if land < 0:
            errors["land_area_m2"] = _("The land area cannot be negative.")
    except InvalidOperation:
        errors["land_area_m2"] = _("Enter the land area in square metres.")
        land = Decimal(0)
    clean_shares: list[tuple[Investor, int]] = []
    if not shares:
        errors["shares"] = _("A project needs at least one investor.")
    seen: set[int] = set()
    for investor, amount in shares:
        value = _whole_vnd(amount, "shares", errors)
        if investor.pk in seen:
            errors["shares"] = _("An investor is listed twice.")
        seen.add(investor.pk)
        if value is not None:
            clean_shares.append((investor, value))
    if capital is not None and "shares" not in errors and sum(v for _i, v in clean_shares) > capital:
        errors["shares"] = _("The investors' contributions exceed the registered capital.")
    foreign = any(investor.is_foreign for investor, _v in clean_shares)
    usd = None
    if registered_capital_usd not in (None, ""):
        usd = _whole_vnd(registered_capital_usd, "registered_capital_usd", errors, positive=True)
    elif foreign:
        errors["registered_capital_usd"] = _("A foreign-invested project states its capital in USD too.")
    targets = {}
    for field, value in (("target_revenue_vnd", target_revenue_vnd), ("target_export_vnd", target_export_vnd)):
        targets[field] = None if value in (None, "") else _whole_vnd(value, field, errors)
    targets["target_workers"] = (
        None if target_workers in (None, "") else _whole_count(target_workers, "target_workers", errors)
    )
    for i, m in enumerate(milestones):
        if m.get("kind") not in ScheduleMilestone.Kind.values or not isinstance(m.get("planned_date"), dt.date):
            errors["milestones"] = _("Milestone %(n)s needs a kind and a planned date.") % {"n": i + 1}
    _raise_if(errors)

    project = Project(
        code=code,
        name_vi=name_vi,
        name_en=(name_en or "").strip(),
        enterprise=enterprise,
        zone=zone or enterprise.zone,
        sector=sector,
        objectives=objectives,
        is_foreign_invested=foreign,
        initial_capital_vnd=capital,
        registered_capital_vnd=capital,
        registered_capital_usd=usd,
        land_area_m2=land,
        certificate_date=certificate_date,
        term_years=term_years,
        status=ProjectStatus.REGISTERED,
        is_synthetic=is_synthetic,
        **targets,
    )
    project.search_text = _search_text(project)
    project.save()
    audit.log_created(
        ProjectInvestor.objects.bulk_create(
            [ProjectInvestor(project=project, investor=inv, capital_vnd=value) for inv, value in clean_shares]
        )
    )
    schedule = ScheduleMilestone.objects.bulk_create(
        [
            ScheduleMilestone(
                project=project,
                kind=m["kind"],
                title=m.get("title", ""),
                planned_date=m["planned_date"],
                actual_date=m.get("actual_date"),
            )
            for m in milestones
        ]
    )
    audit.log_created(schedule)
    StatusChange.objects.create(
        project=project,
        from_status="",
        to_status=ProjectStatus.REGISTERED,
        effective_date=certificate_date,
        reason=_("Investment registration certificate issued"),
        changed_by=by,
    )
    generation_bump(FIGURES_GENERATION)
    return project


@transaction.atomic
def project_amend(
    *,
    project: Project,
    date: dt.date,
    summary: str,
    capital_change_vnd: int = 0,
    capital_change_usd: int = 0,
    by: Any = None,
    today: dt.date | None = None,
    version: int | None = None,
) -> Amendment:
    """Record an amendment of the certificate; a capital change moves the registered capital.
    `version` is the project's version its writer read (a newer one: `ConflictError`)."""
    today = today or timezone.localdate()
    project = Project.objects.select_for_update().get(pk=project.pk)
    stale(project, version, str(PROJECT_CHANGED))
    errors: dict[str, str] = {}
    if date > today:
        errors["date"] = _("The amendment date cannot be in the future.")
    if isinstance(capital_change_usd, bool) or not isinstance(capital_change_usd, int):
        errors["capital_change_usd"] = _("Enter a whole number of dollars.")
    elif capital_change_usd and (project.registered_capital_usd or 0) + capital_change_usd <= 0:
        errors["capital_change_usd"] = _("The registered capital must stay above zero.")
    elif project.is_foreign_invested and capital_change_vnd and not capital_change_usd:
        errors["capital_change_usd"] = _("A foreign-invested project states its capital change in USD too.")
    if isinstance(capital_change_vnd, bool) or not isinstance(capital_change_vnd, int):
        errors["capital_change_vnd"] = _("Enter a whole number of đồng, without decimals.")
    elif abs(capital_change_vnd) > MAX_VND:
        errors["capital_change_vnd"] = _("The amount is too large.")
    elif project.registered_capital_vnd + capital_change_vnd <= 0:
        errors["capital_change_vnd"] = _("The registered capital must stay above zero.")
    if not (summary or "").strip():
        errors["summary"] = _("Say what the amendment changes.")
    if date < project.certificate_date:
        errors["date"] = _("An amendment cannot come before the certificate.")
    if project.status == ProjectStatus.TERMINATED:
        errors["__all__"] = _("A terminated project cannot be amended.")
    _raise_if(errors)
    number = (project.amendments.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    amendment = Amendment.objects.create(
        project=project,
        number=number,
        date=date,
        summary=summary.strip(),
        capital_change_vnd=capital_change_vnd,
        created_by=by,
    )
    if capital_change_vnd or capital_change_usd:
        project.registered_capital_vnd += capital_change_vnd
        if capital_change_usd:
            project.registered_capital_usd = (project.registered_capital_usd or 0) + capital_change_usd
    project.version += 1  # a new amendment is a change of the project, whatever it moves
    project.save(update_fields=["registered_capital_vnd", "registered_capital_usd", "version", "updated_at"])
    generation_bump(FIGURES_GENERATION)
    return amendment


@transaction.atomic
def project_change_status(
    *,
    project: Project,
    to_status: str,
    reason: str,
    by: Any = None,
    effective_date: dt.date | None = None,
    version: int | None = None,
) -> StatusChange:
    """Move a project along its lifecycle; only the transitions of PROJECT_TRANSITIONS pass.
    `version` is the project's version its writer read (a newer one: `ConflictError`)."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    stale(project, version, str(PROJECT_CHANGED))
    errors: dict[str, str] = {}
    if to_status not in ProjectStatus.values:
        errors["to_status"] = _("Unknown status.")
    elif to_status not in PROJECT_TRANSITIONS[project.status]:
        errors["to_status"] = _("A project that is “%(from)s” cannot become “%(to)s”.") % {
            "from": ProjectStatus(project.status).label,
            "to": ProjectStatus(to_status).label,
        }
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the change.")
    effective_date = effective_date or timezone.localdate()
    if effective_date < project.certificate_date:
        errors["effective_date"] = _("The change cannot come before the certificate.")
    _raise_if(errors)
    change = StatusChange.objects.create(
        project=project,
        from_status=project.status,
        to_status=to_status,
        effective_date=effective_date,
        reason=reason.strip(),
        changed_by=by,
    )
    project.status = to_status
    project.version += 1
    project.save(update_fields=["status", "version", "updated_at"])
    generation_bump(FIGURES_GENERATION)
    return change


@transaction.atomic
def milestone_record(
    *, milestone: ScheduleMilestone, actual_date: dt.date, today: dt.date | None = None
) -> ScheduleMilestone:
    today = today or timezone.localdate()
    if actual_date > today:
        raise ServiceError({"actual_date": _("The actual date cannot be in the future.")})
    milestone.actual_date = actual_date
    milestone.save(update_fields=["actual_date"])
    from zonedesk.roadmaps.services import schedule_recorded

    schedule_recorded(schedule_milestone=milestone)  # the enterprise's roadmap follows the registry
    return milestone


# --- periodic reports ---------------------------------------------------------------------


def _clean_figures(figures: Mapping[str, Any], errors: dict[str, str]) -> dict[str, int]:
    clean: dict[str, int] = {}
    unknown = set(figures) - set(REPORT_FIGURES)
    if unknown:
        errors["__all__"] = _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
    for field in REPORT_FIGURES:
        value = figures.get(field, 0)
        if field.startswith("workers"):
            number = _whole_count(value, field, errors)
        else:
            number = _whole_vnd(value, field, errors)
        if number is not None:
            clean[field] = number
    if clean.get("workers_degree", 0) > clean.get("workers_total", 0) and "workers_total" in clean:
        errors["workers_degree"] = _("Workers with a degree cannot outnumber all workers.")
    return clean


def _check_period(
    project: Project, period_kind: str, year: Any, quarter: Any, today: dt.date, errors: dict[str, str]
) -> tuple[int, int]:
    if period_kind not in PeriodKind.values:
        errors["period_kind"] = _("The period is a quarter or a year.")
        return 0, 0
    if isinstance(year, bool) or not isinstance(year, int) or not 1990 <= year <= 2200:
        errors["year"] = _("Enter a valid year.")
        return 0, 0
    if period_kind == PeriodKind.YEAR:
        quarter = 0
    elif isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("The quarter is 1, 2, 3 or 4.")
        return year, 0
    end = period_end(period_kind, year, quarter)
    if end >= today:
        errors["quarter" if period_kind == PeriodKind.QUARTER and year == today.year else "year"] = _(
            "This period has not ended yet: a report can be filed once it is over."
        )
    elif end < project.certificate_date:
        errors["year"] = _("This period ended before the project was registered.")
    else:
        terminated = (
            project.status_changes.filter(to_status=ProjectStatus.TERMINATED)
            .values_list("effective_date", flat=True)
            .first()
        )
        start = dt.date(year, 1, 1) if period_kind == PeriodKind.YEAR else dt.date(year, quarter * 3 - 2, 1)
        if terminated is not None and start > terminated:
            errors["year"] = _("The project was terminated before this period began.")
    return year, quarter


@transaction.atomic
def report_submit(
    *,
    project: Project,
    period_kind: str,
    year: int,
    quarter: int = 0,
    figures: Mapping[str, Any],
    by: Any = None,
    today: dt.date | None = None,
    submitted_at: dt.datetime | None = None,
) -> PeriodicReport:
    """File a project's report for a period. One report per project and period.

    `submitted_at` is when the enterprise filed it (an import of paper reports keeps their
    real date); it defaults to now and cannot be in the future.
    """
    today = today or timezone.localdate()
    now = timezone.now()
    submitted_at = submitted_at or now
    project = Project.objects.select_for_update().get(pk=project.pk)
    errors: dict[str, str] = {}
    year, quarter = _check_period(project, period_kind, year, quarter, today, errors)
    if submitted_at > now or (
        not errors and timezone.localdate(submitted_at) <= period_end(period_kind, year, quarter)
    ):
        errors["submitted_at"] = _("A report is filed after its period ends, and not in the future.")
    clean = _clean_figures(figures, errors)
    if (
        not errors
        and PeriodicReport.objects.filter(
            project=project, period_kind=period_kind, year=year, quarter=quarter, is_current=True
        ).exists()
    ):
        errors["__all__"] = _("A report for this period was already filed: correct it instead.")
    _raise_if(errors)
    report = PeriodicReport.objects.create(
        project=project,
        period_kind=period_kind,
        year=year,
        quarter=quarter,
        version=1,
        is_current=True,
        submitted_by=by,
        submitted_at=submitted_at,
        **clean,
    )
    generation_bump(FIGURES_GENERATION)
    return report


@transaction.atomic
def report_correct(
    *, report: PeriodicReport, figures: Mapping[str, Any], reason: str, by: Any = None, version: int | None = None
) -> PeriodicReport:
    """Correct a report: a new version becomes current, the earlier one is kept. `version` is the
    version its writer corrects: when another correction came first, the current version is no
    longer that one and the correction is refused (`ConflictError`), so that nobody replaces
    figures they have not seen."""
    current = (
        PeriodicReport.objects.select_for_update()
        .filter(
            project_id=report.project_id,
            period_kind=report.period_kind,
            year=report.year,
            quarter=report.quarter,
            is_current=True,
        )
        .first()
    )
    errors: dict[str, str] = {}
    if current is None:  # pragma: no cover - a current version always exists
        raise ServiceError({"__all__": _("There is no report to correct.")})
    stale(
        current,
        version,
        _(
            "The report was corrected since you read it (version %(theirs)s is current, you corrected "
            "version %(yours)s): reload it."
        ),
    )
    merged = {f: getattr(current, f) for f in REPORT_FIGURES} | dict(figures)
    clean = _clean_figures(merged, errors)
    if not (reason or "").strip():
        errors["correction_reason"] = _("Say why the report is corrected.")
    if not errors and all(clean[f] == getattr(current, f) for f in REPORT_FIGURES):
        errors["__all__"] = _("The correction changes no figure.")
    _raise_if(errors)
    current.is_current = False
    current.save(update_fields=["is_current"])
    corrected = PeriodicReport.objects.create(
        project_id=current.project_id,
        period_kind=current.period_kind,
        year=current.year,
        quarter=current.quarter,
        version=current.version + 1,
        is_current=True,
        correction_reason=reason.strip(),
        submitted_by=by,
        submitted_at=timezone.now(),
        **clean,
    )
    generation_bump(FIGURES_GENERATION)
    return corrected
