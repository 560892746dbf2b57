"""The report form in a real browser (issue 22, item 9): amounts are shown as read while they
are typed ("1,5 tỷ" → 1.500.000.000), the browser reads them as the server does, the filed
report stores whole đồng; file inputs show a translated button and the chosen names."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.test_amounts import test_amounts_as_people_write_them as _written
from tests.test_amounts import test_what_is_not_read_says_why as _refused
from zonedesk.core.money import AmountError, parse_amount
from zonedesk.investment.models import PeriodicReport

pytestmark = pytest.mark.browser


def _read(field):
    return field.locator("xpath=ancestor::div[contains(@class, 'field')][1]//output[@data-amount-read]")


def test_typing_an_amount_shows_it_read_and_the_report_stores_dong(visit, enterprise_user, project):
    page = visit.page
    visit.login(enterprise_user.username, PASSWORD, "/portal/reports/new/")
    assert "/portal/reports/new/" in page.url
    expect(page.locator("[data-due]")).to_contain_text("Hạn nộp")

    revenue = page.locator("#id_revenue_vnd")
    revenue.press_sequentially("1,5 tỷ")
    expect(_read(revenue)).to_have_text("= 1.500.000.000 đồng")
    export = page.locator("#id_export_vnd")
    export.press_sequentially("2 tỷ 300 triệu")
    expect(_read(export)).to_have_text("= 2.300.000.000 đồng")
    imports = page.locator("#id_import_vnd")
    imports.press_sequentially("1.500 tỷ")  # a decimal or thousands? not guessed
    expect(_read(imports)).to_contain_text("Chưa đọc được số tiền")
    imports.fill("")
    imports.press_sequentially("250 triệu")
    expect(_read(imports)).to_have_text("= 250.000.000 đồng")
    taxes = page.locator("#id_taxes_paid_vnd")
    taxes.press_sequentially("450000000")
    taxes.blur()  # plain digits are grouped when the field is left
    expect(taxes).to_have_value("450.000.000")
    for name, value in {
        "workers_total": "120",
        "workers_degree": "80",
        "rnd_spend_vnd": "0",
        "capital_disbursed_cum_vnd": "40 tỷ",
    }.items():
        page.fill(f"#id_{name}", value)
    with page.expect_navigation():
        page.click("form.report-form button[type=submit]")
    assert "/portal/#report-" in page.url, page.locator(".errorlist").all_inner_texts()
    report = PeriodicReport.objects.get()
    assert report.revenue_vnd == 1_500_000_000
    assert report.export_vnd == 2_300_000_000 and report.import_vnd == 250_000_000
    assert report.taxes_paid_vnd == 450_000_000 and report.capital_disbursed_cum_vnd == 40_000_000_000
    expect(page.locator("table.recent-reports")).to_contain_text("1.500.000.000")
    assert visit.errors == []


def test_the_browser_reads_amounts_as_the_server_does(visit, enterprise_user, project):
    """amounts.js mirrors core.money.parse_amount: the same answer for every case of the unit tests."""
    visit.login(enterprise_user.username, PASSWORD, "/portal/reports/new/")
    cases = [args[0] for args in _written.pytestmark[0].args[1] if isinstance(args[0], str)]
    cases += [args[0] for args in _refused.pytestmark[0].args[1] if isinstance(args[0], str)]
    cases += ["5 constructor", "5 __proto__", "5 toString"]  # no unit inherited by a JavaScript object
    browser = visit.page.evaluate(
        "cases => cases.map(c => { const v = window.zonedeskParseAmount(c); return v === null ? null : String(v); })",
        cases,
    )
    for case, read in zip(cases, browser, strict=True):
        try:
            server = str(parse_amount(case))
        except AmountError:
            server = None
        assert read == server, f"{case!r}: browser {read}, server {server}"


def test_file_inputs_have_a_translated_button_and_list_the_chosen_names(visit, enterprise_user, project, tmp_path):
    page = visit.page
    visit.login(enterprise_user.username, PASSWORD, "/portal/petitions/new/")
    button = page.locator("label.file-picker-button[for=id_attachments]")
    expect(button).to_be_visible()
    expect(button).to_have_text("Chọn các tệp…")
    names = page.locator("#id_attachments ~ .file-picker-names")
    expect(names).to_have_text("Chưa chọn tệp nào")
    box = page.locator("#id_attachments").bounding_box()
    assert box is None or box["width"] <= 1  # the browser's own English control is not shown
    one, two = tmp_path / "giay-phep.pdf", tmp_path / "ban-ve.png"
    one.write_bytes(b"%PDF-1.4\n")
    two.write_bytes(b"\x89PNG\r\n\x1a\n")
    page.set_input_files("#id_attachments", [str(one), str(two)])
    expect(names).to_contain_text("2 tệp:")
    expect(names.locator("li")).to_have_text(["giay-phep.pdf", "ban-ve.png"])
    # the keyboard reaches it: focusing the hidden input outlines its button
    page.focus("#id_attachments")
    assert page.evaluate("document.activeElement.id") == "id_attachments"
    assert visit.errors == []


def test_a_select_too_narrow_for_its_choice_shows_it_in_full(visit, enterprise_user, project, zone, make_project):
    from zonedesk.investment.models import Project

    long_name = "Trung tâm nghiên cứu và phát triển công nghệ vi mạch bán dẫn Hòa Lạc"
    Project.objects.filter(pk=project.pk).update(name_vi=long_name)
    page = visit.page
    visit.login(enterprise_user.username, PASSWORD, "/portal/reports/new/")
    # wide enough at 1366 px: the select takes the whole row, nothing is written under it
    page.set_viewport_size({"width": 1366, "height": 900})
    visit.goto("/portal/reports/new/")
    expect(page.locator("#id_project")).to_be_visible()
    assert page.locator(".select-full").count() == 0
    # on a phone the option cannot fit: its full text is under the select
    page.set_viewport_size({"width": 390, "height": 800})
    visit.goto("/portal/reports/new/")
    expect(page.locator("#id_project + .select-full")).to_have_text(f"{project.code} – {long_name}")
    assert visit.errors == []


def test_the_filters_of_the_project_list_show_their_whole_choice(visit, project):
    page = visit.page
    page.set_viewport_size({"width": 1366, "height": 900})
    visit.goto("/projects/")
    expect(page.locator("#id_ownership")).to_be_visible()
    page.select_option("#id_ownership", "foreign")
    page.wait_for_load_state("networkidle")
    for select in ("#id_zone", "#id_sector", "#id_status", "#id_ownership"):
        assert page.locator(f"{select} + .select-full").count() == 0, f"{select} cuts its text"
    assert visit.errors == []


def test_the_petition_form_shows_its_zone_whole(visit, enterprise_user, project, zone):
    page = visit.page
    page.set_viewport_size({"width": 1366, "height": 900})
    visit.login(enterprise_user.username, PASSWORD, "/portal/petitions/new/")
    page.select_option("#id_zone", zone.code)
    for select in page.locator("form.petition-form select").all():
        ident = select.get_attribute("id")
        assert page.locator(f"#{ident} + .select-full").count() == 0, f"{ident} cuts its text"
    assert visit.errors == []
