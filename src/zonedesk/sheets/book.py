"""The blank template of each kind of import, and the registry in the template's layout.

The XLSX template has the data sheet first (Vietnamese headers, required ones marked, a comment
on each header saying what to write, drop-down lists for choices, whole-number and date
validation), an instructions sheet and the lists of allowed values. The CSV template is the
header row alone. `export` writes the registered records in the same layout, so that a file
exported and imported again changes nothing.
"""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from zonedesk.core.exports import Column, table_response, xlsx_safe_rows
from zonedesk.sheets.kinds import Kind

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROWS_VALIDATED = 10_000  # the rows of the data sheet that carry the validation
REQUIRED_FILL = PatternFill("solid", fgColor="FDE9D9")
NUMBER_FORMATS = {"money": "#,##0", "whole": "0", "decimal": "#,##0.00", "date": "yyyy-mm-dd"}


def template_workbook(kind: Kind) -> bytes:
    book = Workbook()
    data = book.active
    data.title = _("Data")[:31]
    guide = book.create_sheet(_("Instructions")[:31])
    lists = book.create_sheet(_("Lists")[:31])
    choices = kind.choices()
    bold = Font(bold=True)
    last = ROWS_VALIDATED + 1
    listed = 0  # the columns of the lists sheet so far
    for i, col in enumerate(kind.columns, start=1):
        letter = get_column_letter(i)
        cell = data.cell(row=1, column=i, value=col.vi)
        cell.font = bold
        if col.required:
            cell.fill = REQUIRED_FILL
        note = str(col.help) + (f"\n{_('Required.')}" if col.required else "")
        cell.comment = Comment(note, "ZoneDesk", width=300, height=120)
        data.column_dimensions[letter].width = max(14, min(40, len(col.vi) + 4))
        cells = f"{letter}2:{letter}{last}"
        if col.name in choices:
            values = choices[col.name]
            listed += 1
            list_column = get_column_letter(listed)
            lists[f"{list_column}1"] = col.vi
            lists[f"{list_column}1"].font = bold
            for j, value in enumerate(values, start=2):
                lists[f"{list_column}{j}"] = value
            lists.column_dimensions[list_column].width = 40
            ref = f"{quote_sheetname(lists.title)}!${list_column}$2:${list_column}${max(2, len(values) + 1)}"
            rule = DataValidation(type="list", formula1=ref, allow_blank=not col.required)
            rule.error = _("Choose a value from the list.")
        elif col.type in ("money", "whole"):
            rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            rule.error = _("A whole number, not negative.")
        elif col.type == "decimal":
            rule = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
            rule.error = _("A number, not negative.")
        elif col.type == "date":
            rule = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
            rule.error = _("A date.")
        else:
            rule = None
        if rule is not None:
            rule.showErrorMessage = True
            rule.errorTitle = col.vi
            rule.prompt, rule.promptTitle, rule.showInputMessage = str(col.help)[:255], col.vi[:32], True
            rule.add(cells)
            data.add_data_validation(rule)
        if col.type in NUMBER_FORMATS:
            for row in range(2, 202):  # the first rows typed by hand show the format
                data.cell(row=row, column=i).number_format = NUMBER_FORMATS[col.type]
    data.freeze_panes = "A2"

    guide["A1"] = _("How to fill in the template: %(kind)s") % {"kind": kind.title}
    guide["A1"].font = Font(bold=True, size=14)
    lines = [
        _("Fill in one row per record on the first sheet, from its second row; keep the header row."),
        _(
            "Columns with a coloured header are required. Their order does not matter, and another file's columns can be matched to these when it is uploaded."
        ),
        _(
            "Names and codes are matched without accents or case. Numbers are whole numbers of đồng, without decimals (1.250.000 is read as one million two hundred and fifty thousand)."
        ),
        _(
            "Upload the file: every problem is listed by row and column before anything is saved, and nothing is saved until the file has none. Importing the same file again changes nothing."
        ),
    ]
    for r, line in enumerate(lines, start=3):
        guide.cell(row=r, column=1, value=line)
    header_row = len(lines) + 4
    for c, title in enumerate((_("Column"), _("Required"), _("What to write"), _("Example")), start=1):
        guide.cell(row=header_row, column=c, value=title).font = bold
    for r, col in enumerate(kind.columns, start=header_row + 1):
        guide.cell(row=r, column=1, value=col.vi)
        guide.cell(row=r, column=2, value=_("yes") if col.required else "")
        guide.cell(row=r, column=3, value=str(col.help))
        guide.cell(row=r, column=4, value=col.example if col.example != "" else None)
    for letter, width in (("A", 34), ("B", 10), ("C", 90), ("D", 30)):
        guide.column_dimensions[letter].width = width
    for sheet in book.worksheets:  # a zone's name that looks like a formula is shown, never run
        xlsx_safe_rows(sheet)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def template_response(kind: Kind, fmt: str) -> HttpResponse:
    name = f"zonedesk-{kind.slug}-template"
    if fmt == "csv":
        header = ",".join(f'"{c.vi}"' for c in kind.columns) + "\r\n"
        response = HttpResponse(("\ufeff" + header).encode(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(template_workbook(kind), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def export(kind: Kind, fmt: str, *, user: Any) -> HttpResponse:
    """The registered records of the kind, as the template lays them out (a round trip)."""
    columns = [Column(col.vi, (lambda row, i=i: row[i]), col.name) for i, col in enumerate(kind.columns)]
    return table_response(
        fmt=fmt, name=f"zonedesk-{kind.slug}", columns=columns, rows=kind.export_rows(user=user), title=str(kind.title)
    )
