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
