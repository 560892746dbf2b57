"""A list of a page as a spreadsheet: what the page shows, with its filters, every row (not only
the page's), as CSV or XLSX.

- CSV is streamed as it is written (UTF-8 with a byte-order mark, so that Excel reads the
  Vietnamese letters), one row at a time from the rows' iterator: memory stays flat whatever
  the size.
- XLSX is written by openpyxl in write-only mode (rows are not kept in memory) into a temporary
  file, which is then streamed and removed; dates stay dates and numbers numbers, headers are
  bold and the first row is frozen.
- Text that a spreadsheet would take for a formula (it begins with `=`, `+`, `-`, `@`, a tab or a
  carriage return: OWASP's rule against CSV injection) is never one: in CSV it gets a leading
  apostrophe (`'=HYPERLINK(...)`, shown as typed by Excel and LibreOffice), in XLSX it is stored
  as text with Excel's "quote prefix" (shown exactly as typed, and still text once edited). Only
  text is touched: numbers stay numbers, -5 included. `csv_unquote` takes the apostrophe off
  again when such a file is imported (the spreadsheet imports' round trip).

A page asks for it with `?export=csv` or `?export=xlsx` beside its own filters (`export_format`),
and builds the response with `table_response` from the same selector that fills the page.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
JSON = "application/json"


@dataclass(frozen=True)
class Column:
    header: str  # in the page's language
    value: Callable[[Any], Any]  # the cell of a row: text, a number, a date, a bool or None
    key: str = ""  # the field's name in JSON (open datasets); the header when empty


def export_format(request: HttpRequest) -> str | None:
    """ "csv" or "xlsx" when the page is asked for a spreadsheet, else None."""
    value = request.GET.get("export", "")
    return value if value in FORMATS else None


# The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_like(value: Any) -> bool:
    """Text a spreadsheet would take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(text: str) -> str:
    """A CSV cell's text that no spreadsheet runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_unquote(text: str) -> str:
    """The text of a CSV cell that `csv_safe` wrote (its apostrophe taken off again)."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def xlsx_text_cell(cell: Any) -> Any:
    """Make an openpyxl cell (of a normal or a write-only sheet) holding formula-like text show
    that text, never run it: stored as text, with Excel's quote prefix so that it stays text
    when someone edits the cell. Other cells are left as they are."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def xlsx_safe_rows(sheet: Any) -> None:
    """`xlsx_text_cell` for every cell of a normal (not write-only) sheet."""
    for row in sheet.iter_rows():
        for cell in row:
            xlsx_text_cell(cell)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):  # structured data (an audit entry's changes): as JSON
        return json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat(timespec="minutes") if timezone.is_aware(value) else value.isoformat()
        )
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv_lines(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([csv_safe(str(c.header)) for c in columns])
    for row in rows:
        yield writer.writerow([_csv_cell(c.value(row)) for c in columns])


def _csv_cell(value: Any) -> str:
    text = _text(value)
    # numbers are not touched: -5 stays a number
    return text if isinstance(value, (int, float, Decimal)) else csv_safe(text)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, (int, float, str, dt.date)):
        return value
    return _text(value)


XLSX_MAX_ROWS = 1_048_576 - 2  # Excel's and LibreOffice's last row, less the header and the note
XLSX_CUT_NOTE = gettext_lazy("The spreadsheet holds no more rows: download the CSV for every row.")


def _xlsx(columns: list[Column], rows: Iterable[Any], title: str):
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "Sheet")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for c in columns:
        cell = xlsx_text_cell(WriteOnlyCell(sheet, value=str(c.header)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for n, row in enumerate(rows):
        if n == XLSX_MAX_ROWS:  # a spreadsheet holds no more: the last row says so (CSV has no limit)
            sheet.append([xlsx_text_cell(WriteOnlyCell(sheet, value=str(XLSX_CUT_NOTE)))])
            break
        cells = [_cell(c.value(row)) for c in columns]
        sheet.append([xlsx_text_cell(WriteOnlyCell(sheet, value=v)) if formula_like(v) else v for v in cells])
    out = tempfile.TemporaryFile()  # removed when closed (by the response, when sent)
    book.save(out)
    out.seek(0)
    return out


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict | list):  # structured data stays structured (json.dumps reads it)
        return value
    return str(value)


def _json_lines(columns: list[Column], rows: Iterable[Any]) -> Iterator[str]:
    keys = [c.key or str(c.header) for c in columns]
    yield "["
    for i, row in enumerate(rows):
        item = {k: _json_value(c.value(row)) for k, c in zip(keys, columns, strict=True)}
        yield ("," if i else "") + "\n" + json.dumps(item, ensure_ascii=False)
    yield "\n]\n"


def json_response(*, name: str, columns: list[Column], rows: Iterable[Any]) -> StreamingHttpResponse:
    """The rows as a streamed JSON array of objects (an open dataset's JSON distribution)."""
    response = StreamingHttpResponse(_json_lines(columns, rows), content_type=JSON)
    response["Content-Disposition"] = f'inline; filename="{name}.json"'
    return response


def table_response(*, fmt: str, name: str, columns: list[Column], rows: Iterable[Any], title: str = "") -> HttpResponse:
    """The rows as a downloadable CSV or XLSX named `name-YYYY-MM-DD.ext`."""
    filename = f"{name}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        response: HttpResponse = StreamingHttpResponse(_csv_lines(columns, rows), content_type=FORMATS["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return FileResponse(
        _xlsx(columns, rows, title or name), as_attachment=True, filename=filename, content_type=FORMATS["xlsx"]
    )


def table_sizes(
    *, columns: list[Column], rows: Callable[[], Iterable[Any]], title: str = ""
) -> tuple[int, dict[str, int]]:
    """How many rows a table has and how many bytes its CSV, XLSX and JSON downloads take, as
    `table_response` and `json_response` write them (each written once more, as it streams:
    never the whole file in memory). `rows` makes a fresh iterator each time."""
    count = 0

    def counted() -> Iterator[Any]:
        nonlocal count
        for row in rows():
            count += 1
            yield row

    sizes = {"csv": sum(len(line.encode()) for line in _csv_lines(columns, counted()))}
    xlsx = _xlsx(columns, rows(), title or "Sheet")
    try:
        sizes["xlsx"] = xlsx.seek(0, 2)
    finally:
        xlsx.close()
    sizes["json"] = sum(len(line.encode()) for line in _json_lines(columns, rows()))
    return count, sizes
