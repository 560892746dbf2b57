"""Issue 23, item 3: retention as data. The dry run lists what each rule would clear and changes
nothing; the run clears exactly what is past its months (a public petition closed 25 months ago
loses its contacts, one closed 23 months ago or still open keeps them), records one audit entry per
kind without values, and clears nothing more when run again. The audit trail's trigger lets
retention blank an entry's address and refuses every other change (SQLite and PostgreSQL). The
board edits the months; no one else may."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from auditlog.models import LogEntry
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from zonedesk.core.errors import ServiceError
from zonedesk.core.models import RateCount
from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Notification, Petition, PetitionEvent
from zonedesk.privacy.marks import marked_fields
from zonedesk.privacy.models import RetentionRule, RetentionRun
from zonedesk.privacy.retention import KINDS, months_before
from zonedesk.privacy.retention_services import retention_rule_update, retention_run
from zonedesk.privacy.services import notice_current

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TODAY_IS_TODAY = (
    True  # read again as each test starts (tests/conftest.py)  # the board's "run now" applies the rules as of today
)


def _ago(months: int) -> dt.datetime:
    day = months_before(TODAY, months)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _public(zone, n: int, *, closed_months_ago: int | None, status: str = "closed") -> Petition:
    p = petitions.petition_submit(
        zone=zone,
        title=f"Kiến nghị số {n}",
        body="Đường vào khu công nghệ cao bị ngập khi mưa lớn.",
        category="infrastructure",
        source="public",
        petitioner_name=f"Nguyễn Văn {n}",
        petitioner_email=f"nguoi{n}@example.vn",
        petitioner_phone=f"09123456{n:02d}",
        consent_version=notice_current().version,
    )
    Notification.objects.create(
        petition=p, email=p.petitioner_email, subject="Đã nhận", body=f"Kính gửi Nguyễn Văn {n}"
    )
    if closed_months_ago is not None:
        at = _ago(closed_months_ago)
        Petition.objects.filter(pk=p.pk).update(status=status, closed_at=at if status == "closed" else None)
        PetitionEvent.objects.create(petition=p, at=at, action=status, from_status="answered", to_status=status)
    return Petition.objects.get(pk=p.pk)


@pytest.fixture
def three(zone):
    return {
        "old": _public(zone, 1, closed_months_ago=25),
        "recent": _public(zone, 2, closed_months_ago=23),
        "open": _public(zone, 3, closed_months_ago=None),
        "rejected": _public(zone, 4, closed_months_ago=30, status="rejected"),
    }


def _contacts(p: Petition) -> tuple[str, str, str]:
    p.refresh_from_db()
    return p.petitioner_name, p.petitioner_email, p.petitioner_phone


def test_the_registry_and_the_seeded_rules_agree():
    assert {"petitioner_contacts", "audit_addresses", "login_records", "notifications"} <= KINDS.keys()
    assert "rejected_dossier_files" in KINDS and not KINDS["rejected_dossier_files"].applied
    seeded = dict(RetentionRule.objects.values_list("kind", "months"))
    assert seeded == {code: k.default_months for code, k in KINDS.items()}
    # every personal field's mark names a rule the registry knows (or none: kept as archives)
    unknown = [f"{m._meta.label}.{f.name}" for m, f, mark in marked_fields() if mark.retention not in {"", *KINDS}]
    assert unknown == []


def test_the_dry_run_lists_what_would_go_and_changes_nothing(three):
    before = {k: _contacts(p) for k, p in three.items()}
    entries = LogEntry.objects.count()
    result = retention_run(dry_run=True, today=TODAY)
    contacts = next(d for d in result.kinds if d.kind.code == "petitioner_contacts")
    assert contacts.count == 2
    assert sorted(contacts.sample) == sorted([three["old"].reference, three["rejected"].reference])
    assert {k: _contacts(p) for k, p in three.items()} == before
    assert LogEntry.objects.count() == entries and not RetentionRun.objects.exists()


def test_the_run_clears_what_is_past_its_months_once(three):
    result = retention_run(dry_run=False, today=TODAY)
    assert next(d for d in result.kinds if d.kind.code == "petitioner_contacts").count == 2
    for gone in ("old", "rejected"):
        name, email, phone = _contacts(three[gone])
        assert (email, phone) == ("", "") and "Nguyễn" not in name
        assert three[gone].personal_data_erased_at is not None
        assert not Notification.objects.filter(petition=three[gone]).exclude(email="", body="").exists()
    assert _contacts(three["recent"]) == ("Nguyễn Văn 2", "nguoi2@example.vn", "0912345602")
    assert _contacts(three["open"]) == ("Nguyễn Văn 3", "nguoi3@example.vn", "0912345603")
    assert set(Notification.objects.filter(petition=three["recent"]).values_list("email", flat=True)) == {
        "nguoi2@example.vn"
    }
    # one audit entry for the kind, with the count and no value
    logged = LogEntry.objects.filter(additional_data__retention="petitioner_contacts")
    assert logged.count() == 1 and logged.get().additional_data["records"] == 2
    assert not any("nguoi1" in str(e.changes) or "Nguyễn Văn 1" in str(e.changes) for e in logged)
    assert RetentionRun.objects.get().cleared["petitioner_contacts"] == 2
    # again: nothing more
    again = retention_run(dry_run=False, today=TODAY)
    assert again.total == 0
    assert LogEntry.objects.filter(additional_data__retention="petitioner_contacts").count() == 1


def test_the_run_blanks_old_addresses_in_the_trail_and_old_login_records(zone):
    p = _public(zone, 5, closed_months_ago=None)
    kind = LogEntry.objects.filter(object_pk=str(p.pk)).first().content_type
    # an entry written 13 months ago from an address, and one 11 months ago
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=kind,
                object_pk="1",
                object_repr="a",
                action=1,
                remote_addr="203.0.113.7",
                timestamp=_ago(13),
            ),
            LogEntry(
                content_type=kind,
                object_pk="2",
                object_repr="b",
                action=1,
                remote_addr="203.0.113.8",
                timestamp=_ago(11),
            ),
        ]
    )
    RateCount.objects.create(key="login:198.51.100.1:bob", count=3, expires=_ago(2))
    RateCount.objects.create(key="login:198.51.100.2:ann", count=1, expires=timezone.now() + dt.timedelta(minutes=5))
    Session.objects.create(session_key="x" * 32, session_data="", expire_date=_ago(3))
    retention_run(dry_run=False, today=TODAY)
    assert LogEntry.objects.get(object_repr="a").remote_addr is None
    assert LogEntry.objects.get(object_repr="b").remote_addr == "203.0.113.8"
    assert list(RateCount.objects.values_list("key", flat=True)) == ["login:198.51.100.2:ann"]
    assert not Session.objects.exists()
    assert LogEntry.objects.filter(additional_data__retention="audit_addresses").get().additional_data["records"] == 1


def test_the_trail_refuses_every_change_but_forgetting_an_address(zone):
    p = _public(zone, 6, closed_months_ago=None)
    entry = LogEntry.objects.filter(object_pk=str(p.pk)).first()
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=entry.content_type, object_pk="9", object_repr="kept", action=1, remote_addr="192.0.2.1"
            )
        ]
    )
    row = LogEntry.objects.get(object_repr="kept")
    forged = [
        {"object_repr": "forged"},
        {"remote_addr": "192.0.2.99"},  # an address changed, not forgotten
        {"remote_addr": None, "object_repr": "forged"},  # forgotten, with something else changed
        {"remote_addr": None, "actor_email": "someone@example.vn"},
        {"remote_addr": None, "timestamp": _ago(40)},
        {"remote_addr": None, "changes": {"x": [0, 1]}},
    ]
    for values in forged:
        with pytest.raises(DatabaseError), transaction.atomic():
            LogEntry.objects.filter(pk=row.pk).update(**values)
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            LogEntry.objects.filter(pk=row.pk).delete()
    row.refresh_from_db()
    assert (row.object_repr, row.remote_addr) == ("kept", "192.0.2.1")
    LogEntry.objects.filter(pk=row.pk).update(remote_addr=None)
    row.refresh_from_db()
    assert row.remote_addr is None and row.object_repr == "kept"


def test_the_sqlite_trigger_names_every_column_of_the_trail():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's trigger compares whole rows")
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'auditlog_logentry_no_update'")
        sql = cursor.fetchone()[0]
    missing = [
        f.column for f in LogEntry._meta.concrete_fields if f.column != "remote_addr" and f'OLD."{f.column}"' not in sql
    ]
    assert missing == [], f"a new column of the trail that retention could change: {missing}"


def test_the_command_dry_run_and_the_daily_tick(three):
    out = io.StringIO()
    call_command("retention", "--dry-run", "--today", TODAY.isoformat(), stdout=out)
    assert three["old"].reference in out.getvalue() and "rejected_dossier_files" in out.getvalue()
    assert _contacts(three["old"])[1] == "nguoi1@example.vn"
    from zonedesk.privacy.retention_services import retention_tick

    retention_tick.call()
    assert RetentionRun.objects.count() == 1
    retention_tick.call()
    assert RetentionRun.objects.count() == 1, "once a day"


def test_months_are_whole_from_1_to_1200(board_user):
    for bad in ("0", "1201", "abc", "", "2.5", -3):
        with pytest.raises(ServiceError):
            retention_rule_update(kind="petitioner_contacts", months=bad, by=board_user)
    with pytest.raises(ServiceError):
        retention_rule_update(kind="nothing", months=5, by=board_user)
    retention_rule_update(kind="petitioner_contacts", months="36", by=board_user)
    assert RetentionRule.objects.get(kind="petitioner_contacts").months == 36


def test_the_board_edits_the_months_and_others_may_not(
    client, board_user, enterprise_user, agency_user, leader_user, three
):
    url = reverse("retention_rule", args=["petitioner_contacts"])
    for user in (enterprise_user, agency_user, leader_user):
        client.force_login(user)
        assert client.post(url, {"months": "1"}).status_code == 403
        assert client.get(reverse("retention_rules")).status_code == 403
    assert RetentionRule.objects.get(kind="petitioner_contacts").months == 24
    client.force_login(board_user)
    page = client.get(reverse("retention_rules"))
    assert page.status_code == 200
    assert three["old"].reference.encode() in page.content  # the dry run's sample
    assert client.post(reverse("retention_rule", args=["nothing"]), {"months": "5"}).status_code == 404
    refused = client.post(url, {"months": "0"}, follow=True)
    assert RetentionRule.objects.get(kind="petitioner_contacts").months == 24
    assert "1200" in refused.content.decode() or "1.200" in refused.content.decode()
    client.post(url, {"months": "20"})
    assert RetentionRule.objects.get(kind="petitioner_contacts").months == 20
    # run now needs the confirmation
    client.post(reverse("retention_run_now"), {})
    assert _contacts(three["old"])[1] == "nguoi1@example.vn"
    client.post(reverse("retention_run_now"), {"confirm": "on"})
    assert _contacts(three["old"])[1] == "" and RetentionRun.objects.get().by == board_user
    assert _contacts(three["recent"])[1] == "", "closed 23 months ago: past the 20 months the board set"
    assert _contacts(three["open"])[1] == "nguoi3@example.vn"
    trail = client.get(reverse("audit_list"), {"model": "privacy.retentionrule"}).content.decode()
    assert "petitioner_contacts" in trail and "nguoi1@example.vn" not in trail


def test_a_restore_applies_retention_before_the_site_opens(transactional_db, zone, tmp_path):
    """A backup made before a petition's contacts expired, restored after: they are gone."""
    from .test_backup import Target

    p = _public(zone, 7, closed_months_ago=25)
    archive = tmp_path / "zonedesk.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO(), stderr=io.StringIO())
    target = Target(tmp_path)
    try:
        assert target.run("migrate", "-v0").returncode == 0
        restored = target.run("restore", str(archive))
        assert restored.returncode == 0, restored.stderr
        table = Petition._meta.db_table
        with target.connection.cursor() as cursor:
            cursor.execute(f"SELECT petitioner_email, petitioner_phone FROM {table} WHERE id = %s", [p.pk])  # noqa: S608
            assert cursor.fetchone() == ("", "")
    finally:
        target.close()
