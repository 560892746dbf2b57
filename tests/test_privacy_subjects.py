"""Issue 23, item 5: to tell people of a breach, an administrator lists everyone whose data a
table holds in a period, one line a person with their contacts and records, read through the
personal-data marks; board officers may not; each listing is in the audit trail without the
people's data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Petition
from zonedesk.privacy.services import notice_current

pytestmark = pytest.mark.django_db


def _petition(zone, name: str, email: str, phone: str, day: dt.date) -> Petition:
    return petitions.petition_submit(
        zone=zone,
        title="Xin cấp phép biển quảng cáo",
        body="Đề nghị hướng dẫn thủ tục.",
        category="other",
        source="public",
        petitioner_name=name,
        petitioner_email=email,
        petitioner_phone=phone,
        consent_version=notice_current().version,
        received_at=timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0))),
    )


@pytest.fixture
def filed(zone):
    return {
        "lan1": _petition(zone, "Trần Thị Lan", "lan@example.vn", "0912000111", dt.date(2026, 2, 3)),
        "lan2": _petition(zone, "Trần Thị Lan", "LAN@example.vn", "", dt.date(2026, 3, 9)),
        "minh": _petition(zone, "Lê Minh", "", "0987 654 321", dt.date(2026, 4, 1)),
        "before": _petition(zone, "Phạm Hùng", "hung@example.vn", "", dt.date(2025, 12, 20)),
    }


def test_the_command_lists_each_person_of_the_period_once(filed):
    out = io.StringIO()
    call_command(
        "privacy_subjects",
        "--model",
        "petitions.Petition",
        "--since",
        "2026-01-01",
        "--until",
        "2026-06-30",
        "--format",
        "csv",
        stdout=out,
    )
    text = out.getvalue()
    assert text.count("lan@example.vn") == 1, "the same e-mail, in two petitions, is one person"
    assert filed["lan1"].reference in text and filed["lan2"].reference in text
    assert "0987 654 321" in text and "Lê Minh" in text
    assert "hung@example.vn" not in text and "Phạm Hùng" not in text, "filed before the period"
    entry = LogEntry.objects.filter(additional_data__privacy_subjects="petitions.Petition").get()
    assert entry.additional_data["people"] == 2
    assert "lan@example.vn" not in str(entry.changes) + entry.object_repr + str(entry.additional_data)


def test_only_administrators_list_people_on_the_page(client, filed, admin_user, board_user, leader_user):
    url = reverse("privacy_subjects")
    query = {"model": "petitions.Petition", "since": "2025-12-01", "until": "2025-12-31"}
    for user in (board_user, leader_user):
        client.force_login(user)
        assert client.get(url, query).status_code == 403
    assert not LogEntry.objects.filter(additional_data__privacy_subjects="petitions.Petition").exists()
    client.force_login(admin_user)
    page = client.get(url, query).content.decode()
    assert "hung@example.vn" in page and "lan@example.vn" not in page
    csv = b"".join(client.get(url, {**query, "export": "csv"}).streaming_content).decode()
    assert "Phạm Hùng" in csv and "Lê Minh" not in csv
    entry = LogEntry.objects.filter(additional_data__privacy_subjects="petitions.Petition").first()
    assert entry.actor == admin_user
