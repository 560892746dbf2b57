"""The board's report as an XLSX workbook: a cover sheet and a sheet per section, with real
numbers (VND in whole đồng), Vietnamese headers and Excel charts drawn from the sheet's cells."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zonedesk.core.exports import xlsx_safe_rows

VND = "#,##0"
COUNT = "#,##0"
PCT = "0.0"
BOLD = Font(bold=True)


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]], formats: dict[int, str] | None = None):
    sheet = book.create_sheet(title[:31])
    sheet.append([str(h) for h in header])
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    for index, fmt in (formats or {}).items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = fmt
    for i in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 44 if i == 1 else 20
    sheet.freeze_panes = "B2"
    return sheet


def _bar(
    sheet, title: str, *, data_cols: tuple[int, int], rows: tuple[int, int], anchor: str, horizontal: bool = False
):
    """A bar chart of columns `data_cols` (first to last, their headers as series names) over the
    rows `rows`, labelled by the first column."""
    if rows[1] < rows[0]:
        return
    chart = BarChart()
    chart.type = "bar" if horizontal else "col"
    chart.title = title
    chart.height, chart.width = 9, 18
    data = Reference(sheet, min_col=data_cols[0], max_col=data_cols[1], min_row=rows[0] - 1, max_row=rows[1])
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=rows[0], max_row=rows[1]))
    sheet.add_chart(chart, anchor)


def _compare_rows(lines: list[dict[str, Any]]) -> list[list[Any]]:
    return [[str(r["label"]), r["now"], r["before"], r["change_pct"]] for r in lines]


def build(report: dict[str, Any]) -> bytes:
    book = Workbook()
    cover = book.active
    cover.title = _("About this report")[:31]
    zone = report["zone"]
    cover["A1"] = _("Periodic report of the management board")
    cover["A1"].font = Font(bold=True, size=14)
    facts = [
        (_("Zone"), zone.name if zone is not None else _("All zones")),
        (_("Year"), report["year"]),
        (_("Figures as of"), report["as_of"]),
        (_("Made on"), report["made_on"]),
        (_("Money"), _("whole đồng (VND)")),
    ]
    if not report["complete"]:
        facts.append(
            (
                _("Note"),
                _(
                    "The year is not over: its reports so far are set beside the whole of last year, so no change is worked out."
                ),
            )
        )
    for r, (label, value) in enumerate(facts, start=3):
        cover.cell(row=r, column=1, value=str(label)).font = BOLD
        cover.cell(row=r, column=2, value=value)
        if hasattr(value, "year"):
            cover.cell(row=r, column=2).number_format = "dd/mm/yyyy"
    cover.column_dimensions["A"].width, cover.column_dimensions["B"].width = 28, 40

    year, last = str(report["year"]), str(report["year"] - 1)
    header = [_("Indicator"), year, last, _("Change from last year (%)")]
    formats = {2: VND, 3: VND, 4: PCT}

    attraction = _sheet(book, _("Investment attraction"), header, _compare_rows(report["attraction"]), formats)
    money = [
        i for i, r in enumerate(report["attraction"], start=2) if r["unit"] == "vnd" and r["key"] != "net_capital_vnd"
    ]
    if money:  # the capital lines, this year against last
        _bar(attraction, _("Capital attracted (VND)"), data_cols=(2, 3), rows=(money[0], money[0]), anchor="F2")

    results = _sheet(book, _("Results"), header, _compare_rows(report["results"]), formats)
    flows = [
        i
        for i, r in enumerate(report["results"], start=2)
        if r["key"] in ("revenue_vnd", "export_vnd", "import_vnd", "taxes_paid_vnd")
    ]
    _bar(
        results, _("Revenue, export, import and taxes (VND)"), data_cols=(2, 3), rows=(flows[0], flows[-1]), anchor="F2"
    )

    behind = [
        [
            r["project"].code,
            r["project"].name,
            r["project"].enterprise.name,
            r["milestone"].get_kind_display(),
            r["milestone"].planned_date,
            r["days_overdue"],
            r["overdue_milestones"],
            _("yes") if r["serious"] else "",
        ]
        for r in report["behind"]
    ]
    sheet = _sheet(
        book,
        _("Behind schedule"),
        [
            _("Project code"),
            _("Project"),
            _("Enterprise"),
            _("Milestone"),
            _("Planned date"),
            _("Days overdue"),
            _("Overdue milestones"),
            _("Serious"),
        ],
        behind,
        {5: "dd/mm/yyyy", 6: COUNT, 7: COUNT},
    )
    sheet.column_dimensions["A"].width = 16

    p = report["petitions"]
    rows = [
        [
            a["name"],
            a["received"],
            a["resolved"],
            a["resolved_on_time"],
            _pct(a["resolved_on_time_rate"]),
            a["overdue"],
            a["median_days_to_resolve"],
        ]
        for a in report["agencies"]
    ]
    rows.append(
        [
            _("All agencies"),
            p["received"],
            p["resolved"],
            p["resolved_on_time"],
            _pct(p["resolved_on_time_rate"]),
            p["overdue"],
            p["median_days_to_resolve"],
        ]
    )
    sheet = _sheet(
        book,
        _("Petitions"),
        [
            _("Agency"),
            _("Received"),
            _("Resolved"),
            _("Resolved on time"),
            _("On time (%)"),
            _("Overdue now"),
            _("Median days to resolve"),
        ],
        rows,
        {2: COUNT, 3: COUNT, 4: COUNT, 5: PCT, 6: COUNT, 7: PCT},
    )
    _bar(
        sheet,
        _("Petitions received and resolved on time, by agency"),
        data_cols=(2, 4),
        rows=(2, len(rows)),
        anchor="I2",
        horizontal=True,
    )

    rows = [_clearance_row(c["zone"].name, c["totals"]) for c in report["clearance"]]
    if report["zone"] is None and len(report["clearance"]) > 1:
        rows.append(_clearance_row(_("All zones"), report["clearance_all"]))
    sheet = _sheet(
        book,
        _("Site clearance"),
        [
            _("Zone"),
            _("Packages"),
            _("Handed over"),
            _("Area to clear (m²)"),
            _("Area handed over (m²)"),
            _("Area handed over (%)"),
            _("Households affected"),
            _("Households agreed"),
            _("Compensation approved (VND)"),
            _("Compensation paid (VND)"),
        ],
        rows,
        {2: COUNT, 3: COUNT, 4: "#,##0.00", 5: "#,##0.00", 6: COUNT, 7: COUNT, 8: COUNT, 9: VND, 10: VND},
    )
    _bar(
        sheet,
        _("Area to clear and handed over (m²)"),
        data_cols=(4, 5),
        rows=(2, len(report["clearance"]) + 1),  # the zones, not their total
        anchor="A" + str(len(rows) + 4),
    )

    header = [_("Condition")] + [c["zone"].code for c in report["scorecards"]]
    rows = []
    if report["scorecards"]:
        for i, condition in enumerate(report["scorecards"][0]["conditions"]):
            rows.append(
                [f"{condition.condition.number}. {condition.condition.name}"]
                + [card["conditions"][i].score for card in report["scorecards"]]
            )
        rows.append([_("Overall score")] + [card["overall"] for card in report["scorecards"]])
    sheet = _sheet(book, _("Ecosystem scorecard"), header, rows, {i: PCT for i in range(2, len(header) + 1)})
    if rows:
        _bar(
            sheet,
            _("Score by condition (%)"),
            data_cols=(2, len(header)),
            rows=(2, len(rows)),
            anchor="A" + str(len(rows) + 4),
            horizontal=True,
        )

    stream = io.BytesIO()
    for sheet in book.worksheets:  # a name that looks like a formula is shown, never run
        xlsx_safe_rows(sheet)
    book.save(stream)
    return stream.getvalue()


def _pct(rate: float | None) -> float | None:
    return None if rate is None else round(rate * 100, 1)


def _clearance_row(name: str, t) -> list[Any]:
    return [
        name,
        t.packages,
        t.handed_over,
        t.area_to_clear_m2,
        t.area_handed_over_m2,
        t.area_pct,
        t.households_affected,
        t.households_agreed,
        t.compensation_approved_vnd,
        t.compensation_paid_vnd,
    ]
