"""Periodic reports from a spreadsheet (XLSX or CSV), all or nothing.

A file with one report a row (a header row first, in Vietnamese or English, in any order and
case, accents optional) becomes periodic reports in two steps, with a progress callback
`(done, total)` throughout:

1. **Check** (`check_reports`): every row is checked as `services.report_submit` checks one
   report: the project code exists (and the importer may report for it), the period is a quarter
   or a year that has ended, after the project was registered and not after it was terminated,
   figures are whole, not negative numbers (grouped digits such as "1.250.000" are read), workers
   with a degree do not outnumber all workers, the filing date (if given) is after the period and
   not in the future. A period given twice in the file, or already filed with other figures, is
   refused. A period already filed with the same figures is *unchanged*: importing the same file
   again changes nothing. Every problem comes with its row, its column and a reason.
2. **Apply** (`import_reports`): only a file without problems is written, in one transaction, as
   version 1 of each new report through the bulk writer (`core.bulk`, COPY on PostgreSQL), and
   the figures generation is bumped once, so every figure shows the new reports.

The periodic report workbook of issue 7 (templates, column mapping, background jobs) builds on
this module; the command `zonedesk report_import FILE` runs it with a progress bar.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core import audit
from zonedesk.core.bulk import Table, Writer, reserve_ids, table_of
from zonedesk.core.errors import ServiceError
from zonedesk.core.exports import csv_unquote
from zonedesk.core.generations import generation_bump
from zonedesk.core.inputs import blank
from zonedesk.core.money import parse_whole
from zonedesk.core.text import fold
from zonedesk.investment.models import (
    REPORT_FIGURES,
    PeriodicReport,
    PeriodKind,
    Project,
    ProjectStatus,
    StatusChange,
)
from zonedesk.investment.rules import validate_report
from zonedesk.investment.selectors import FIGURES_GENERATION

Progress = Callable[[int, int], None]

# The columns of a report file: (field, Vietnamese header, English header); either header is
# read whatever the language of the page. The first four and the figures are required; the
# filing date is optional (the time of the import by default).
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("project_code", "Mã dự án", "Project code"),
    ("period_kind", "Loại kỳ", "Period"),
    ("year", "Năm", "Year"),
    ("quarter", "Quý", "Quarter"),
    ("revenue_vnd", "Doanh thu (VND)", "Revenue (VND)"),
    ("export_vnd", "Xuất khẩu (VND)", "Export (VND)"),
    ("import_vnd", "Nhập khẩu (VND)", "Import (VND)"),
    ("workers_total", "Số lao động", "Workers"),
    ("workers_degree", "Lao động có trình độ đại học", "Workers with a university degree"),
    ("rnd_spend_vnd", "Chi cho R&D (VND)", "R&D spending (VND)"),
    ("taxes_paid_vnd", "Nộp ngân sách (VND)", "Taxes paid (VND)"),
    ("capital_disbursed_cum_vnd", "Vốn giải ngân lũy kế (VND)", "Capital disbursed, cumulative (VND)"),
    ("submitted_at", "Ngày nộp", "Submitted on"),
)
REQUIRED = tuple(f for f, _vi, _en in COLUMNS if f != "submitted_at")
# how a period is written: Vietnamese or English, any case, accents optional
PERIOD_WORDS = {"quy": PeriodKind.QUARTER, "quarter": PeriodKind.QUARTER, "nam": PeriodKind.YEAR}
PERIOD_WORDS |= {"year": PeriodKind.YEAR, "q": PeriodKind.QUARTER, "y": PeriodKind.YEAR}
MAX_ROWS = 1_000_000
BATCH = 5_000
REPORTS = table_of(PeriodicReport, exclude=("id",))
REPORTS_WITH_IDS = Table(PeriodicReport, ("id", *REPORTS.columns))


def _header_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for name, vi, en in COLUMNS:
        for label in (name, vi, en):
            keys[fold(label)] = name
    keys["ky"] = "period_kind"
    return keys


@dataclass
class Problem:
    row: int  # as the spreadsheet numbers it (the header is row 1)
    column: str  # the field (empty for the whole row or file)
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ReportCheck:
    """What a file would do: the reports to create, the rows unchanged, every problem."""

    rows: int = 0
    new: list[tuple] = field(default_factory=list)  # rows for `REPORTS`, version 1
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)  # field -> index in the row

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "new": len(self.new),
            "unchanged": self.unchanged,
            "problems": [p.as_dict() for p in self.problems],
        }


# --- reading ------------------------------------------------------------------------------------


def read_rows(path: str | Path) -> tuple[Iterator[tuple], int]:
    """The rows of the first sheet of an XLSX (openpyxl, read-only) or of a CSV file (UTF-8,
    with or without BOM; comma or semicolon), header first, and an estimate of how many."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
            raise ServiceError(
                {"file": _("This is not a readable XLSX workbook (%(error)s).") % {"error": exc}}
            ) from exc
        sheet = book.worksheets[0]
        total = max((sheet.max_row or 1) - 1, 0)

        def xlsx_rows() -> Iterator[tuple]:
            try:
                yield from sheet.iter_rows(values_only=True)
            finally:
                book.close()

        return xlsx_rows(), total
    if suffix == ".csv":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ServiceError({"file": _("A CSV file must be in UTF-8.")}) from exc
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        total = max(text.count("\n") - 1, 0)

        def csv_rows() -> Iterator[tuple]:
            try:
                for r in csv.reader(io.StringIO(text), delimiter=delimiter):
                    yield tuple(csv_unquote(v) for v in r)  # our exports' '=... back to =...
            except csv.Error as exc:  # a field of more than 128 KB, a stray NUL byte
                raise ServiceError({"file": _("This CSV file cannot be read (%(error)s).") % {"error": exc}}) from exc

        return csv_rows(), total
    raise ServiceError({"file": _("Reports are imported from an XLSX or CSV file.")})


# --- checking -----------------------------------------------------------------------------------


class _Projects:
    """Project code -> (id, certificate date), for the projects `by` may report for: the board
    side and admins for every project (paper reports), an enterprise for its own. A code as
    written is found at once; one written otherwise (case, accents) through the folded codes,
    folded the first time a row needs them (a file written from the registry never does)."""

    def __init__(self, by: Any) -> None:
        qs = Project.objects.all()
        if by is not None and getattr(by, "role", "") not in ("board", "admin"):
            qs = Project.objects.restrict(by, "report")
        self.written: dict[str, tuple[int, dt.date]] = {
            code: (pk, cert)
            for code, pk, cert in qs.values_list("code", "pk", "certificate_date").iterator(chunk_size=10_000)
        }
        self._folded: dict[str, tuple[int, dt.date]] | None = None

    def find(self, raw: Any) -> tuple[int, dt.date] | None:
        if isinstance(raw, str) and raw in self.written:
            return self.written[raw]
        if self._folded is None:
            self._folded = {fold(code): found for code, found in self.written.items()}
        return self._folded.get(fold(str(raw or "")))


def _whole(value: Any) -> int | None:
    if value is None or value == "":
        return 0
    return parse_whole(value)


def _when(value: Any, tz: Any = None) -> dt.datetime | None | bool:
    """A filing date from a date/datetime cell or ISO text, in the time zone `tz` (the current one
    by default: looked up once per file by the caller, not once a row); None when blank; False
    when unreadable."""
    if value is None or value == "":
        return None
    tz = tz or timezone.get_current_timezone()
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value, tz)
    if isinstance(value, dt.date):
        return timezone.make_aware(dt.datetime.combine(value, dt.time(9)), tz)
    if isinstance(value, str):
        text = value.strip()
        for parse in (dt.datetime.fromisoformat, lambda t: dt.datetime.strptime(t, "%d/%m/%Y")):  # noqa: DTZ007 - made aware below
            try:
                parsed = parse(text)
            except ValueError:
                continue
            if len(text) <= 10:
                parsed = parsed.replace(hour=9)
            return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, tz)
    return False


def check_reports(
    rows: Iterator[tuple],
    *,
    by: Any = None,
    total: int = 0,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ReportCheck:
    """Check every row of a report file (header first); nothing is written."""
    today = today or timezone.localdate()
    now = timezone.now()
    result = ReportCheck()
    header = next(rows, None)
    if header is None:
        result.problems.append(Problem(1, "", _("The file is empty.")))
        return result
    keys = _header_keys()
    for index, title in enumerate(header):
        name = keys.get(fold(str(title))) if title is not None else None
        if name is not None and name not in result.columns:
            result.columns[name] = index
    missing = [f for f in REQUIRED if f not in result.columns]
    if missing:
        labels = {name: vi for name, vi, _en in COLUMNS}
        result.problems.append(
            Problem(1, "", _("Missing columns: %(columns)s.") % {"columns": ", ".join(labels[f] for f in missing)})
        )
        return result

    projects = _Projects(by)
    tz = timezone.get_current_timezone()
    terminated = dict(
        StatusChange.objects.filter(to_status=ProjectStatus.TERMINATED).values_list("project_id", "effective_date")
    )
    col = result.columns
    i_code, i_kind, i_year, i_quarter = col["project_code"], col["period_kind"], col["year"], col["quarter"]
    i_figures = [(f, col[f]) for f in REPORT_FIGURES]
    i_when = col.get("submitted_at")
    width = max(col.values()) + 1
    seen: dict[tuple[int, str, int, int], int] = {}
    kinds: dict[Any, str | None] = {}
    candidates: list[tuple[int, tuple[int, str, int, int], list[int], dt.datetime]] = []
    problems = result.problems
    n = 0
    for n, row in enumerate(rows, start=2):
        if len(row) < width:
            row = (*row, *([None] * (width - len(row))))
        if all(v is None or v == "" for v in row):
            continue
        result.rows += 1
        if result.rows > MAX_ROWS:
            problems.append(Problem(n, "", _("A file holds at most %(n)s reports.") % {"n": f"{MAX_ROWS:,}"}))
            break
        if progress is not None and result.rows % 1000 == 0:
            progress(result.rows, total)
        bad = len(problems)
        raw_code = row[i_code]
        project = projects.find(raw_code)
        if project is None:
            code = fold(str(raw_code or ""))
            problems.append(
                Problem(
                    n,
                    "project_code",
                    _("Unknown project code %(code)s.") % {"code": row[i_code]}
                    if code
                    else _("The project code is missing."),
                )
            )
        written = row[i_kind]
        kind = kinds.get(written)
        if kind is None and written not in kinds:  # a few words in a file: each folded once
            kind = kinds[written] = PERIOD_WORDS.get(fold(str(written or "")))
        quarter = parse_whole(row[i_quarter]) if not blank(row[i_quarter]) else 0
        if kind == PeriodKind.YEAR and quarter not in (0, None):
            problems.append(Problem(n, "quarter", _("A yearly report has no quarter.")))
        when = _when(row[i_when], tz) if i_when is not None else None
        if when is False:
            problems.append(Problem(n, "submitted_at", _("Enter the filing date as a date (YYYY-MM-DD).")))
        pk, certified = project or (None, dt.date.min)
        # the rules of a report filed by hand (investment.rules), with the project's dates
        clean, errors = validate_report(
            period_kind=kind,
            year=row[i_year],
            quarter=quarter,
            figures={name: row[index] for name, index in i_figures},
            certificate_date=certified,
            terminated_on=terminated.get(pk),
            today=today,
            now=now,
            submitted_at=when or None,
            tz=tz,
        )
        for name, message in errors.items():
            if name == "submitted_at" and when is False:
                continue
            problems.append(Problem(n, "" if name == "__all__" else name, message))
        if len(problems) > bad or pk is None:
            continue
        year, quarter, when = clean["year"], clean["quarter"], clean["submitted_at"]
        figures = [clean["figures"][name] for name in REPORT_FIGURES]
        key = (pk, kind, year, quarter)
        if key in seen:
            problems.append(Problem(n, "", _("The same project and period as row %(row)s.") % {"row": seen[key]}))
            continue
        seen[key] = n
        candidates.append((n, key, figures, when))
    if progress is not None:
        progress(result.rows, max(total, result.rows))

    existing = _current_reports({key[0] for _n, key, _f, _w in candidates}, {key[2] for _n, key, _f, _w in candidates})
    by_id = getattr(by, "pk", None)
    for n, key, figures, when in candidates:
        filed = existing.get(key)
        if filed is not None:
            if filed == tuple(figures):
                result.unchanged += 1
            else:
                problems.append(
                    Problem(
                        n, "", _("A report for this period was already filed with other figures: correct it instead.")
                    )
                )
            continue
        pk, kind, year, quarter = key
        result.new.append((pk, kind, year, quarter, 1, True, *figures, "", by_id, when))
    problems.sort(key=lambda p: p.row)
    return result


def _current_reports(project_ids: set[int], years: set[int]) -> dict[tuple[int, str, int, int], tuple[int, ...]]:
    """The current reports of these projects in these years, by period, with their figures."""
    out: dict[tuple[int, str, int, int], tuple[int, ...]] = {}
    if not project_ids:
        return out
    ids = sorted(project_ids)
    for i in range(0, len(ids), 10_000):
        qs = PeriodicReport.objects.filter(is_current=True, year__in=sorted(years), project_id__in=ids[i : i + 10_000])
        for pk, kind, year, quarter, *figures in qs.values_list(
            "project_id", "period_kind", "year", "quarter", *REPORT_FIGURES
        ).iterator(chunk_size=10_000):
            out[(pk, kind, year, quarter)] = tuple(figures)
    return out


# --- applying -----------------------------------------------------------------------------------


def import_reports(
    path: str | Path,
    *,
    by: Any = None,
    dry_run: bool = False,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> ReportCheck:
    """Check a report file and, when it has no problem and this is not a dry run, write its new
    reports in one transaction. Raises `ServiceError` (nothing written) when a row has a problem;
    the check, with every problem, is in `exc.check`."""
    rows, total = read_rows(path)
    result = check_reports(rows, by=by, total=total, today=today, progress=progress)
    if not result.ok:
        error = ServiceError(
            {"file": _("%(n)s problems in the file: nothing was imported.") % {"n": len(result.problems)}}
        )
        error.check = result  # type: ignore[attr-defined]
        raise error
    if not dry_run and result.new:
        write_reports(result.new, source=Path(path).name)
    return result


@transaction.atomic
def write_reports(rows: list[tuple], progress: Progress | None = None, *, source: str = "") -> None:
    """The checked reports, as version 1 and current. A report filed meanwhile for one of the
    periods makes the unique constraint refuse the whole file: nothing is written. The import is
    one entry of the audit trail (who, when, which import, the reports' ids: `audit.log_bulk_created`),
    not one a row: the writer sends no signals, and a million entries would cost more than the import."""
    ids = reserve_ids(PeriodicReport, len(rows))  # written with their ids: the audit names them
    writer = Writer(background=False)
    for i in range(0, len(rows), BATCH):
        writer.write(
            REPORTS_WITH_IDS, [(pk, *row) for pk, row in zip(ids[i : i + BATCH], rows[i : i + BATCH], strict=True)]
        )
        if progress is not None:
            progress(min(i + BATCH, len(rows)), len(rows))
    writer.flush()
    audit.log_bulk_created(PeriodicReport, ids, source=source)
    generation_bump(FIGURES_GENERATION)
