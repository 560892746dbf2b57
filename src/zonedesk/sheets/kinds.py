"""What a spreadsheet import knows of each kind of row: its columns and its check.

Three kinds are imported: enterprises, projects (from their investment certificates) and periodic
reports. Each `Kind` lists its columns (the template's Vietnamese header, the English one, whether
it is required, what is written in it) and checks a whole file without writing anything:

1. The header row is matched to the columns (`match_columns`): a column is found by its field
   name, its Vietnamese or its English header, in any order, case and with or without accents;
   a mapping chosen by the person (field -> the file's header) comes first, for files that do
   not follow the template.
2. Every row is checked with the rules of the services that register one record by hand, with
   the lookups done once for the file. Names and codes of enterprises, zones, sectors and
   periods are matched without accents or case ("cong ty fpt" finds "Công ty FPT").
3. A row equal to what is already registered is *unchanged* (importing the same file again
   changes nothing); a row that names a registered record with other details is a problem, with
   the reason, never a silent overwrite.

The result (`Check`) holds what would be written, the rows unchanged and every problem by row
and column; `services.apply` writes a file without problems, all or nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.inputs import blank, clean_tax_code, zones_by_name
from zonedesk.core.models import Zone
from zonedesk.core.numbers import num
from zonedesk.core.text import fold
from zonedesk.investment import imports as report_imports
from zonedesk.investment.imports import Problem
from zonedesk.investment.models import VIETNAM, Enterprise, Investor, Project, ProjectInvestor, Sector
from zonedesk.investment.rules import NewEnterprise, NewProject, validate_enterprise, validate_project

Progress = Callable[[int, int], None]
MAX_ROWS = report_imports.MAX_ROWS
PROGRESS_EVERY = 1000  # rows between two progress reports


@dataclass(frozen=True)
class Col:
    name: str  # the field
    vi: str  # the template's header
    en: str  # the English header, also read
    required: bool = False
    type: str = "text"  # text, whole, money, decimal, date, choice
    help: Promise | str = ""  # what to write, for the instructions sheet
    example: Any = ""


@dataclass
class Check:
    """What a file would do: the records to create, the rows unchanged, every problem."""

    kind: str
    rows: int = 0
    new: list[Any] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # the file's header row, as written
    columns: dict[str, int] = field(default_factory=dict)  # field -> index in the file's row
    missing: list[str] = field(default_factory=list)  # required fields not found

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, *, listed: int = 1000) -> dict[str, Any]:
        """For a job's report: counts, the first `listed` problems and how many there are."""
        return {
            "kind": self.kind,
            "rows": self.rows,
            "new": len(self.new),
            "unchanged": self.unchanged,
            "problem_count": len(self.problems),
            "problems": [p.as_dict() for p in self.problems[:listed]],
            "headers": self.headers,
            "columns": {name: self.headers[i] for name, i in self.columns.items() if i < len(self.headers)},
            "missing": self.missing,
        }


# --- reading cells ------------------------------------------------------------------------------


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)  # a code typed as a number in Excel
    return str(value).strip()


def read_date(value: Any) -> dt.date | None | bool:
    """A date from a date cell or text (YYYY-MM-DD or DD/MM/YYYY); None when blank, False when
    unreadable."""
    if blank(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 - a calendar date
            except ValueError:
                continue
    return False


class Row:
    """One row of the file by field, with its problems gathered as it is read."""

    def __init__(self, number: int, values: dict[str, Any], problems: list[Problem]):
        self.number, self.values, self.problems = number, values, problems
        self.failed: set[str] = set()  # the fields with a problem

    @property
    def bad(self) -> bool:
        return bool(self.failed)

    def problem(self, column: str, message: str) -> None:
        self.failed.add(column or "*")
        self.problems.append(Problem(self.number, column, message))

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str, *, required: str = "", limit: int = 255) -> str:
        value = text(self.values.get(name))
        if not value and required:
            self.problem(name, required)
        elif len(value) > limit:
            self.problem(name, _("At most %(n)s characters.") % {"n": limit})
        return value

    def report(self, errors: dict[str, str], columns: dict[str, str] | None = None) -> None:
        """The problems a rule found (`investment.rules`), by column (`columns` names the column
        of a field the file calls otherwise); a column that could not be read already has its own."""
        for field_name, message in errors.items():
            column = (columns or {}).get(field_name, "" if field_name == "__all__" else field_name)
            if column not in self.failed:
                self.problem(column, message)

    def date(self, name: str) -> dt.date | None:
        """The date of a cell (None when blank: the rules say whether one is required)."""
        value = read_date(self.values.get(name))
        if value is False:
            self.problem(
                name,
                _("A date is expected here (YYYY-MM-DD or DD/MM/YYYY), not “%(v)s”.") % {"v": self.values.get(name)},
            )
            return None
        return value


# --- matching columns ---------------------------------------------------------------------------


def match_columns(
    header: Iterable[Any], columns: tuple[Col, ...], mapping: dict[str, str] | None = None
) -> dict[str, int]:
    """Field -> index of the file's column: the person's mapping first (field -> header as the
    file writes it, matched without accents or case), then the headers that name a field."""
    titles = [text(t) for t in header]
    folded = [fold(t) for t in titles]
    found: dict[str, int] = {}
    names = {c.name for c in columns}
    taken: set[int] = set()
    for name, title in (mapping or {}).items():
        if name in names and title and fold(title) in folded and folded.index(fold(title)) not in taken:
            found[name] = folded.index(fold(title))  # a column of the file holds one field at most
            taken.add(found[name])
    for col in columns:
        if col.name in found:
            continue
        for label in (col.name, col.vi, col.en):
            key = fold(label)
            if key in folded and folded.index(key) not in taken:
                found[col.name] = folded.index(key)
                taken.add(found[col.name])
                break
    return found


def records(rows: Iterator[tuple], columns: dict[str, int]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number as the spreadsheet counts it, values by field) for every row that is not
    empty; the header row has been read already."""
    width = max(columns.values(), default=-1) + 1
    for n, row in enumerate(rows, start=2):
        if all(blank(v) for v in row):
            continue
        if len(row) < width:
            row = (*row, *([None] * (width - len(row))))
        yield n, {name: row[i] for name, i in columns.items()}


def choice_labels(choices: Iterable[tuple[str, Any]]) -> dict[str, str]:
    """Folded code, Vietnamese and English label -> the value, for matching a choice."""
    out: dict[str, str] = {}
    for value, label in choices:
        out[fold(value)] = value
        for language in ("vi", "en"):
            with translation.override(language):
                out[fold(str(label))] = value
    return out


def vi_label(label: Any) -> str:
    with translation.override("vi"):
        return str(label)


# --- the kinds ----------------------------------------------------------------------------------


class Kind:
    slug: str = ""
    title: Promise | str = ""
    columns: tuple[Col, ...] = ()
    record_key: str = ""  # the field that names a record in the problems ("row 5, project code")

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Col | None:
        return next((c for c in self.columns if c.name == name), None)

    def choices(self) -> dict[str, list[str]]:
        """Field -> the values a template offers in a drop-down list (Vietnamese labels)."""
        return {}

    def header(self, rows: Iterator[tuple], mapping: dict[str, str] | None) -> Check:
        """A check with the file's header read and its columns matched (or the problem why not)."""
        result = Check(kind=self.slug)
        header = next(rows, None)
        if header is None:
            result.problems.append(Problem(1, "", _("The file is empty.")))
            return result
        result.headers = [text(t) for t in header]
        result.columns = match_columns(header, self.columns, mapping)
        result.missing = [f for f in self.required if f not in result.columns]
        if result.missing:
            labels = ", ".join(self.column(f).vi for f in result.missing)
            message = _("Missing columns: %(columns)s. Choose which column of the file holds each.")
            result.problems.append(Problem(1, "", message % {"columns": labels}))
        return result

    def check(
        self, rows: Iterator[tuple], *, by: Any, total: int, mapping: dict[str, str] | None, progress: Progress | None
    ) -> Check:
        result = self.header(rows, mapping)
        if not result.ok:
            return result
        self.check_records(records(rows, result.columns), result, by=by, total=total, progress=progress)
        result.problems.sort(key=lambda p: p.row)
        return result

    def check_records(self, rows, result: Check, *, by, total, progress) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def export_rows(self, *, user: Any) -> Iterator[list[Any]]:  # pragma: no cover - abstract
        """The registered records in the template's layout (for a round trip)."""
        raise NotImplementedError


def _counting(rows, result: Check, total: int, progress: Progress | None):
    """The rows, counted into `result.rows`, with a progress report every thousand; stops with a
    problem past `MAX_ROWS`."""
    for n, values in rows:
        result.rows += 1
        if result.rows > MAX_ROWS:
            result.problems.append(Problem(n, "", _("A file holds at most %(n)s rows.") % {"n": str(num(MAX_ROWS))}))
            return
        if progress is not None and result.rows % PROGRESS_EVERY == 0:
            progress(result.rows, max(total, result.rows))
        yield n, values
    if progress is not None:
        progress(result.rows, max(total, result.rows))


def tax_text(value: Any) -> str:
    """A tax code as written; one typed as a number in Excel lost its leading zero (every
    Vietnamese tax code starts with its province's two digits, 01 for Hà Nội): put it back."""
    written = text(value)
    if written.isdigit() and len(written) in (9, 12):
        return "0" + written
    return written


def _tax_code(row: Row, name: str, *, required: bool) -> str:
    errors: dict[str, str] = {}
    code = clean_tax_code(tax_text(row.raw(name)), name, errors, required=required)
    row.report(errors)
    return code


class Enterprises(Kind):
    slug = "enterprises"
    title = gettext_lazy("Enterprises")
    record_key = "tax_code"
    columns = (
        Col(
            "name",
            "Tên doanh nghiệp",
            "Enterprise name",
            True,
            help=gettext_lazy("The enterprise's full registered name."),
            example="Công ty TNHH Minh họa Hòa Lạc",
        ),
        Col(
            "tax_code",
            "Mã số thuế",
            "Tax code",
            True,
            help=gettext_lazy(
                "10 digits, or 13 for a branch (check digit verified). It identifies the enterprise: a tax code already registered with the same details is left as it is."
            ),
            example="0101248141",
        ),
        Col(
            "zone",
            "Khu",
            "Zone",
            True,
            type="choice",
            help=gettext_lazy("The zone's code (or name) from the list."),
            example="HHTP",
        ),
        Col("address", "Địa chỉ", "Address", help=gettext_lazy("Optional.")),
    )

    def choices(self) -> dict[str, list[str]]:
        return {"zone": list(Zone.objects.values_list("code", flat=True))}

    def check_records(self, rows, result: Check, *, by, total, progress) -> None:
        zones = zones_by_name()
        seen: dict[str, int] = {}
        candidates: list[tuple[int, NewEnterprise]] = []
        for n, values in _counting(rows, result, total, progress):
            row = Row(n, values, result.problems)
            zone_text = text(row.raw("zone"))
            zone_id = zones.get(fold(zone_text)) if zone_text else None
            clean, errors = validate_enterprise(
                name=text(row.raw("name")),
                tax_code=tax_text(row.raw("tax_code")),
                zone=zone_id,
                address=text(row.raw("address")),
            )
            if zone_text and zone_id is None:
                errors["zone"] = _("Unknown zone “%(zone)s”.") % {"zone": zone_text}
            row.report(errors)
            name, tax_code, address = clean["name"], clean["tax_code"], clean["address"]
            if tax_code and tax_code in seen:
                row.problem("tax_code", _("The same tax code as row %(row)s.") % {"row": seen[tax_code]})
            if row.bad:
                continue
            seen[tax_code] = n
            candidates.append((n, NewEnterprise(name, tax_code, zone_id, address)))
        existing: dict[str, tuple[str, int, str, str]] = {}
        codes = [e.tax_code for _n, e in candidates]
        for i in range(0, len(codes), 5000):
            for code, name, zone_id, address in Enterprise.objects.filter(tax_code__in=codes[i : i + 5000]).values_list(
                "tax_code", "name", "zone_id", "address"
            ):
                existing[code] = (name, zone_id, address)
        for n, e in candidates:
            known = existing.get(e.tax_code)
            if known is None:
                result.new.append(e)
            elif (fold(known[0]), known[1], known[2].strip()) == (fold(e.name), e.zone_id, e.address):
                result.unchanged += 1
            else:
                result.problems.append(
                    Problem(
                        n,
                        "tax_code",
                        _(
                            "This tax code is registered as “%(name)s” with other details: change it in the registry, not by import."
                        )
                        % {"name": known[0]},
                    )
                )

    def export_rows(self, *, user: Any) -> Iterator[list[Any]]:
        qs = Enterprise.objects.order_by("name", "pk").values_list("name", "tax_code", "zone__code", "address")
        for row in qs.iterator(chunk_size=5000):
            yield list(row)


# what a registered project is compared on: a row equal on all of these is unchanged
COMPARED = (
    "name_vi",
    "name_en",
    "enterprise_id",
    "zone_id",
    "sector",
    "registered_capital_vnd",
    "registered_capital_usd",
    "land_area_m2",
    "certificate_date",
    "term_years",
    "objectives",
    "target_workers",
    "target_revenue_vnd",
    "target_export_vnd",
)


def _same(known: tuple, p: NewProject) -> bool:
    row = (
        fold(p.name_vi),
        p.name_en,
        p.enterprise_id,
        p.zone_id,
        p.sector,
        p.capital,
        p.capital_usd,
        Decimal(p.land),
        p.certificate_date,
        p.term_years,
        p.objectives,
        p.target_workers,
        p.target_revenue_vnd,
        p.target_export_vnd,
    )
    return (fold(known[0]), *known[1:7], Decimal(known[7]), *known[8:]) == row


class Projects(Kind):
    slug = "projects"
    title = gettext_lazy("Projects")
    record_key = "code"
    columns = (
        Col(
            "code",
            "Mã dự án",
            "Project code",
            True,
            help=gettext_lazy("The code of the investment registration certificate; it identifies the project."),
            example="HL-2026-001",
        ),
        Col(
            "name_vi",
            "Tên dự án",
            "Project name",
            True,
            help=gettext_lazy("The project's Vietnamese name."),
            example="Dự án minh họa",
        ),
        Col("name_en", "Tên tiếng Anh", "English name", help=gettext_lazy("Optional.")),
        Col(
            "enterprise",
            "Doanh nghiệp",
            "Enterprise",
            True,
            help=gettext_lazy(
                "The enterprise's tax code (best) or its registered name; it must be registered first (enterprises template)."
            ),
            example="0101248141",
        ),
        Col(
            "zone",
            "Khu",
            "Zone",
            type="choice",
            help=gettext_lazy("The zone's code; the enterprise's zone when blank."),
            example="HHTP",
        ),
        Col(
            "sector",
            "Lĩnh vực",
            "Sector",
            True,
            type="choice",
            help=gettext_lazy("A sector from the list."),
            example=vi_label(Sector.SOFTWARE.label),
        ),
        Col(
            "registered_capital_vnd",
            "Vốn đăng ký (VND)",
            "Registered capital (VND)",
            True,
            type="money",
            help=gettext_lazy("A whole number of đồng, greater than zero."),
            example=100_000_000_000,
        ),
        Col(
            "registered_capital_usd",
            "Vốn đăng ký (USD)",
            "Registered capital (USD)",
            type="money",
            help=gettext_lazy("Whole dollars; required when the investor is foreign."),
        ),
        Col(
            "land_area_m2",
            "Diện tích đất (m²)",
            "Land area (m²)",
            type="decimal",
            help=gettext_lazy("Square metres; 0 when blank."),
            example=10_000,
        ),
        Col(
            "certificate_date",
            "Ngày cấp giấy chứng nhận",
            "Certificate date",
            True,
            type="date",
            help=gettext_lazy("YYYY-MM-DD or DD/MM/YYYY; not in the future."),
            example="2024-05-15",
        ),
        Col(
            "term_years", "Thời hạn (năm)", "Term (years)", type="whole", help=gettext_lazy("Optional, 1 to 99 years.")
        ),
        Col(
            "investor",
            "Nhà đầu tư",
            "Investor",
            True,
            help=gettext_lazy("The lead investor's name; an investor not yet registered is added."),
            example="Công ty Cổ phần Minh họa",
        ),
        Col(
            "investor_nationality",
            "Quốc tịch nhà đầu tư",
            "Investor nationality",
            help=gettext_lazy("Two-letter country code (VN, JP, KR, ...); VN when blank."),
            example="VN",
        ),
        Col(
            "investor_tax_code",
            "Mã số thuế nhà đầu tư",
            "Investor tax code",
            help=gettext_lazy("Required for a Vietnamese organisation not yet registered."),
            example="0101248141",
        ),
        Col(
            "share_vnd",
            "Vốn góp của nhà đầu tư (VND)",
            "Investor's contribution (VND)",
            type="money",
            help=gettext_lazy("Not more than the registered capital; the whole capital when blank."),
        ),
        Col("objectives", "Mục tiêu", "Objectives", help=gettext_lazy("Optional.")),
        Col("target_workers", "Lao động mục tiêu", "Target workers", type="whole", help=gettext_lazy("Optional.")),
        Col(
            "target_revenue_vnd",
            "Doanh thu mục tiêu (VND)",
            "Target revenue (VND)",
            type="money",
            help=gettext_lazy("Optional, yearly."),
        ),
        Col(
            "target_export_vnd",
            "Xuất khẩu mục tiêu (VND)",
            "Target export (VND)",
            type="money",
            help=gettext_lazy("Optional, yearly."),
        ),
    )

    def choices(self) -> dict[str, list[str]]:
        return {
            "zone": list(Zone.objects.values_list("code", flat=True)),
            "sector": [vi_label(label) for _v, label in Sector.choices],
        }

    def check_records(self, rows, result: Check, *, by, total, progress) -> None:
        today = timezone.localdate()
        zones = zones_by_name()
        sectors = choice_labels(Sector.choices)
        by_tax: dict[str, tuple[int, int, str]] = {}
        by_name: dict[str, list[tuple[int, int, str]]] = {}
        for pk, tax_code, name, zone_id in Enterprise.objects.values_list("pk", "tax_code", "name", "zone_id").iterator(
            chunk_size=10_000
        ):
            by_tax[tax_code] = (pk, zone_id, name)
            by_name.setdefault(fold(name), []).append((pk, zone_id, name))
        investors_by_tax: dict[str, tuple[int, str, str]] = {}  # tax code -> (id, nationality, name)
        investors_by_name: dict[tuple[str, str], int] = {}
        for pk, name, name_folded, nationality, tax_code in Investor.objects.values_list(
            "pk", "name", "name_folded", "nationality", "tax_code"
        ).iterator(chunk_size=10_000):
            if tax_code:
                investors_by_tax.setdefault(tax_code, (pk, nationality, name))
            investors_by_name.setdefault((name_folded, nationality), pk)
        new_investors: dict[str, tuple[str, int]] = {}  # a new investor's tax code -> (folded name, row)
        seen: dict[str, int] = {}
        candidates: list[tuple[int, NewProject]] = []
        for n, values in _counting(rows, result, total, progress):
            row = Row(n, values, result.problems)
            code = text(row.raw("code"))
            if code and code in seen:
                row.problem("code", _("The same project code as row %(row)s.") % {"row": seen[code]})
            written = text(row.raw("enterprise"))
            enterprise = by_tax.get(tax_text(row.raw("enterprise"))) or by_tax.get(
                written.replace("-", "").replace(" ", "")
            )
            if enterprise is None and written:
                named = by_name.get(fold(written), [])
                if len(named) > 1:
                    row.problem(
                        "enterprise",
                        _("Several enterprises are named “%(name)s”: write its tax code.") % {"name": written},
                    )
                enterprise = named[0] if len(named) == 1 else None
                if not named:
                    row.problem(
                        "enterprise",
                        _("Unknown enterprise “%(name)s”: import the enterprise first.") % {"name": written},
                    )
            elif not written:
                row.problem("enterprise", _("Enter the enterprise's tax code or name."))
            zone_text = text(row.raw("zone"))
            zone_id = zones.get(fold(zone_text)) if zone_text else (enterprise[1] if enterprise else None)
            if zone_text and zone_id is None:
                row.problem("zone", _("Unknown zone “%(zone)s”.") % {"zone": zone_text})
            sector_text = text(row.raw("sector"))
            sector = sectors.get(fold(sector_text))
            if sector is None and sector_text:
                row.problem("sector", _("Unknown sector “%(v)s”: choose one from the list.") % {"v": sector_text})
            certified = row.date("certificate_date")
            investor_name = row.text("investor", required=_("Enter the lead investor's name."))
            nationality = (text(row.raw("investor_nationality")) or VIETNAM).upper()
            if len(nationality) != 2 or not nationality.isalpha():
                row.problem("investor_nationality", _("Enter a two-letter country code (VN, JP, KR, ...)."))
            investor_tax = _tax_code(row, "investor_tax_code", required=False)
            registered = investors_by_tax.get(investor_tax) if investor_tax else None
            investor_id = registered[0] if registered else None
            if registered and registered[1] != nationality and "investor_nationality" not in row.failed:
                row.problem(
                    "investor_tax_code",
                    _("This tax code is registered to the investor “%(name)s” of nationality %(country)s.")
                    % {"name": registered[2], "country": registered[1]},
                )
            if investor_id is None:
                investor_id = investors_by_name.get((fold(investor_name), nationality))
            if investor_id is None and investor_tax and investor_name:  # a new investor, named once
                first = new_investors.setdefault(investor_tax, (fold(investor_name), n))
                if first[0] != fold(investor_name):
                    row.problem(
                        "investor",
                        _("Row %(row)s gives another name for the investor with this tax code.") % {"row": first[1]},
                    )
            if investor_id is None and investor_name and nationality == VIETNAM and not investor_tax:
                row.problem("investor_tax_code", _("A Vietnamese organisation needs its tax code."))
            foreign = (registered[1] if registered else nationality) != VIETNAM
            share_written = row.raw("share_vnd")
            clean, errors = validate_project(  # the rules of a project registered by hand
                code=code,
                name_vi=text(row.raw("name_vi")),
                name_en=text(row.raw("name_en")),
                sector=sector,
                registered_capital_vnd=row.raw("registered_capital_vnd"),
                registered_capital_usd=row.raw("registered_capital_usd"),
                land_area_m2=row.raw("land_area_m2"),
                certificate_date=certified,
                term_years=row.raw("term_years"),
                objectives=text(row.raw("objectives")),
                target_workers=row.raw("target_workers"),
                target_revenue_vnd=row.raw("target_revenue_vnd"),
                target_export_vnd=row.raw("target_export_vnd"),
                shares=[0 if blank(share_written) else share_written],  # blank: the whole capital
                foreign=foreign,
                today=today,
            )
            row.report(errors, {"shares": "share_vnd"})
            capital = clean["registered_capital_vnd"]
            share = capital if blank(share_written) else next(iter(clean["shares"]), None)
            if row.bad:
                if code:
                    seen.setdefault(code, n)
                continue
            seen[code] = n
            key = ("id", investor_id) if investor_id else ("new", investor_tax or fold(investor_name), nationality)
            candidates.append(
                (
                    n,
                    NewProject(
                        code=code,
                        name_vi=clean["name_vi"],
                        name_en=clean["name_en"],
                        enterprise_id=enterprise[0],
                        enterprise_name=enterprise[2],
                        zone_id=zone_id,
                        sector=sector,
                        capital=capital,
                        capital_usd=clean["registered_capital_usd"],
                        land=clean["land_area_m2"],
                        certificate_date=certified,
                        term_years=clean["term_years"],
                        objectives=clean["objectives"],
                        investor=key,
                        investor_name=investor_name,
                        investor_nationality=nationality,
                        investor_tax_code=investor_tax,
                        share=share,
                        foreign=foreign,
                        target_workers=clean["target_workers"],
                        target_revenue_vnd=clean["target_revenue_vnd"],
                        target_export_vnd=clean["target_export_vnd"],
                    ),
                )
            )
        existing: dict[str, tuple] = {}
        holders: dict[str, set[int]] = {}  # project code -> its investors
        codes = [p.code for _n, p in candidates]
        for i in range(0, len(codes), 5000):
            chunk = codes[i : i + 5000]
            for code, *details in Project.objects.filter(code__in=chunk).values_list("code", *COMPARED):
                existing[code] = tuple(details)
            for code, investor_id in ProjectInvestor.objects.filter(project__code__in=chunk).values_list(
                "project__code", "investor_id"
            ):
                holders.setdefault(code, set()).add(investor_id)
        for n, p in candidates:
            known = existing.get(p.code)
            if known is None:
                result.new.append(p)
            elif _same(known, p) and p.investor[0] == "id" and p.investor[1] in holders.get(p.code, set()):
                result.unchanged += 1
            else:
                result.problems.append(
                    Problem(
                        n,
                        "code",
                        _("Project %(code)s is registered with other details: amend it in the registry, not by import.")
                        % {"code": p.code},
                    )
                )

    def export_rows(self, *, user: Any) -> Iterator[list[Any]]:
        labels = {value: vi_label(label) for value, label in Sector.choices}
        shares = ProjectInvestor.objects.select_related("investor").order_by("-capital_vnd", "id")
        qs = (
            Project.objects.order_by("code")
            .select_related("enterprise", "zone")
            .prefetch_related(Prefetch("shares", queryset=shares))
        )
        for project in qs.iterator(chunk_size=2000):
            lead = next(iter(project.shares.all()), None)  # the largest contribution
            investor = lead.investor if lead else None
            yield [
                project.code,
                project.name_vi,
                project.name_en,
                project.enterprise.tax_code,
                project.zone.code,
                labels.get(project.sector, project.sector),
                project.registered_capital_vnd,
                project.registered_capital_usd,
                project.land_area_m2,
                project.certificate_date,
                project.term_years,
                investor.name if investor else "",
                investor.nationality if investor else "",
                investor.tax_code if investor else "",
                min(lead.capital_vnd, project.registered_capital_vnd) if lead else None,
                project.objectives,
                project.target_workers,
                project.target_revenue_vnd,
                project.target_export_vnd,
            ]


_REPORT_HELP = {
    "project_code": gettext_lazy("The project's code; an enterprise reports only for its own projects."),
    "period_kind": gettext_lazy("Quarter (Quý) or year (Năm)."),
    "year": gettext_lazy("The year of the period."),
    "quarter": gettext_lazy("1 to 4 for a quarter; blank for a year."),
    "submitted_at": gettext_lazy("Optional: the filing date (the import's date when blank)."),
}


def _report_columns() -> tuple[Col, ...]:
    return tuple(
        Col(
            name,
            vi,
            en,
            required=name in report_imports.REQUIRED and name != "quarter",
            type={"project_code": "text", "period_kind": "choice", "submitted_at": "date"}.get(
                name, "whole" if name in ("year", "quarter", "workers_total", "workers_degree") else "money"
            ),
            help=_REPORT_HELP.get(name, gettext_lazy("A whole number; 0 when blank.")),
            example={"project_code": "HL-2026-001", "period_kind": "Quý", "year": 2026, "quarter": 1}.get(name, ""),
        )
        for name, vi, en in report_imports.COLUMNS
    )


class Reports(Kind):
    """Periodic reports: the rules are `investment.imports.check_reports` (also used by the
    `report_import` command); the file's columns are matched here, then handed over in the
    canonical order."""

    slug = "reports"
    title = gettext_lazy("Periodic reports")
    record_key = "project_code"
    columns = _report_columns()

    def choices(self) -> dict[str, list[str]]:
        return {"period_kind": ["Quý", "Năm"]}

    def check(self, rows, *, by, total, mapping, progress) -> Check:
        result = self.header(rows, mapping)
        if not result.ok:
            return result
        names = list(result.columns)
        indexes = [result.columns[name] for name in names]
        if "quarter" not in result.columns:  # a file of yearly reports may leave the quarter out
            names.append("quarter")

        def canonical() -> Iterator[tuple]:
            yield tuple(names)
            for row in rows:
                picked = tuple(row[i] if i < len(row) else None for i in indexes)
                yield picked + ((None,) if len(names) > len(indexes) else ())

        checked = report_imports.check_reports(canonical(), by=by, total=total, progress=progress)
        result.rows, result.new, result.unchanged, result.problems = (
            checked.rows,
            checked.new,
            checked.unchanged,
            checked.problems,
        )
        return result

    def export_rows(self, *, user: Any) -> Iterator[list[Any]]:
        from zonedesk.investment.models import REPORT_FIGURES, PeriodicReport

        qs = PeriodicReport.objects.filter(is_current=True)
        if user is not None and getattr(user, "role", "") == "enterprise":
            qs = qs.filter(project__enterprise_id=user.enterprise_id)
        words = {"quarter": "Quý", "year": "Năm"}
        for code, kind, year, quarter, *figures in (
            qs.order_by("project__code", "year", "period_kind", "quarter")
            .values_list("project__code", "period_kind", "year", "quarter", *REPORT_FIGURES)
            .iterator(chunk_size=5000)
        ):
            yield [code, words.get(kind, kind), year, quarter or None, *figures, None]


KINDS: dict[str, Kind] = {k.slug: k for k in (Enterprises(), Projects(), Reports())}


def kind_of(slug: str) -> Kind:
    return KINDS[slug]


def check_file(
    kind: Kind, path, *, by: Any = None, mapping: dict[str, str] | None = None, progress: Progress | None = None
) -> Check:
    """Read and check a whole file; nothing is written."""
    rows, total = report_imports.read_rows(path)
    return kind.check(rows, by=by, total=total, mapping=mapping, progress=progress)
