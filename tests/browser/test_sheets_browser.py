"""A spreadsheet import in a real browser: a board officer downloads the projects template,
fills it, uploads it, sees the dry run's problems by row and column, fixes them and imports.

The worker's part runs in the test's thread (`sheet_import_run.call`): the live server shares the
test's database, and the page follows the job by itself."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import PASSWORD, make_tax_code
from zonedesk.investment.models import Project
from zonedesk.sheets import tasks
from zonedesk.sheets.models import SheetImport

pytestmark = pytest.mark.browser


def _work() -> None:
    """What the worker does: run every step waiting."""
    for pk in SheetImport.objects.filter(status=SheetImport.Status.QUEUED).values_list("pk", flat=True):
        tasks.sheet_import_run.call(pk)


def _fill(path, rows) -> None:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c, value=value)
    book.save(path)


def _upload(page, path) -> None:
    page.select_option("#id_kind", "projects")
    page.set_input_files("#id_file", str(path))
    with page.expect_navigation():
        page.click("form.sheet-upload button[type=submit]")


def test_board_downloads_the_template_fills_it_sees_the_problems_fixes_them_and_imports(
    visit, board_user, project, tmp_path
):
    page = visit.page
    visit.login(board_user.username, PASSWORD, next_path="/imports/")
    with page.expect_download() as download:
        page.click('a[data-template="projects"]')
    path = tmp_path / "du-an.xlsx"
    download.value.save_as(path)
    header = [c.value for c in load_workbook(path).worksheets[0][1]]
    assert header[:4] == ["Mã dự án", "Tên dự án", "Tên tiếng Anh", "Doanh nghiệp"]

    def row(code, enterprise, capital):
        values = dict.fromkeys(header)
        values.update(
            {
                "Mã dự án": code,
                "Tên dự án": f"Dự án {code}",
                "Doanh nghiệp": enterprise,
                "Lĩnh vực": "Phần mềm và dịch vụ công nghệ thông tin",
                "Vốn đăng ký (VND)": capital,
                "Ngày cấp giấy chứng nhận": dt.date(2025, 3, 1),
                "Nhà đầu tư": "Công ty Cổ phần Minh họa",
                "Mã số thuế nhà đầu tư": investor_tax,
            }
        )
        return [values[h] for h in header]

    investor_tax = make_tax_code()
    _fill(
        path,
        [
            row("HL-B-1", project.enterprise.tax_code, 20_000_000_000),
            row("HL-B-2", "Công ty chưa đăng ký", "hai mươi tỷ"),
        ],
    )
    _upload(page, path)
    expect(page.locator(".import-progress")).to_be_visible()
    _work()
    page.locator("a[data-done]").click()  # the page saw the end of the check by itself
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(2)
    expect(problems.nth(0)).to_contain_text("Doanh nghiệp")
    expect(problems.nth(0)).to_contain_text("Không có doanh nghiệp “Công ty chưa đăng ký”")
    expect(problems.nth(1)).to_contain_text("Vốn đăng ký (VND)")
    expect(page.locator("#apply")).to_have_count(0)
    visit.shot("sheets-dry-run-problems")
    assert not Project.objects.filter(code__startswith="HL-B").exists()

    # fixed: the enterprise written without accents, the capital as digits
    _fill(
        path,
        [
            row("HL-B-1", project.enterprise.tax_code, 20_000_000_000),
            row("HL-B-2", "cong ty tnhh so 1", "20.000.000.000"),
        ],
    )
    visit.goto("/imports/")
    _upload(page, path)
    _work()
    page.locator("a[data-done]").click()
    expect(page.locator('[data-count="problems"]')).to_have_text("0")
    expect(page.locator('[data-count="new"]')).to_have_text("2")
    with page.expect_navigation():
        page.click("#apply")
    _work()
    page.locator("a[data-done]").click()
    expect(page.locator(".badges")).to_contain_text("Đã nhập")
    visit.shot("sheets-imported")
    assert set(Project.objects.filter(code__startswith="HL-B").values_list("code", flat=True)) == {"HL-B-1", "HL-B-2"}
    assert visit.errors == [] and visit.foreign_requests() == []
