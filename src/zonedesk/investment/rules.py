"""The rules of the investment registry's records, written once.

`validate_enterprise`, `validate_project` and `validate_report` check one record as given (a
page's form, an API body, a spreadsheet row) against everything that can be told without asking
the database: they return the cleaned values and the problems by field, with one message per
rule. The services (`investment.services`: what pages and the API call) add what needs the
database (a code already registered, an investor named twice) and write; the spreadsheet imports
(`sheets.kinds`, `investment.imports`) look records up once for the whole file, call the same
functions for every row and hand the rows they accept to the services' bulk writers. So a rule,
its limit and its message are the same on a page, in the API and in an import.

Nothing here reads or writes the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from zonedesk.core.inputs import (
    COUNT,
    MAX_COUNT,
    MAX_VND,
    Wording,
    blank,
    clean_amount,
    clean_area,
    clean_count,
    clean_tax_code,
    clean_text,
    clean_whole,
)
from zonedesk.investment.models import REPORT_FIGURES, PeriodKind, Sector, period_end

Errors = dict[str, str]

NAME_LIMIT = 255  # names and addresses (their columns)
CODE_LIMIT = 20  # a project's code (its column)
OBJECTIVES_LIMIT = 5000
MAX_TERM_YEARS = 99  # a project's term, in years
TERM = Wording(
    blank=_lazy("Enter the term in years, from 1 to %(max)s."),
    not_whole=_lazy("Enter the term in years, from 1 to %(max)s."),
    negative=_lazy("Enter the term in years, from 1 to %(max)s."),
    zero=_lazy("Enter the term in years, from 1 to %(max)s."),
    too_large=_lazy("Enter the term in years, from 1 to %(max)s."),
)
FIRST_YEAR, LAST_YEAR = 1990, 2200
YEAR = Wording(
    blank=_lazy("Enter a valid year."),
    not_whole=_lazy("Enter a valid year."),
    negative=_lazy("Enter a valid year."),
    zero=_lazy("Enter a valid year."),
    too_large=_lazy("Enter a valid year."),
)


# --- enterprises ----------------------------------------------------------------------------------


def validate_enterprise(*, name: Any, tax_code: Any, zone: Any, address: Any = "") -> tuple[dict[str, Any], Errors]:
    """An enterprise: its name, its tax code (check digit verified), its zone (any zone object or
    id: None when none was found), an optional address."""
    errors: Errors = {}
    clean = {
        "name": clean_text(name, "name", errors, required=_("Enter the enterprise's name."), limit=NAME_LIMIT),
        "tax_code": clean_tax_code(tax_code, "tax_code", errors),
        "zone": zone,
        "address": clean_text(address, "address", errors, required=False, limit=NAME_LIMIT),
    }
    if zone is None:
        errors["zone"] = _("Choose the zone.")
    return clean, errors


# --- projects -------------------------------------------------------------------------------------


def validate_project(
    *,
    code: Any,
    name_vi: Any,
    sector: Any,
    registered_capital_vnd: Any,
    certificate_date: Any,
    shares: Sequence[Any],
    foreign: bool,
    today: dt.date,
    name_en: Any = "",
    registered_capital_usd: Any = None,
    land_area_m2: Any = 0,
    term_years: Any = None,
    objectives: Any = "",
    target_workers: Any = None,
    target_revenue_vnd: Any = None,
    target_export_vnd: Any = None,
) -> tuple[dict[str, Any], Errors]:
    """A project from its investment registration certificate. `shares` are the investors'
    contributions in đồng (at least one; together not above the registered capital); `foreign`
    says whether one of its investors is foreign (then the capital is stated in USD too)."""
    errors: Errors = {}
    clean: dict[str, Any] = {
        "code": clean_text(code, "code", errors, required=_("Enter the project code."), limit=CODE_LIMIT),
        "name_vi": clean_text(
            name_vi, "name_vi", errors, required=_("Enter the project's Vietnamese name."), limit=NAME_LIMIT
        ),
        "name_en": clean_text(name_en, "name_en", errors, required=False, limit=NAME_LIMIT),
    }
    if sector not in Sector.values:
        errors["sector"] = _("Choose a sector from the list.")
    clean["sector"] = sector
    capital = clean_amount(registered_capital_vnd, "registered_capital_vnd", errors, positive=True)
    clean["registered_capital_vnd"] = capital
    if blank(registered_capital_usd):
        clean["registered_capital_usd"] = None
        if foreign:
            errors["registered_capital_usd"] = _("A foreign-invested project states its capital in USD too.")
    else:
        clean["registered_capital_usd"] = clean_amount(
            registered_capital_usd, "registered_capital_usd", errors, positive=True
        )
    clean["land_area_m2"] = clean_area(land_area_m2, "land_area_m2", errors)
    if certificate_date is None:
        errors["certificate_date"] = _("Enter the certificate date.")
    elif isinstance(certificate_date, dt.datetime) or not isinstance(certificate_date, dt.date):
        errors["certificate_date"] = _("Enter a valid date.")
    elif certificate_date > today:
        errors["certificate_date"] = _("The certificate date cannot be in the future.")
    clean["certificate_date"] = certificate_date
    clean["term_years"] = clean_whole(
        term_years, "term_years", errors, low=1, high=MAX_TERM_YEARS, wording=TERM, required=False
    )
    clean["objectives"] = clean_text(objectives, "objectives", errors, required=False, limit=OBJECTIVES_LIMIT)
    clean["target_workers"] = clean_count(target_workers, "target_workers", errors, required=False)
    for field, value in (("target_revenue_vnd", target_revenue_vnd), ("target_export_vnd", target_export_vnd)):
        clean[field] = clean_amount(value, field, errors, required=False)
    amounts: list[int] = []
    if not shares:
        errors["shares"] = _("A project needs at least one investor.")
    for amount in shares:
        value = clean_amount(amount, "shares", errors)
        if value is not None:
            amounts.append(value)
    if capital is not None and "shares" not in errors and sum(amounts) > capital:
        errors["shares"] = _("The investors' contributions exceed the registered capital.")
    clean["shares"] = amounts
    clean["is_foreign_invested"] = foreign
    return clean, errors


@dataclass
class NewEnterprise:
    """An enterprise checked by `validate_enterprise`, to be written by `enterprises_create`."""

    name: str
    tax_code: str
    zone_id: int
    address: str


@dataclass
class NewProject:
    """A project checked by `validate_project`, with its one investor (a spreadsheet row), to be
    written by `projects_register`."""

    code: str
    name_vi: str
    name_en: str
    enterprise_id: int
    enterprise_name: str
    zone_id: int
    sector: str
    capital: int
    capital_usd: int | None
    land: Decimal
    certificate_date: dt.date
    term_years: int | None
    objectives: str
    investor: tuple  # a key of the investors: ("id", pk) or ("new", tax code or folded name, nationality)
    investor_name: str
    investor_nationality: str
    investor_tax_code: str
    share: int
    foreign: bool
    target_workers: int | None
    target_revenue_vnd: int | None
    target_export_vnd: int | None


# --- periodic reports -----------------------------------------------------------------------------


_FIGURES = frozenset(REPORT_FIGURES)
# each figure and its limit; a count of workers or an amount of đồng (read as the pages read it)
_FIGURE_LIMITS = tuple(
    (f, f.startswith("workers"), MAX_COUNT if f.startswith("workers") else MAX_VND) for f in REPORT_FIGURES
)
_PERIOD_KINDS = frozenset(PeriodKind.values)


def validate_figures(figures: Mapping[str, Any], errors: Errors) -> dict[str, int]:
    """A report's figures (REPORT_FIGURES; a figure left out or blank is 0): amounts of đồng and
    numbers of workers, whole and not negative; workers with a degree not more than all workers.
    (Run for every row of an import of a million reports: a figure that is already a whole number
    in its range is taken as it is.)"""
    clean: dict[str, int] = {}
    if not _FIGURES.issuperset(figures):
        unknown = set(figures) - _FIGURES
        errors["__all__"] = _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
    for field, is_count, high in _FIGURE_LIMITS:
        value = figures.get(field)
        if type(value) is int and 0 <= value <= high:
            clean[field] = value
            continue
        if is_count:
            number = clean_count(value, field, errors, high=high, required=False)
        else:
            number = clean_amount(value, field, errors, required=False)
        if field not in errors:
            clean[field] = number or 0
    if "workers_total" in clean and clean.get("workers_degree", 0) > clean["workers_total"]:
        errors["workers_degree"] = _("Workers with a degree cannot outnumber all workers.")
    return clean


def validate_period(
    *,
    period_kind: Any,
    year: Any,
    quarter: Any,
    certificate_date: dt.date,
    terminated_on: dt.date | None,
    today: dt.date,
    errors: Errors,
) -> tuple[int, int, dt.date] | None:
    """A report's period: a quarter or a year, over by `today`, not before the project's
    certificate, not begun after its termination. (year, quarter: 0 for a year, its last day),
    or None."""
    if period_kind not in _PERIOD_KINDS:
        errors["period_kind"] = _("The period is a quarter (Quý) or a year (Năm).")
        return None
    if not (type(year) is int and FIRST_YEAR <= year <= LAST_YEAR):
        year = clean_whole(year, "year", errors, low=FIRST_YEAR, high=LAST_YEAR, wording=YEAR)
        if year is None:
            return None
    if period_kind == PeriodKind.YEAR:
        quarter = 0
    elif isinstance(quarter, bool) or quarter not in (1, 2, 3, 4):
        errors["quarter"] = _("The quarter is 1, 2, 3 or 4.")
        return None
    end = period_end(period_kind, year, quarter)
    if end >= today:
        errors["quarter" if period_kind == PeriodKind.QUARTER and year == today.year else "year"] = _(
            "This period has not ended yet: a report can be filed once it is over."
        )
        return None
    if end < certificate_date:
        errors["year"] = _("This period ended before the project was registered.")
        return None
    if terminated_on is not None:
        start = dt.date(year, 1, 1) if period_kind == PeriodKind.YEAR else dt.date(year, quarter * 3 - 2, 1)
        if start > terminated_on:
            errors["year"] = _("The project was terminated before this period began.")
            return None
    return year, quarter, end


def validate_report(
    *,
    period_kind: Any,
    year: Any,
    quarter: Any,
    figures: Mapping[str, Any],
    certificate_date: dt.date,
    terminated_on: dt.date | None,
    today: dt.date,
    now: dt.datetime,
    submitted_at: dt.datetime | None = None,
    tz: Any = None,
) -> tuple[dict[str, Any], Errors]:
    """A periodic report of a project (registered on `certificate_date`, terminated on
    `terminated_on` if it was): its period (`validate_period`), its figures (`validate_figures`)
    and when it was filed (after its period, not in the future; now when not given; its day in
    the time zone `tz`, the current one by default)."""
    errors: Errors = {}
    period = validate_period(
        period_kind=period_kind,
        year=year,
        quarter=quarter,
        certificate_date=certificate_date,
        terminated_on=terminated_on,
        today=today,
        errors=errors,
    )
    submitted_at = submitted_at or now
    if submitted_at > now or (period is not None and timezone.localdate(submitted_at, tz) <= period[2]):
        errors["submitted_at"] = _("A report is filed after its period ends, and not in the future.")
    clean = validate_figures(figures, errors)
    year, quarter, _end = period or (None, None, None)
    return {
        "period_kind": period_kind,
        "year": year,
        "quarter": quarter,
        "figures": clean,
        "submitted_at": submitted_at,
    }, errors


__all__ = [
    "COUNT",
    "MAX_TERM_YEARS",
    "NewEnterprise",
    "NewProject",
    "validate_enterprise",
    "validate_figures",
    "validate_period",
    "validate_project",
    "validate_report",
]
