"""Periodic reports from a spreadsheet: real XLSX and CSV files, every refusal by row and column,
all or nothing, idempotent, visible in the next read of the figures, and the command."""

from __future__ import annotations

import csv
import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook

from zonedesk.core.errors import ServiceError
from zonedesk.investment import imports, selectors, services
from zonedesk.investment.models import PeriodicReport

VI = [vi for _f, vi, _en in imports.COLUMNS]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages checked below are the English msgids
        yield


EN = [en for _f, _vi, en in imports.COLUMNS]


def row(code, kind="Quý", year=2024, quarter=1, revenue=1_000_000_000, workers=50, degree=20, **extra):
    values = {
        "revenue_vnd": revenue,
        "export_vnd": 0,
        "import_vnd": 0,
        "workers_total": workers,
        "workers_degree": degree,
        "rnd_spend_vnd": 5_000_000,
        "taxes_paid_vnd": 7_000_000,
        "capital_disbursed_cum_vnd": 40_000_000_000,
        "submitted_at": "",
    } | extra
    return [code, kind, year, quarter, *(values[f] for f, _vi, _en in imports.COLUMNS[4:])]


def xlsx(path, rows, header=VI):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def problems(path, **kw):
    with pytest.raises(ServiceError) as exc:
        imports.import_reports(path, **kw)
    return [(p.row, p.column, p.message) for p in exc.value.check.problems]


def test_an_xlsx_file_becomes_reports_and_the_figures_show_them(tmp_path, project, board_user):
    before = selectors.zone_figures(zone=project.zone, year=2024)["revenue_vnd"]
    path = xlsx(tmp_path / "bao-cao.xlsx", [row(project.code, quarter=q, revenue=q * 1_000) for q in (1, 2, 3, 4)])
    result = imports.import_reports(path, by=board_user)
    assert (result.rows, len(result.new), result.unchanged) == (4, 4, 0)
    reports = PeriodicReport.objects.filter(project=project, year=2024).order_by("quarter")
    assert [r.revenue_vnd for r in reports] == [1_000, 2_000, 3_000, 4_000]
    assert all(r.is_current and r.version == 1 and r.submitted_by == board_user for r in reports)
    # the figures cache shows the import at once
    assert selectors.zone_figures(zone=project.zone, year=2024)["revenue_vnd"] == before + 10_000


def test_importing_the_same_file_again_changes_nothing(tmp_path, project):
    path = xlsx(tmp_path / "r.xlsx", [row(project.code, quarter=1), row(project.code, kind="Năm", quarter="")])
    imports.import_reports(path)
    ids = set(PeriodicReport.objects.values_list("pk", flat=True))
    again = imports.import_reports(path)
    assert (len(again.new), again.unchanged) == (0, 2)
    assert set(PeriodicReport.objects.values_list("pk", flat=True)) == ids


def test_english_headers_in_any_order_and_a_semicolon_csv(tmp_path, project):
    path = tmp_path / "reports.csv"
    header = list(reversed(EN))
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow([h.upper() for h in header])
        w.writerow(list(reversed(row(project.code.lower(), kind="quarter", quarter=2, revenue="1.250.000"))))
    imports.import_reports(path)
    assert PeriodicReport.objects.get(project=project, year=2024, quarter=2).revenue_vnd == 1_250_000


def test_every_problem_is_reported_by_row_and_column_and_nothing_is_written(tmp_path, project, make_project):
    later = make_project(zone=project.zone, certificate_date=dt.date(2023, 6, 1))
    services.report_submit(
        project=project,
        period_kind="quarter",
        year=2023,
        quarter=4,
        figures={"revenue_vnd": 9},
        today=dt.date(2025, 1, 1),
    )
    future = dt.date.today().year + 1
    rows = [
        row(project.code, quarter=1),  # 2: fine
        row("KHONG-CO"),  # 3: unknown project
        row(project.code, kind="tháng"),  # 4: not a period
        row(project.code, quarter=5),  # 5: no such quarter
        row(project.code, quarter=2, revenue="mười tỷ"),  # 6: text for a number
        row(project.code, quarter=2, revenue=-5),  # 7: negative
        row(project.code, quarter=2, degree=60),  # 8: degree > all workers
        row(project.code, year=future),  # 9: not ended
        row(later.code, year=2023, quarter=1),  # 10: before registration
        row(project.code, quarter=1),  # 11: twice in the file
        row(project.code, year=2023, quarter=4, revenue=10),  # 12: already filed, other figures
        row(project.code, quarter=3, submitted_at="2024-08-01"),  # 13: filed before the period ended
        row(project.code, quarter=3, submitted_at="hôm qua"),  # 14: not a date
        row("", quarter=3),  # 15: no code
    ]
    path = xlsx(tmp_path / "loi.xlsx", rows)
    found = problems(path)
    assert [(r, c) for r, c, _m in found] == [
        (3, "project_code"),
        (4, "period_kind"),
        (5, "quarter"),
        (6, "revenue_vnd"),
        (7, "revenue_vnd"),
        (8, "workers_degree"),
        (9, "year"),
        (10, "year"),
        (11, ""),
        (12, ""),
        (13, "submitted_at"),
        (14, "submitted_at"),
        (15, "project_code"),
    ]
    messages = dict(((r, c), m) for r, c, m in found)
    assert "KHONG-CO" in messages[(3, "project_code")]
    assert "mười tỷ" in messages[(6, "revenue_vnd")]
    assert "row 2" in messages[(11, "")]
    assert not PeriodicReport.objects.filter(year=2024).exists()  # the good row waits for the others


def test_missing_columns_and_files_that_are_not_spreadsheets(tmp_path, project):
    path = xlsx(tmp_path / "thieu.xlsx", [[project.code, "Quý", 2024]], header=VI[:3])
    (found,) = problems(path)
    assert found[0] == 1 and "Quý" in found[2] and "Doanh thu (VND)" in found[2]
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"<html>not a workbook</html>")
    with pytest.raises(ServiceError, match="XLSX"):
        imports.import_reports(fake)
    with pytest.raises(ServiceError, match="XLSX or CSV"):
        imports.import_reports(tmp_path / "r.ods")


def test_an_enterprise_imports_only_for_its_own_projects(tmp_path, project, other_project, enterprise_user):
    path = xlsx(tmp_path / "r.xlsx", [row(project.code), row(other_project.code)])
    assert [(r, c) for r, c, _m in problems(path, by=enterprise_user)] == [(3, "project_code")]
    imports.import_reports(xlsx(tmp_path / "own.xlsx", [row(project.code)]), by=enterprise_user)
    assert PeriodicReport.objects.get(year=2024).submitted_by == enterprise_user


def test_a_dry_run_writes_nothing(tmp_path, project):
    result = imports.import_reports(xlsx(tmp_path / "r.xlsx", [row(project.code)]), dry_run=True)
    assert len(result.new) == 1 and not PeriodicReport.objects.exists()


def test_a_report_filed_meanwhile_refuses_the_whole_file(tmp_path, project, make_project):
    """Between the check and the write another filer takes a period: the unique constraint
    refuses the file, and none of its reports stays."""
    second = make_project(zone=project.zone)
    path = xlsx(tmp_path / "r.xlsx", [row(second.code), row(project.code)])
    result = imports.check_reports(imports.read_rows(path)[0])
    services.report_submit(project=project, period_kind="quarter", year=2024, quarter=1, figures={})
    with pytest.raises(Exception):  # noqa: B017 - the database's IntegrityError, whatever the driver
        imports._write(result.new)
    assert list(PeriodicReport.objects.values_list("project_id", flat=True)) == [project.pk]


def test_the_command_shows_problems_by_row_then_saves(tmp_path, project):
    bad = xlsx(tmp_path / "bad.xlsx", [row(project.code, quarter=7)])
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("report_import", str(bad), stdout=out, stderr=StringIO())
    assert "row 2, Quý" in out.getvalue() and not PeriodicReport.objects.exists()
    good = xlsx(tmp_path / "good.xlsx", [row(project.code, quarter=q) for q in (1, 2)])
    out = StringIO()
    call_command("report_import", str(good), stdout=out, stderr=StringIO())
    assert "2 new saved" in out.getvalue() and PeriodicReport.objects.count() == 2


def test_the_problems_are_told_in_vietnamese(tmp_path, project):
    bad = xlsx(tmp_path / "bad.xlsx", [row("KHONG-CO"), row(project.code, revenue="mười tỷ")])
    out = StringIO()
    with translation.override("vi"), pytest.raises(CommandError):
        call_command("report_import", str(bad), stdout=out, stderr=StringIO())
    text = out.getvalue()
    assert "dòng 2, Mã dự án: Không có dự án mã KHONG-CO." in text
    # the message of the report page's amount fields (investment.rules: one message per rule)
    assert "dòng 3, Doanh thu (VND): Không đọc được số tiền “mười tỷ”: hãy viết như 1.500.000.000" in text
