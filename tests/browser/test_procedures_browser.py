"""One dossier through the board's one-stop desk, in a real browser: the enterprise files an
adjustment of its certificate online (the registry's values filled in), the division asks once
for everything missing, the enterprise supplements, each unit takes its step on time, the leader
signs, the desk returns the result; the enterprise downloads a signed PDF that pyHanko's validator
accepts as the board's and unchanged; the registry shows the new capital as of the decision date;
the public lookup shows it resolved on time and the public figures count it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_petitions_browser import _logout, _submit, _success
from tests.conftest import PASSWORD
from tests.test_attachments import make_pdf
from zonedesk.investment.models import Project

pytestmark = pytest.mark.browser

NEW_CAPITAL = 180_000_000_000


def _step(visit, username: str, code: str, op: str, fill=None) -> None:
    visit.login(username, PASSWORD, f"/dossiers/{code}/")
    page = visit.page
    page.click(f"#do-{op} summary")
    if fill is not None:
        fill(page)
    _submit(page, f"#do-{op} button[type=submit]")
    _success(page)
    _logout(visit)


def test_an_adjustment_from_filing_to_signed_result_registry_lookup_and_figures(
    visit, zone, project, enterprise_user, one_stop_desk, tmp_path, settings
):
    from zonedesk.procedures import documents

    settings.MEDIA_ROOT = str(tmp_path / "media")
    files = []
    for i in range(4):
        path = tmp_path / f"phan-{i + 1}.pdf"
        path.write_bytes(make_pdf(padding=i))
        files.append(path)
    page = visit.page

    # 1. The enterprise finds the procedure without accents and files online, prefilled from the registry.
    visit.login(enterprise_user.username, PASSWORD, "/procedures/?q=dieu+chinh")
    _submit(page, "a[href='/procedures/DT-03/']")
    expect(page.locator("h1")).to_contain_text("Điều chỉnh")
    _submit(page, "a[href='/procedures/DT-03/file/']")
    _submit(page, "form.filter-form button[type=submit]")  # fill in from the project
    expect(page.locator("#id_registered_capital_vnd")).to_have_value(str(project.registered_capital_vnd))
    page.fill("#id_registered_capital_vnd", str(NEW_CAPITAL))
    page.fill("#id_objectives", "Nghiên cứu và phát triển phần mềm, quy mô 500 kỹ sư")
    page.fill("#id_reason", "Mở rộng quy mô nghiên cứu")
    file_inputs = page.locator("input[type=file]")
    for i in range(file_inputs.count()):
        file_inputs.nth(i).set_input_files(str(files[i]))
    visit.shot("dossier-file-form")
    _submit(page, "form.stack-form button[type=submit]")
    _success(page)
    code = re.search(r"H26\.71-\d{6}-\d{4}", page.locator("h1").inner_text()).group(0)
    _logout(visit)

    # 2. The desk receives it; the division asks once for everything missing, with a reason each.
    _step(visit, "motcua", code, "receive")

    def ask(page):
        rows = page.locator("table.supplement-items tbody tr")
        rows.nth(1).locator("input[type=checkbox]").check()
        rows.nth(1).locator("input[type=text]").fill("Báo cáo chưa có số liệu quý III")
        rows.nth(4).locator("input[type=checkbox]").check()  # the form's first field
        rows.nth(4).locator("input[type=text]").fill("Vốn đề nghị chưa khớp quyết định của nhà đầu tư")

    _step(visit, "chuyenvien", code, "request_supplement", ask)

    # 3. The enterprise reads the request and answers all of it.
    visit.login(enterprise_user.username, PASSWORD, f"/dossiers/{code}/")
    expect(page.locator("body")).to_contain_text("Báo cáo chưa có số liệu quý III")
    page.click("#do-supplement summary")
    page.locator("#do-supplement input[type=file]").set_input_files(str(files[1]))
    page.fill("#do-supplement input[name='supplement-registered_capital_vnd']", str(NEW_CAPITAL))
    _submit(page, "#do-supplement button[type=submit]")
    _success(page)
    _logout(visit)

    # 4. Each unit takes its step; the leader signs; the desk returns the result.
    _step(visit, "chuyenvien", code, "forward")
    _step(visit, "truongphong", code, "forward")
    _step(visit, "lanhdao", code, "sign")
    _step(visit, "motcua", code, "return_result")

    # 5. The enterprise downloads the signed result: pyHanko's validator accepts it as the board's, unchanged.
    visit.login(enterprise_user.username, PASSWORD, f"/dossiers/{code}/")
    with page.expect_download() as download:
        page.click("a[href$='/documents/result/']")
    signed = download.value.path().read_bytes()
    checked = documents.verify(signed)
    assert checked.signed and checked.intact and checked.trusted, checked.problem
    assert checked.known and checked.code == f"{code}-KQ" and "Hà Nội" in checked.signer
    _logout(visit)

    # 6. The registry shows the new capital as of the decision date.
    project = Project.objects.get(pk=project.pk)
    assert project.registered_capital_vnd == NEW_CAPITAL
    amendment = project.amendments.get()
    assert amendment.date == timezone.localdate() and amendment.reference == code
    visit.goto(f"/projects/{project.code}/")
    expect(page.locator("body")).to_contain_text(code)

    # 7. The public lookup shows it resolved on time; the public figures count it.
    visit.goto(f"/dossiers/lookup/?code={code}")
    expect(page.locator("#lookup-result")).to_contain_text(str(dt.date.today().year))
    expect(page.locator("#lookup-result .badge-ok")).to_be_visible()
    visit.goto("/dossiers/figures/")
    expect(page.locator("#figures-whole")).to_contain_text("100")
    assert not visit.errors
