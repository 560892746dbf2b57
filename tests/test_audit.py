"""Issue 8: the audit trail (core/audit.py). Every write records who, when, from which address,
which object and each field before and after, whether it comes through a page, the API, an
import or background work; entries cannot be changed (nor, on PostgreSQL, deleted); board
officers and admins read it, per object and searched, and export it."""

from __future__ import annotations

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.test import Client

from zonedesk.investment.models import Project

pytestmark = pytest.mark.django_db


def _entries(obj):
    return LogEntry.objects.get_for_object(obj).order_by("pk")


def test_a_change_through_the_api_is_recorded_with_who_where_and_each_field(project, board_user):
    client = Client(REMOTE_ADDR="198.51.100.7")
    client.force_login(board_user)
    old_status = project.status
    response = client.post(
        f"/api/v1/projects/{project.code}/status",
        {"status": "under_construction", "effective_date": "2026-11-02", "reason": "Khởi công", "version": 1},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    entry = _entries(Project.objects.get(pk=project.pk)).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == board_user and entry.remote_addr == "198.51.100.7"
    assert entry.changes["status"] == [old_status, "under_construction"]


def test_a_forged_forwarded_address_is_not_believed(project, board_user):
    client = Client(REMOTE_ADDR="198.51.100.8", HTTP_X_FORWARDED_FOR="10.9.9.9")
    client.force_login(board_user)
    client.post(
        f"/api/v1/projects/{project.code}/status",
        {"status": "under_construction", "effective_date": "2026-11-02", "reason": "x", "version": 1},
        content_type="application/json",
    )
    assert _entries(project).last().remote_addr == "198.51.100.8"


def test_an_import_records_every_row_it_made_with_its_maker(tmp_path, zone, board_user):
    from tests.conftest import make_tax_code
    from zonedesk.investment.models import Enterprise
    from zonedesk.sheets import services as sheets

    path = tmp_path / "dn.csv"
    path.write_text(
        "Tên doanh nghiệp,Mã số thuế,Khu,Địa chỉ\n"
        f"Công ty Nhật Ký,{make_tax_code()},{zone.code},Hòa Lạc\n"
        f"Công ty Sổ Sách,{make_tax_code()},{zone.code},Thạch Thất\n",
        encoding="utf-8",
    )
    check = sheets.import_file("enterprises", path, by=board_user)
    assert check.ok, check
    for enterprise in Enterprise.objects.filter(name__startswith="Công ty "):
        entry = _entries(enterprise).get()
        assert entry.action == LogEntry.Action.CREATE and entry.actor == board_user
        assert entry.changes["name"][1] == enterprise.name
        assert entry.additional_data == {"import": "dn.csv"}  # through which import


def _report_file(path, projects, years):
    from zonedesk.sheets.kinds import KINDS

    header = [c.vi for c in KINDS["reports"].columns]
    with path.open("w", encoding="utf-8") as f:
        f.write(",".join(header) + "\n")
        for p in projects:
            for year in years:
                f.write(f"{p.code},Năm,{year},,1000000000,0,0,40,10,0,0,0,\n")
    return path


def test_a_report_import_is_one_entry_naming_the_import_and_each_report_shows_its_creation(
    tmp_path, project, other_project, board_user
):
    """A bulk import of periodic reports (up to a million rows) is recorded as one entry, not one
    a row (bench/import_ratio.py: the rows' entries cost 15 times the import itself), and one
    report's history (/audit/?model=...&object=<pk>) still shows its creation: by whom, when,
    through which import."""
    from zonedesk.investment.models import PeriodicReport
    from zonedesk.sheets import services as sheets

    client = Client(REMOTE_ADDR="198.51.100.9")
    client.force_login(board_user)
    before = LogEntry.objects.count()
    path = _report_file(tmp_path / "bao-cao-2023.csv", [project, other_project], range(2021, 2024))
    check = sheets.import_file("reports", path, by=board_user)
    assert len(check.new) == 6
    assert LogEntry.objects.count() == before + 1  # one entry for the six reports
    entry = LogEntry.objects.latest("pk")
    assert entry.action == LogEntry.Action.CREATE and entry.actor == board_user
    assert entry.additional_data == {"import": "bao-cao-2023.csv", "records": 6}
    # twice as many rows: still one entry
    more = _report_file(tmp_path / "bao-cao-2020.csv", [project, other_project], range(2020, 2021))
    sheets.import_file("reports", more, by=board_user)
    assert LogEntry.objects.count() == before + 2
    for report in PeriodicReport.objects.filter(year=2022):
        page = client.get("/audit/", {"model": "investment.periodicreport", "object": str(report.pk)})
        assert page.status_code == 200
        shown = [row["entry"] for row in page.context["rows"]]
        assert [e.pk for e in shown] == [entry.pk], shown
        html = page.content.decode()
        assert "bao-cao-2023.csv" in html and board_user.username in html
    # a report of the other import's shows that import, not this one
    report_2020 = PeriodicReport.objects.filter(year=2020).first()
    page = client.get("/audit/", {"model": "investment.periodicreport", "object": str(report_2020.pk)})
    assert [row["entry"].additional_data["import"] for row in page.context["rows"]] == ["bao-cao-2020.csv"]
    # a record of another kind with the same key is not said to be imported
    page = client.get("/audit/", {"model": "investment.project", "object": str(report_2020.pk)})
    assert all("import" not in (row["entry"].additional_data or {}) for row in page.context["rows"])


def test_the_ids_an_import_recorded_are_the_reports_it_wrote(tmp_path, project, board_user):
    """The import writes its reports with ids it reserved first (so that it need not read them
    back): the entry's ranges are exactly the new reports' ids, on both engines."""
    from zonedesk.core.models import AuditRange
    from zonedesk.investment.models import PeriodicReport
    from zonedesk.sheets import services as sheets

    existing = set(PeriodicReport.objects.values_list("pk", flat=True))
    sheets.import_file("reports", _report_file(tmp_path / "a.csv", [project], range(2021, 2024)), by=board_user)
    made = set(PeriodicReport.objects.values_list("pk", flat=True)) - existing
    ranges = AuditRange.objects.filter(entry=LogEntry.objects.latest("pk"))
    recorded = {pk for r in ranges for pk in range(r.first_id, r.last_id + 1)}
    assert len(made) == 3 and recorded == made
    # a report filed by hand afterwards gets a new id of its own, after the reserved ones
    from zonedesk.investment import services

    filed = services.report_submit(
        project=project, period_kind="year", year=2020, figures={"revenue_vnd": 1, "workers_total": 1}, by=board_user
    )
    assert filed.pk > max(made)


def test_the_trail_cannot_be_changed(project):
    project.name_vi = "Tên mới"
    project.save()
    entry = _entries(project).last()
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="nothing happened")
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            LogEntry.objects.filter(pk=entry.pk).delete()
    assert LogEntry.objects.get(pk=entry.pk).object_repr != "nothing happened"


def test_board_officers_search_and_export_the_trail_others_may_not(project, board_user, enterprise_user, agency_user):
    project.name_vi = "Trung tâm Dữ liệu Nhật Ký"
    project.objectives = "Sản xuất chíp bán dẫn"
    project.save()
    officer = Client()
    officer.force_login(board_user)
    page = officer.get("/audit/", {"q": "Nhật Ký"})
    assert page.status_code == 200 and "Trung tâm Dữ liệu Nhật Ký" in page.content.decode()
    one = officer.get("/audit/", {"model": "investment.project", "object": str(project.pk)})
    assert one.status_code == 200 and one.context["page"].paginator.count == _entries(project).count()
    # a changed value is found too, not only a record's name
    assert officer.get("/audit/", {"q": "chíp bán"}).context["page"].paginator.count == 1
    export = officer.get("/audit/", {"q": "Nhật Ký", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert len(rows) >= 2 and any("Nhật Ký" in cell for cell in rows[1])
    assert officer.get("/audit/", {"address": "not an address"}).status_code == 400
    for user in (enterprise_user, agency_user):
        other = Client()
        other.force_login(user)
        assert other.get("/audit/").status_code == 403
    assert Client().get("/audit/").status_code == 302


def test_secrets_are_recorded_as_changed_never_their_value(board_user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=board_user, name="phone", confirmed=True)
    entry = _entries(device).get()
    recorded = str(entry.changes)
    assert "key" in entry.changes
    assert not any(device.key[i : i + 6] in recorded for i in range(len(device.key) - 5))
