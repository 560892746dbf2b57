"""Spreadsheet imports of enterprises, projects and periodic reports (issue 7): real XLSX and CSV
files, the templates, column mapping, matching without accents or case, every refusal of the
dry run by row and column, all or nothing, idempotence, round trips and an interrupted import."""

from __future__ import annotations

import csv
import datetime as dt
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import Workbook, load_workbook

from tests.conftest import PASSWORD, make_tax_code
from zonedesk.core.errors import ServiceError
from zonedesk.investment.models import Enterprise, Investor, PeriodicReport, Project, StatusChange
from zonedesk.sheets import services, tasks
from zonedesk.sheets.book import template_workbook
from zonedesk.sheets.kinds import KINDS
from zonedesk.sheets.models import SheetImport

ENTERPRISES = [c.vi for c in KINDS["enterprises"].columns]
PROJECTS = [c.vi for c in KINDS["projects"].columns]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):  # the messages checked below are the English msgids
        yield


def xlsx(path, header, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def write_csv(path, header, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def project_row(code, enterprise, **over):
    values = {
        "code": code,
        "name_vi": f"Dự án {code}",
        "name_en": "",
        "enterprise": enterprise,
        "zone": "",
        "sector": "Phần mềm và dịch vụ công nghệ thông tin",
        "registered_capital_vnd": 50_000_000_000,
        "registered_capital_usd": None,
        "land_area_m2": 5000,
        "certificate_date": dt.date(2024, 5, 15),
        "term_years": 50,
        "investor": "Công ty Cổ phần Đầu tư Minh họa",
        "investor_nationality": "VN",
        "investor_tax_code": "",
        "share_vnd": None,
        "objectives": "",
        "target_workers": 200,
        "target_revenue_vnd": None,
        "target_export_vnd": None,
    } | over
    return [values[c.name] for c in KINDS["projects"].columns]


def problems_of(kind, path, **kw):
    with pytest.raises(ServiceError) as exc:
        services.import_file(kind, path, **kw)
    return [(p.row, p.column, p.message) for p in exc.value.check.problems]


# --- templates ------------------------------------------------------------------------------------


def test_the_project_template_has_vietnamese_headers_instructions_and_drop_down_lists(zone):
    with translation.override("vi"):
        book = load_workbook(io.BytesIO(template_workbook(KINDS["projects"])))
    data, guide, lists = book.worksheets
    assert [c.value for c in data[1]] == PROJECTS
    assert data["A1"].fill.fgColor.rgb.endswith("FDE9D9")  # required: coloured
    assert data["C1"].fill.fgColor.rgb in (None, "00000000")  # the English name is optional
    assert guide.title == "Hướng dẫn" and lists.title == "Danh mục"
    assert "Mã dự án" in [c.value for c in guide["A"]]
    rules = {str(dv.sqref).split(":")[0]: dv for dv in data.data_validations.dataValidation}
    sector = rules["F2"]  # the sector column
    assert sector.type == "list" and "Danh" in sector.formula1
    sectors = [c.value for c in lists["B"][1:] if c.value]
    assert "Phần mềm và dịch vụ công nghệ thông tin" in sectors and len(sectors) == 11
    assert [c.value for c in lists["A"][1:] if c.value] == ["HHTP"]
    assert rules["G2"].type == "whole" and rules["J2"].type == "date"


def test_templates_are_downloaded_by_whom_may_import(client, board_user, enterprise_user):
    assert client.get("/imports/templates/projects.xlsx").status_code == 302  # to log in
    client.login(username="dn1", password=PASSWORD)
    assert client.get("/imports/templates/projects.xlsx").status_code == 403
    response = client.get("/imports/templates/reports.csv")
    assert response.status_code == 200 and response.content.decode("utf-8-sig").startswith('"Mã dự án"')
    client.login(username="bql1", password=PASSWORD)
    response = client.get("/imports/templates/enterprises.xlsx")
    assert response.status_code == 200
    assert [c.value for c in load_workbook(io.BytesIO(response.content)).worksheets[0][1]] == ENTERPRISES
    assert client.get("/imports/templates/nothing.xlsx").status_code == 404


# --- enterprises ------------------------------------------------------------------------------------


def test_enterprises_are_imported_once_and_matched_without_accents(tmp_path, zone):
    code = make_tax_code()
    path = xlsx(
        tmp_path / "dn.xlsx",
        ENTERPRISES,
        [
            ["Công ty TNHH Hòa Lạc Số Một", code, "hhtp", "Thạch Thất"],
            ["Công ty B", make_tax_code(), "Khu Cong nghe cao Hoa Lac", None],
        ],
    )
    check = services.import_file("enterprises", path)
    assert (check.rows, len(check.new), check.unchanged) == (2, 2, 0)
    e = Enterprise.objects.get(tax_code=code)
    assert (e.name, e.zone, e.address, e.name_folded) == (
        "Công ty TNHH Hòa Lạc Số Một",
        zone,
        "Thạch Thất",
        "cong ty tnhh hoa lac so mot",
    )
    again = services.import_file("enterprises", path)
    assert (len(again.new), again.unchanged) == (0, 2)
    assert Enterprise.objects.count() == 2


def test_every_enterprise_problem_is_told_by_row_and_column(tmp_path, zone, project):
    code = make_tax_code()
    path = write_csv(
        tmp_path / "dn.csv",
        ENTERPRISES,
        [
            ["Công ty A", code, "HHTP", ""],
            ["Công ty A bis", code, "HHTP", ""],
            ["", "0101", "XYZ", ""],
            ["Một tên khác", project.enterprise.tax_code, "HHTP", ""],
        ],
    )
    assert problems_of("enterprises", path) == [
        (3, "tax_code", "The same tax code as row 2."),
        (4, "name", "Enter the enterprise's name."),
        (4, "tax_code", "“0101” is not a valid Vietnamese tax code."),
        (4, "zone", "Unknown zone “XYZ”."),
        (
            5,
            "tax_code",
            f"This tax code is registered as “{project.enterprise.name}” with other details: "
            "change it in the registry, not by import.",
        ),
    ]
    assert Enterprise.objects.count() == 1  # the project's own: nothing was written


# --- projects ---------------------------------------------------------------------------------------


def test_projects_are_imported_with_their_investor_and_shown_in_the_figures(tmp_path, zone, project):
    enterprise = project.enterprise
    folded_name = "CONG TY tnhh so 1"  # the enterprise's name, without accents, another case
    assert enterprise.name == "Công ty TNHH Số 1"
    path = xlsx(
        tmp_path / "da.xlsx",
        PROJECTS,
        [
            project_row("HL-2026-001", folded_name, investor_tax_code=make_tax_code(), share_vnd="30.000.000.000"),
            project_row(
                "HL-2026-002",
                enterprise.tax_code,
                sector="electronics",
                investor="Samsung Display",
                investor_nationality="kr",
                registered_capital_usd=2_000_000,
                certificate_date="15/06/2025",
            ),
        ],
    )
    check = services.import_file("projects", path, dry_run=True)
    assert (len(check.new), check.unchanged) == (2, 0)
    assert not Project.objects.filter(code__startswith="HL-").exists()  # a dry run writes nothing
    services.import_file("projects", path)
    first, second = Project.objects.get(code="HL-2026-001"), Project.objects.get(code="HL-2026-002")
    assert first.enterprise == enterprise and first.zone == zone and first.sector == "software"
    assert first.registered_capital_vnd == first.initial_capital_vnd == 50_000_000_000
    assert first.shares.get().capital_vnd == 30_000_000_000 and not first.is_foreign_invested
    assert second.is_foreign_invested and second.registered_capital_usd == 2_000_000
    assert second.certificate_date == dt.date(2025, 6, 15)
    assert second.shares.get().investor.nationality == "KR"
    assert StatusChange.objects.filter(project=second, to_status="registered").exists()
    assert "hl-2026-001" in first.search_text
    # importing it again changes nothing
    again = services.import_file("projects", path)
    assert (len(again.new), again.unchanged) == (0, 2)
    assert Project.objects.count() == 3 and Investor.objects.filter(name="Samsung Display").count() == 1


def test_every_project_problem_is_told_and_nothing_is_written(tmp_path, zone, project, make_project):
    other = make_project(zone=zone, name_vi="Dự án trùng tên doanh nghiệp")
    Enterprise.objects.filter(pk=other.enterprise_id).update(
        name=project.enterprise.name, name_folded=project.enterprise.name_folded
    )
    good = project_row("HL-OK", project.enterprise.tax_code, investor_tax_code=make_tax_code())
    path = xlsx(
        tmp_path / "da.xlsx",
        PROJECTS,
        [
            good,
            project_row("HL-OK", project.enterprise.tax_code),  # 3: the same code again
            project_row("HL-3", "Công ty không có", registered_capital_vnd="năm tỷ"),  # 4
            project_row("HL-4", project.enterprise.name, sector="Đánh bắt cá"),  # 5: ambiguous name
            project_row(
                "HL-5", project.enterprise.tax_code, share_vnd=60_000_000_000, investor_tax_code=make_tax_code()
            ),  # 6
            project_row(
                "HL-6",
                project.enterprise.tax_code,
                certificate_date=dt.date(2099, 1, 1),
                investor="X Corp",
                investor_nationality="JP",
            ),  # 7
            project_row(
                project.code, project.enterprise.tax_code, name_vi="Tên khác", investor_tax_code=make_tax_code()
            ),  # 8
            project_row(
                "HL-8", project.enterprise.tax_code, certificate_date="ngày mai", investor_nationality="Nhật"
            ),  # 9
        ],
    )
    found = problems_of("projects", path)
    assert (3, "code", "The same project code as row 2.") in found
    assert (4, "enterprise", "Unknown enterprise “Công ty không có”: import the enterprise first.") in found
    # the messages of the rules of a project registered by hand (investment.rules): an amount is read
    # as the pages' amount fields read it, with their message
    assert (
        4,
        "registered_capital_vnd",
        "“năm tỷ” is not an amount we can read: write it as 1.500.000.000, 1,5 tỷ or 250 triệu.",
    ) in found
    assert (5, "enterprise", f"Several enterprises are named “{project.enterprise.name}”: write its tax code.") in found
    assert (5, "sector", "Unknown sector “Đánh bắt cá”: choose one from the list.") in found
    assert (6, "share_vnd", "The investors' contributions exceed the registered capital.") in found
    assert (7, "certificate_date", "The certificate date cannot be in the future.") in found
    assert (7, "registered_capital_usd", "A foreign-invested project states its capital in USD too.") in found
    assert (
        8,
        "code",
        f"Project {project.code} is registered with other details: amend it in the registry, not by import.",
    ) in found
    assert (9, "certificate_date", "A date is expected here (YYYY-MM-DD or DD/MM/YYYY), not “ngày mai”.") in found
    assert (9, "investor_nationality", "Enter a two-letter country code (VN, JP, KR, ...).") in found
    assert [r for r, _c, _m in found] == sorted(r for r, _c, _m in found)
    assert not Project.objects.filter(code="HL-OK").exists()  # the good row waits for the others


def test_a_file_with_other_headers_is_mapped_column_by_column(tmp_path, zone):
    header = ["TÊN CÔNG TY", "MST", "Khu vực", "Ghi chú"]
    path = write_csv(tmp_path / "khac.csv", header, [["Công ty C", make_tax_code(), "HHTP", "x"]], delimiter=";")
    with pytest.raises(ServiceError) as exc:
        services.import_file("enterprises", path)
    check = exc.value.check
    assert check.missing == ["name", "tax_code", "zone"] and check.headers == header
    assert check.problems[0].message.startswith("Missing columns: Tên doanh nghiệp, Mã số thuế, Khu.")
    mapping = {"name": "ten cong ty", "tax_code": "MST", "zone": "khu vuc"}  # matched without accents or case
    done = services.import_file("enterprises", path, mapping=mapping)
    assert len(done.new) == 1 and Enterprise.objects.filter(name="Công ty C").exists()


def test_reports_import_through_the_same_columns_and_an_enterprise_only_for_its_own(
    tmp_path, project, other_project, enterprise_user
):
    header = [c.vi for c in KINDS["reports"].columns]
    rows = [[project.code, "quy", 2024, 2, 1_000_000_000, 0, 0, 40, 10, 0, 0, 0, None]]
    path = xlsx(tmp_path / "bc.xlsx", header, rows)
    check = services.import_file("reports", path, by=enterprise_user)
    assert len(check.new) == 1 and PeriodicReport.objects.get(project=project).revenue_vnd == 1_000_000_000
    other = xlsx(tmp_path / "bc2.xlsx", header, [[other_project.code, "Năm", 2024, None, 1, 0, 0, 1, 0, 0, 0, 0, None]])
    assert problems_of("reports", other, by=enterprise_user)[0][:2] == (2, "project_code")
    with pytest.raises(ServiceError):
        services.import_file("projects", path, by=enterprise_user)  # an enterprise imports reports only


# --- round trips ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_what_is_exported_imports_again_without_any_change(
    client, tmp_path, zone, other_zone, project, other_project, board_user, fmt
):
    from zonedesk.investment import services as registry

    registry.report_submit(
        project=project,
        by=board_user,
        period_kind="year",
        year=2024,
        quarter=0,
        figures={"revenue_vnd": 9_000_000_000, "workers_total": 120, "workers_degree": 30},
    )
    client.login(username="bql1", password=PASSWORD)
    counts = (
        Enterprise.objects.count(),
        Project.objects.count(),
        Investor.objects.count(),
        PeriodicReport.objects.count(),
    )
    for kind in ("enterprises", "projects", "reports"):
        response = client.get(f"/imports/export/{kind}.{fmt}")
        assert response.status_code == 200
        path = tmp_path / f"{kind}.{fmt}"
        path.write_bytes(b"".join(response.streaming_content) if response.streaming else response.content)
        check = services.import_file(kind, path, by=board_user)
        assert check.rows >= 1 and len(check.new) == 0 and check.unchanged == check.rows, kind
    assert counts == (
        Enterprise.objects.count(),
        Project.objects.count(),
        Investor.objects.count(),
        PeriodicReport.objects.count(),
    )


# --- interruption -----------------------------------------------------------------------------------


def test_an_import_interrupted_while_saving_leaves_nothing(tmp_path, zone, project):
    rows = [
        project_row(
            f"HL-{i:05d}",
            project.enterprise.tax_code,
            investor_tax_code=project.shares.first().investor.tax_code,
            investor=project.shares.first().investor.name,
        )
        for i in range(5000)
    ]
    path = write_csv(tmp_path / "big.csv", PROJECTS, rows)
    seen = []

    def killed(done, total):
        seen.append(done)
        if done >= 2000:
            raise KeyboardInterrupt  # Ctrl-C, or the worker stopped, halfway through the writes

    with pytest.raises(KeyboardInterrupt):
        services.import_file("projects", path, saving=killed)
    assert seen and seen[0] == 2000
    assert Project.objects.count() == 1 and StatusChange.objects.count() == 1


# --- the web import --------------------------------------------------------------------------------


def _run(job):
    """What the worker does with the step the job waits for."""
    tasks.sheet_import_run.call(job.pk)
    job.refresh_from_db()
    return job


def test_the_board_uploads_sees_the_dry_run_and_imports(client, tmp_path, zone, board_user):
    client.login(username="bql1", password=PASSWORD)
    assert client.get("/imports/").status_code == 200
    bad = xlsx(tmp_path / "dn.xlsx", ENTERPRISES, [["Công ty A", "123", "HHTP", ""]])
    with open(bad, "rb") as f:
        response = client.post("/imports/", {"kind": "enterprises", "file": f})
    job = SheetImport.objects.get()
    assert response.status_code == 302 and job.status == "queued" and job.created_by == board_user
    job = _run(job)
    assert job.status == "ready" and job.report["problem_count"] == 1
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "không phải là mã số thuế hợp lệ" in page and 'id="apply"' not in page
    assert client.post(f"/imports/{job.pk}/apply/").status_code == 302  # refused: it has problems
    job.refresh_from_db()
    assert job.status == "ready" and not Enterprise.objects.exists()

    good = xlsx(tmp_path / "dn2.xlsx", ENTERPRISES, [["Công ty A", make_tax_code(), "HHTP", ""]])
    with open(good, "rb") as f:
        client.post("/imports/", {"kind": "enterprises", "file": f})
    job = _run(SheetImport.objects.latest("pk"))
    assert job.report["new"] == 1 and 'id="apply"' in client.get(f"/imports/{job.pk}/").content.decode()
    client.post(f"/imports/{job.pk}/apply/")
    job.refresh_from_db()
    assert job.status == "queued" and job.step == "apply"
    job = _run(job)
    assert job.status == "done" and Enterprise.objects.filter(name="Công ty A").exists() and not job.file
    assert "Đã nhập" in client.get(f"/imports/{job.pk}/").content.decode()


def test_a_mapping_chosen_in_the_page_checks_the_file_again(client, tmp_path, zone, board_user):
    client.login(username="bql1", password=PASSWORD)
    path = write_csv(tmp_path / "khac.csv", ["Tên", "MST", "Nơi"], [["Công ty D", make_tax_code(), "hhtp"]])
    with open(path, "rb") as f:
        client.post("/imports/", {"kind": "enterprises", "file": f})
    job = _run(SheetImport.objects.get())
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "Không thấy trong tệp" in page and "Tên doanh nghiệp" in page
    client.post(f"/imports/{job.pk}/mapping/", {"map_name": "Tên", "map_tax_code": "MST", "map_zone": "Nơi"})
    job = _run(SheetImport.objects.get())
    assert job.report["new"] == 1 and job.report["problem_count"] == 0 and job.mapping["zone"] == "Nơi"


def test_who_may_import_what_and_see_which_job(
    client, tmp_path, project, enterprise_user, other_enterprise_user, board_user
):
    assert client.get("/imports/").status_code == 302
    client.login(username="dn1", password=PASSWORD)
    page = client.get("/imports/").content.decode()
    assert 'value="reports"' in page and 'value="projects"' not in page
    upload = SimpleUploadedFile("dn.csv", "Tên doanh nghiệp,Mã số thuế,Khu\nA,0101248141,HHTP\n".encode())
    assert client.post("/imports/", {"kind": "enterprises", "file": upload}).status_code == 400
    upload = SimpleUploadedFile("bc.txt", b"x")
    response = client.post("/imports/", {"kind": "reports", "file": upload})
    assert response.status_code == 400 and "XLSX hoặc CSV" in response.content.decode()
    upload = SimpleUploadedFile("bc.csv", ",".join(c.vi for c in KINDS["reports"].columns).encode())
    client.post("/imports/", {"kind": "reports", "file": upload})
    job = SheetImport.objects.get()
    client.login(username="dn2", password=PASSWORD)
    assert client.get(f"/imports/{job.pk}/").status_code == 404  # another enterprise's job
    assert client.get("/imports/export/projects.xlsx").status_code == 403
    client.login(username="bql1", password=PASSWORD)
    assert client.get(f"/imports/{job.pk}/").status_code == 200


def test_a_worker_killed_while_saving_leaves_nothing_and_the_job_can_run_again(tmp_path, zone, project, board_user):
    rows = [
        project_row(f"HL-{i:04d}", project.enterprise.tax_code, investor_tax_code=make_tax_code()) for i in range(10)
    ]
    path = write_csv(tmp_path / "da.csv", PROJECTS, rows)
    with open(path, "rb") as f:
        job = services.job_create(kind="projects", upload=SimpleUploadedFile("da.csv", f.read()), by=board_user)
    job = _run(job)
    services.job_queue(job=job, step="apply")

    def dies(*args, **kwargs):
        raise SystemExit("killed")  # what the worker's process does when it is killed: it stops

    import zonedesk.investment.services as s

    real = s.projects_register
    s.projects_register = lambda **kw: (real(**kw), dies())
    try:
        with pytest.raises(SystemExit):
            tasks.sheet_import_run.call(job.pk)
    finally:
        s.projects_register = real
    job.refresh_from_db()
    assert job.status == "running" and Project.objects.count() == 1  # nothing saved, the job not done
    SheetImport.objects.filter(pk=job.pk).update(updated_at=job.updated_at - dt.timedelta(hours=1))
    job.refresh_from_db()
    assert job.stalled
    services.job_queue(job=job, step="check")
    job = _run(job)
    services.job_queue(job=job, step="apply")
    assert _run(job).status == "done" and Project.objects.count() == 11


# --- the command ------------------------------------------------------------------------------------


def test_the_command_checks_maps_and_saves(tmp_path, zone):
    path = write_csv(tmp_path / "dn.csv", ["Tên", "Mã số thuế", "Khu"], [["Công ty E", make_tax_code(), "HHTP"]])
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("sheet_import", "enterprises", str(path), stdout=out, stderr=err)
    assert (
        "Missing columns: Tên doanh nghiệp." in out.getvalue()
        and "Columns of the file: Tên, Mã số thuế, Khu" in out.getvalue()
    )
    out = StringIO()
    call_command("sheet_import", "enterprises", str(path), "--map", "name=Tên", "--dry-run", stdout=out, stderr=err)
    assert "Dry run: 1 rows, 1 new" in out.getvalue() and not Enterprise.objects.exists()
    call_command("sheet_import", "enterprises", str(path), "--map", "name=Tên", stdout=out, stderr=err)
    assert Enterprise.objects.filter(name="Công ty E").exists() and "Checking [" in err.getvalue()
    template = tmp_path / "mau.xlsx"
    call_command("sheet_template", "projects", str(template), stdout=StringIO())
    assert load_workbook(template).worksheets[0]["A1"].value == "Mã dự án"


def test_killing_the_import_process_midway_leaves_the_database_as_it_was(tmp_path):
    """A real process, killed with SIGKILL while it writes: SQLite rolls the transaction back."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys

    db = tmp_path / "kill.sqlite3"
    env = os.environ | {"ZONEDESK_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{db}", "PYTHONUNBUFFERED": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    def zonedesk(*args, **kw):
        return subprocess.run(
            [sys.executable, "-m", "zonedesk", *args], env=env, check=True, capture_output=True, text=True, **kw
        )  # noqa: S603

    zonedesk("migrate", "-v0")
    tax_code = make_tax_code()
    zonedesk(
        "shell",
        "-c",
        "from zonedesk.core.models import Zone; from zonedesk.investment import services; "
        "z = Zone.objects.create(code='HHTP', kind='hitech', name_vi='Khu CNC Hòa Lạc', province='Hà Nội', area_ha=1586); "
        f"services.enterprise_create(name='Công ty A', tax_code='{tax_code}', zone=z)",
    )
    investor = make_tax_code()
    rows = [project_row(f"HL-{i:06d}", tax_code, investor_tax_code=investor) for i in range(40_000)]
    path = write_csv(tmp_path / "big.csv", PROJECTS, rows)
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "zonedesk", "sheet_import", "projects", str(path)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seen = []
    for line in proc.stderr:
        seen.append(line)
        if line.startswith(("Saving", "Đang lưu")) and " 0%" not in line:
            proc.send_signal(signal.SIGKILL)  # killed while it writes, past its first batches
            break
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen)
    with sqlite3.connect(db) as con:  # opening the database rolls the interrupted writes back
        counts = [
            con.execute(f"select count(*) from {t}").fetchone()[0]  # noqa: S608 - our table names
            for t in ("investment_project", "investment_investor", "investment_statuschange")
        ]
    assert counts == [0, 0, 0], "".join(seen)


def test_a_record_registered_between_the_check_and_the_import_refuses_the_whole_file(
    tmp_path, zone, project, board_user
):
    code = make_tax_code()
    path = write_csv(
        tmp_path / "dn.csv", ENTERPRISES, [["Công ty F", code, "HHTP", ""], ["Công ty G", make_tax_code(), "HHTP", ""]]
    )
    with open(path, "rb") as f:
        job = services.job_create(kind="enterprises", upload=SimpleUploadedFile("dn.csv", f.read()), by=board_user)
    job = _run(job)
    assert (job.progress_done, job.progress_total) == (2, 2)  # the bar's last state
    services.job_queue(job=job, step="apply")
    from zonedesk.investment import services as registry

    registry.enterprise_create(name="Công ty F", tax_code=code, zone=zone, address="Hà Nội")  # by hand, meanwhile
    job = _run(job)
    assert job.status == "ready" and job.report["problem_count"] == 1
    assert job.report["refusal"] == "The registry changed since the check: the file now has problems."
    assert not Enterprise.objects.filter(name="Công ty G").exists()


def test_what_a_review_found_is_refused_by_row_and_column(tmp_path, zone, project, make_project):
    """An investor's tax code with another nationality, one new tax code under two names, a
    re-import with another zone or land, figures out of range or unreadable, a tax code typed as
    a number (its leading zero lost in Excel)."""
    lead = project.shares.get().investor
    assert lead.nationality == "VN" and lead.tax_code
    new_tax = make_tax_code()
    path = write_csv(
        tmp_path / "da.csv",
        PROJECTS,
        [
            project_row(
                "HL-1",
                project.enterprise.tax_code,
                investor="Sony",
                investor_nationality="JP",
                investor_tax_code=lead.tax_code,
                registered_capital_usd=1,
            ),
            project_row("HL-2", project.enterprise.tax_code, investor="Alpha", investor_tax_code=new_tax),
            project_row("HL-3", project.enterprise.tax_code, investor="Beta", investor_tax_code=new_tax),
            project_row(
                "HL-4", project.enterprise.tax_code, land_area_m2="NaN", investor_tax_code=new_tax, investor="Alpha"
            ),
            project_row(
                "HL-5", project.enterprise.tax_code, term_years="--5", investor_tax_code=new_tax, investor="Alpha"
            ),
            project_row(
                project.code,
                project.enterprise.tax_code,
                name_vi=project.name_vi,
                investor=lead.name,
                investor_tax_code=lead.tax_code,
                registered_capital_vnd=project.registered_capital_vnd,
                certificate_date=project.certificate_date,
                land_area_m2=1,
                term_years=None,
                target_workers=project.target_workers,
            ),
        ],
    )
    found = {(r, c) for r, c, _m in problems_of("projects", path)}
    assert (2, "investor_tax_code") in found  # registered as a Vietnamese investor
    assert (4, "investor") in found  # "Beta" under Alpha's new tax code
    assert (5, "land_area_m2") in found and (6, "term_years") in found
    assert (7, "code") in found  # the same project with another land area: not "unchanged"

    numeric = int(project.enterprise.tax_code) if project.enterprise.tax_code.startswith("0") else None
    assert numeric is not None and len(str(numeric)) == 9
    path = xlsx(
        tmp_path / "so.xlsx", PROJECTS, [project_row("HL-9", numeric, investor_tax_code=new_tax, investor="Alpha")]
    )
    assert services.import_file("projects", path, dry_run=True).new[0].enterprise_id == project.enterprise_id

    header = [c.vi for c in KINDS["reports"].columns]
    path = write_csv(
        tmp_path / "bc.csv", header, [[project.code, "Năm", 2024, "", 10**25, 0, 0, 20_000_000, 1, 0, 0, 0, ""]]
    )
    found = {(r, c) for r, c, _m in problems_of("reports", path)}
    assert {(2, "revenue_vnd"), (2, "workers_total")} <= found

    path = tmp_path / "dai.csv"
    path.write_text(",".join(header) + "\n" + '"' + "x" * 200_000 + '"\n', encoding="utf-8")
    with pytest.raises(ServiceError) as exc:
        services.import_file("reports", path)
    assert "cannot be read" in str(exc.value)


def test_one_column_of_the_file_holds_one_field(client, tmp_path, zone, board_user):
    client.login(username="bql1", password=PASSWORD)
    path = write_csv(tmp_path / "khac.csv", ["Tên", "MST", "Nơi"], [["Công ty H", make_tax_code(), "HHTP"]])
    with open(path, "rb") as f:
        client.post("/imports/", {"kind": "enterprises", "file": f})
    job = _run(SheetImport.objects.get())
    client.post(
        f"/imports/{job.pk}/mapping/",
        {"map_name": "Tên", "map_address": "Tên", "map_tax_code": "MST", "map_zone": "Nơi"},
    )
    job.refresh_from_db()
    assert job.status == "ready" and job.mapping == {}  # refused: nothing queued


def test_an_upload_is_checked_by_what_its_bytes_are(tmp_path, zone, board_user):
    """A web page named .csv, text named .xlsx, a workbook with macros, a "zip bomb" named .xlsx:
    each refused with its reason before anything is kept."""
    import zipfile

    def upload(name, content):
        with pytest.raises(ServiceError) as exc:
            services.job_create(kind="enterprises", upload=SimpleUploadedFile(name, content), by=board_user)
        return " ".join(m for ms in exc.value.message_dict.values() for m in ms)

    assert upload("dn.csv", b"<html><script>alert(1)</script></html>")
    assert "not what its name says" in upload("dn.xlsx", "Tên doanh nghiệp,Mã số thuế,Khu\n".encode())
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * 300_000_000)
    assert "zip bomb" in upload("dn.xlsx", bomb.getvalue())
    macro = io.BytesIO()
    with zipfile.ZipFile(macro, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/vbaProject.bin", b"\0" * 100)
    assert "macros" in upload("dn.xlsx", macro.getvalue())
    assert not SheetImport.objects.exists()
    real = xlsx(tmp_path / "dn.xlsx", ENTERPRISES, [["Công ty I", make_tax_code(), "HHTP", ""]])
    job = services.job_create(
        kind="enterprises", upload=SimpleUploadedFile("dn.xlsx", real.read_bytes()), by=board_user
    )
    assert job.pk and job.status == "queued"
