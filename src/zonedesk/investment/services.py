"""Every write of the investment registry, each in one transaction.

Functions are keyword-only and named `<entity>_<action>`. Bad input raises `ServiceError`
with per-field messages and writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from zonedesk.core import audit, inputs
from zonedesk.core.errors import ServiceError, stale
from zonedesk.core.generations import generation_bump
from zonedesk.core.inputs import MAX_COUNT, MAX_VND  # noqa: F401 - the limits, as the API names them
from zonedesk.core.models import Zone
from zonedesk.core.text import fold
from zonedesk.investment import rules
from zonedesk.investment.models import (
    PROJECT_TRANSITIONS,
    REPORT_FIGURES,
    VIETNAM,
    Amendment,
    Enterprise,
    Investor,
    PeriodicReport,
    Project,
    ProjectInvestor,
    ProjectStatus,
    ScheduleMilestone,
    StatusChange,
)
from zonedesk.investment.selectors import FIGURES_GENERATION

PROJECT_CHANGED = _lazy("The project was changed by someone else (version %(theirs)s, you had %(yours)s): reload it.")

# --- validation helpers -------------------------------------------------------------------
# The rules of each record are `investment.rules` (also used by the spreadsheet imports); the
# checks of input are `core.inputs`.


def clean_tax_code(value: str, *, field: str = "tax_code") -> str:
    """A Vietnamese tax code (mã số thuế), 10 digits or 13 for a branch, check digit verified."""
    errors: dict[str, str] = {}
    code = inputs.clean_tax_code(value, field, errors)
    _raise_if(errors)
    return code


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
    name = inputs.clean_text(name, "name", errors, required=_("Enter the investor's name."), limit=rules.NAME_LIMIT)
    nationality = (nationality or "").strip().upper()
    if len(nationality) != 2 or not nationality.isalpha():
        errors["nationality"] = _("Enter a two-letter country code (VN, JP, KR, ...).")
    if kind not in Investor.Kind.values:
        errors["kind"] = _("Unknown kind of investor.")
    if tax_code:
        tax_code = inputs.clean_tax_code(tax_code, "tax_code", errors)
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
    clean, errors = rules.validate_enterprise(name=name, tax_code=tax_code, zone=zone, address=address)
    if "tax_code" not in errors and Enterprise.objects.filter(tax_code=clean["tax_code"]).exists():
        errors["tax_code"] = _("An enterprise with this tax code is already registered.")
    _raise_if(errors)
    name = clean["name"]
    enterprise = Enterprise.objects.create(
        name=name,
        name_folded=fold(name),
        tax_code=clean["tax_code"],
        zone=zone,
        address=clean["address"],
        is_synthetic=is_synthetic,
    )
    enterprise.investors.set(list(investors))
    return enterprise


# --- projects -----------------------------------------------------------------------------


def _new_project(clean: Mapping[str, Any], *, enterprise_id: int, enterprise_name: str, zone_id: int) -> Project:
    """A project as registered (not saved), from values checked by `rules.validate_project`:
    the one place that builds a project's row, for one registered by hand and for an import."""
    return Project(
        code=clean["code"],
        name_vi=clean["name_vi"],
        name_en=clean["name_en"],
        search_text=fold(" ".join([clean["code"], clean["name_vi"], clean["name_en"], enterprise_name]))[:1000],
        enterprise_id=enterprise_id,
        zone_id=zone_id,
        sector=clean["sector"],
        objectives=clean["objectives"],
        is_foreign_invested=clean["is_foreign_invested"],
        initial_capital_vnd=clean["registered_capital_vnd"],
        registered_capital_vnd=clean["registered_capital_vnd"],
        registered_capital_usd=clean["registered_capital_usd"],
        land_area_m2=clean["land_area_m2"],
        certificate_date=clean["certificate_date"],
        term_years=clean["term_years"],
        status=ProjectStatus.REGISTERED,
        target_workers=clean["target_workers"],
        target_revenue_vnd=clean["target_revenue_vnd"],
        target_export_vnd=clean["target_export_vnd"],
    )


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
    """Register a project from its investment registration certificate (the rules:
    `rules.validate_project`)."""
    today = today or timezone.localdate()
    foreign = any(investor.is_foreign for investor, _amount in shares)
    clean, errors = rules.validate_project(
        code=code,
        name_vi=name_vi,
        name_en=name_en,
        sector=sector,
        registered_capital_vnd=registered_capital_vnd,
        registered_capital_usd=registered_capital_usd,
        land_area_m2=land_area_m2,
        certificate_date=certificate_date,
        term_years=term_years,
        objectives=objectives,
        target_workers=target_workers,
        target_revenue_vnd=target_revenue_vnd,
        target_export_vnd=target_export_vnd,
        shares=[amount for _investor, amount in shares],
        foreign=foreign,
        today=today,
    )
    if "code" not in errors and Project.objects.filter(code=clean["code"]).exists():
        errors["code"] = _("A project with this code is already registered.")
    seen: set[int] = set()
    for investor, _amount in shares:
        if investor.pk in seen:
            errors["shares"] = _("An investor is listed twice.")
        seen.add(investor.pk)
    for i, m in enumerate(milestones):
        if m.get("kind") not in ScheduleMilestone.Kind.values or not isinstance(m.get("planned_date"), dt.date):
            errors["milestones"] = _("Milestone %(n)s needs a kind and a planned date.") % {"n": i + 1}
    _raise_if(errors)
    clean_shares = list(zip([investor for investor, _amount in shares], clean["shares"], strict=True))

    zone = zone or enterprise.zone
    project = _new_project(clean, enterprise_id=enterprise.pk, enterprise_name=enterprise.name, zone_id=zone.pk)
    project.enterprise, project.zone, project.is_synthetic = enterprise, zone, is_synthetic
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


# --- many records at once (spreadsheet imports) ------------------------------------------------

BATCH = 2000
Progress = Callable[[int, int], None]


def _batches(items: Sequence[Any]):
    for i in range(0, len(items), BATCH):
        yield i, items[i : i + BATCH]


@transaction.atomic
def enterprises_create(*, new: Sequence[rules.NewEnterprise], progress: Progress | None = None) -> None:
    """Write enterprises checked by `rules.validate_enterprise` (an import: the caller looked for
    tax codes already registered once for the whole file; the unique tax code refuses one
    registered meanwhile), a batch at a time."""
    for i, batch in _batches(new):
        made = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    name=e.name, name_folded=fold(e.name), tax_code=e.tax_code, zone_id=e.zone_id, address=e.address
                )
                for e in batch
            ]
        )
        audit.log_created(made)
        if progress is not None:
            progress(i + len(batch), len(new))


@transaction.atomic
def projects_register(*, new: Sequence[rules.NewProject], by: Any = None, progress: Progress | None = None) -> None:
    """Register projects checked by `rules.validate_project` (an import, one investor each), a
    batch at a time: the rows are built as `project_register` builds one (`_new_project`), each
    with its investor's share and its first status change; an investor not yet registered is
    added once however many projects name it. A code registered meanwhile makes the unique
    constraint refuse them all."""
    investors: dict[tuple, int] = {}
    to_create: dict[tuple, Investor] = {}
    for p in new:
        if p.investor[0] == "id":
            investors[p.investor] = p.investor[1]
        elif p.investor not in to_create:
            to_create[p.investor] = Investor(
                name=p.investor_name,
                name_folded=fold(p.investor_name),
                nationality=p.investor_nationality,
                tax_code=p.investor_tax_code,
            )
    made = Investor.objects.bulk_create(list(to_create.values()))
    audit.log_created(made)
    for key, investor in zip(to_create, made, strict=True):
        investors[key] = investor.pk
    reason = _("Investment registration certificate issued")
    for i, batch in _batches(new):
        projects = Project.objects.bulk_create(
            [
                _new_project(
                    {
                        "code": p.code,
                        "name_vi": p.name_vi,
                        "name_en": p.name_en,
                        "sector": p.sector,
                        "objectives": p.objectives,
                        "is_foreign_invested": p.foreign,
                        "registered_capital_vnd": p.capital,
                        "registered_capital_usd": p.capital_usd,
                        "land_area_m2": p.land,
                        "certificate_date": p.certificate_date,
                        "term_years": p.term_years,
                        "target_workers": p.target_workers,
                        "target_revenue_vnd": p.target_revenue_vnd,
                        "target_export_vnd": p.target_export_vnd,
                    },
                    enterprise_id=p.enterprise_id,
                    enterprise_name=p.enterprise_name,
                    zone_id=p.zone_id,
                )
                for p in batch
            ]
        )
        shares = ProjectInvestor.objects.bulk_create(
            [
                ProjectInvestor(project_id=project.pk, investor_id=investors[p.investor], capital_vnd=p.share)
                for project, p in zip(projects, batch, strict=True)
            ]
        )
        audit.log_created([*projects, *shares])
        changes = StatusChange.objects.bulk_create(
            [
                StatusChange(
                    project_id=project.pk,
                    from_status="",
                    to_status=ProjectStatus.REGISTERED,
                    effective_date=p.certificate_date,
                    reason=reason,
                    changed_by=by,
                )
                for project, p in zip(projects, batch, strict=True)
            ]
        )
        audit.log_created(changes)
        if progress is not None:
            progress(i + len(batch), len(new))
    generation_bump(FIGURES_GENERATION)


@transaction.atomic
def project_amend(
    *,
    project: Project,
    date: dt.date,
    summary: str,
    capital_change_vnd: int = 0,
    capital_change_usd: int = 0,
    objectives: str | None = None,
    term_years: int | None = None,
    reference: str = "",
    reference_url: str = "",
    by: Any = None,
    today: dt.date | None = None,
    version: int | None = None,
) -> Amendment:
    """Record an amendment of the certificate; a capital change moves the registered capital, new
    objectives or a new term replace the project's. `reference` names the record it came from (a
    dossier of the one-stop desk) and `reference_url` its page. `version` is the project's version
    its writer read (a newer one: `ConflictError`)."""
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
        reference=reference,
        reference_url=reference_url,
    )
    changed = ["registered_capital_vnd", "registered_capital_usd", "version", "updated_at"]
    if objectives is not None and objectives.strip() and objectives.strip() != project.objectives:
        project.objectives = objectives.strip()
        changed.append("objectives")
    if term_years is not None and term_years != project.term_years:
        project.term_years = term_years
        changed.append("term_years")
    if capital_change_vnd or capital_change_usd:
        project.registered_capital_vnd += capital_change_vnd
        if capital_change_usd:
            project.registered_capital_usd = (project.registered_capital_usd or 0) + capital_change_usd
    project.version += 1  # a new amendment is a change of the project, whatever it moves
    project.save(update_fields=changed)
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


# What else follows when the registry moves the planned date of a certificate's milestone (a
# schedule extended): functions called with `schedule_milestone=` and `shift=` (a timedelta), in
# the same transaction, registered by the apps that build on the registry (roadmaps).
SCHEDULE_REPLANNED: list[Callable[..., Any]] = []


def on_schedule_replanned(follow: Callable[..., Any]) -> Callable[..., Any]:
    """Call `follow(schedule_milestone=..., shift=...)` whenever `schedule_extend` moves one."""
    SCHEDULE_REPLANNED.append(follow)
    return follow


@transaction.atomic
def schedule_extend(
    *,
    project: Project,
    until: dt.date,
    date: dt.date,
    summary: str,
    by: Any = None,
    reference: str = "",
    reference_url: str = "",
) -> Amendment:
    """Extend the certificate's schedule: the milestones not yet reached move later by as much as
    the last of them moves to `until` (their spacing kept), recorded as an amendment; the
    roadmaps made from them follow (`on_schedule_replanned`)."""
    errors: dict[str, str] = {}
    open_ones = list(project.milestones.filter(actual_date__isnull=True).order_by("planned_date", "id"))
    last = open_ones[-1].planned_date if open_ones else None
    if not isinstance(until, dt.date):
        errors["until"] = _("Give the date the schedule is extended to.")
    elif last is not None and until <= last:
        errors["until"] = _("The schedule is extended to a date after its last milestone (%(day)s).") % {
            "day": last.strftime("%d/%m/%Y")
        }
    _raise_if(errors)
    amendment = project_amend(
        project=project, date=date, summary=summary, by=by, reference=reference, reference_url=reference_url
    )
    if last is not None:
        shift = until - last
        for m in open_ones:
            m.planned_date += shift
            m.save(update_fields=["planned_date"])
            for follow in SCHEDULE_REPLANNED:
                follow(schedule_milestone=m, shift=shift)
    return amendment


# What else follows when the registry records the actual date of a certificate's milestone:
# functions called with `schedule_milestone=`, in the same transaction, registered by the apps
# that build on the registry (roadmaps, in its AppConfig.ready). The registry is the lower layer:
# it names none of them.
MILESTONE_RECORDED: list[Callable[..., Any]] = []


def on_milestone_recorded(follow: Callable[..., Any]) -> Callable[..., Any]:
    """Call `follow(schedule_milestone=...)` whenever `milestone_record` records a date."""
    if follow not in MILESTONE_RECORDED:
        MILESTONE_RECORDED.append(follow)
    return follow


@transaction.atomic
def milestone_record(
    *, milestone: ScheduleMilestone, actual_date: dt.date, today: dt.date | None = None
) -> ScheduleMilestone:
    today = today or timezone.localdate()
    if actual_date > today:
        raise ServiceError({"actual_date": _("The actual date cannot be in the future.")})
    milestone.actual_date = actual_date
    milestone.save(update_fields=["actual_date"])
    for follow in MILESTONE_RECORDED:  # the enterprise's roadmap follows the registry (roadmaps.apps)
        follow(schedule_milestone=milestone)
    return milestone


# --- periodic reports ---------------------------------------------------------------------


def _terminated_on(project: Project) -> dt.date | None:
    return (
        project.status_changes.filter(to_status=ProjectStatus.TERMINATED)
        .values_list("effective_date", flat=True)
        .first()
    )


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
    clean, errors = rules.validate_report(
        period_kind=period_kind,
        year=year,
        quarter=quarter,
        figures=figures,
        certificate_date=project.certificate_date,
        terminated_on=_terminated_on(project),
        today=today,
        now=now,
        submitted_at=submitted_at,
    )
    year, quarter = clean["year"], clean["quarter"]
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
        submitted_at=clean["submitted_at"],
        **clean["figures"],
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
    clean = rules.validate_figures(merged, errors)
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


@transaction.atomic
def project_english(
    *,
    project: Project,
    by: Any = None,
    objectives_en: str | None = None,
    milestone_titles_en: Mapping[str, str] | None = None,
    version: int | None = None,
) -> Project:
    """Write the English of what the board wrote in Vietnamese about a project (its objectives,
    its milestones' titles, by kind), shown in the English view instead of the Vietnamese marked
    "Vietnamese only". `by` None is the system (the demo); a person needs `registry.edit`."""
    from django.core.exceptions import PermissionDenied

    from zonedesk.core.permissions import has_capability

    if by is not None and not has_capability(by, "registry.edit"):
        raise PermissionDenied
    project = Project.objects.select_for_update().get(pk=project.pk)
    stale(project, version, str(PROJECT_CHANGED))
    errors: dict[str, str] = {}
    if objectives_en is not None:
        text = inputs.clean_text(objectives_en, "objectives_en", errors, required=False, limit=rules.OBJECTIVES_LIMIT)
    titles = {}
    for kind, title in (milestone_titles_en or {}).items():
        titles[kind] = inputs.clean_text(title, f"milestone_{kind}", errors, required=False, limit=255)
    _raise_if(errors)
    changed = objectives_en is not None and text != project.objectives_en
    if changed:
        project.objectives_en = text
    for milestone in project.milestones.filter(kind__in=list(titles)):
        if milestone.title_en != titles[milestone.kind]:
            milestone.title_en = titles[milestone.kind]
            milestone.save(update_fields=["title_en"])
            changed = True
    if changed:  # a milestone's title is the project's too: the next writer on this read is refused
        project.version += 1
        project.save(update_fields=["objectives_en", "version", "updated_at"])
    return project
