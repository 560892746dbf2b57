"""Issue 23, item 4: the register of personal data. Every field that holds personal data is
marked where it is declared (privacy/marks.py); a field that looks personal and is not marked
fails here; the audit trail keeps none of the marked values; the board reads the register at
/privacy/register/ and docs/PERSONAL_DATA.md is what `zonedesk privacy-register` writes now."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.db import models
from django.test import Client
from django.test.utils import isolate_apps

from zonedesk.core.models import User
from zonedesk.petitions.models import Petition
from zonedesk.privacy import register
from zonedesk.privacy.marks import Subject, personal
from zonedesk.privacy.services import notice_current

DOC = Path(__file__).resolve().parent.parent / "docs" / "PERSONAL_DATA.md"


# --- the marks --------------------------------------------------------------------------------


def test_every_field_that_looks_personal_is_marked_or_known_not_to_be():
    unmarked = register.unmarked_personal(register.project_fields())
    assert unmarked == [], (
        f"fields that look personal are not marked: {unmarked}. Wrap each in privacy.marks.personal() "
        "where it is declared, or add it to privacy.register.NOT_PERSONAL with the reason it is not."
    )


@isolate_apps("zonedesk.privacy")
def test_the_check_names_a_new_unmarked_personal_field():
    class Visitor(models.Model):  # noqa: DJ008 - a model the check reads, never shown
        full_name = models.CharField(max_length=100)
        contact = models.CharField(max_length=100)  # a contact person, by its name
        reached_at = models.EmailField()  # by its type
        last_ip = models.GenericIPAddressField()
        date_of_birth = models.DateField()
        cccd = models.CharField(max_length=12)
        phone = personal(models.CharField(max_length=20), subject=Subject.CONTACT, purpose="to call them")
        title = models.CharField(max_length=100)
        emailed_at = models.DateTimeField()  # a time, not an address

        class Meta:
            app_label = "privacy"
            managed = False

    fields = [f for f in Visitor._meta.concrete_fields if f.model is Visitor]
    assert register.unmarked_personal(fields) == [
        "privacy.Visitor.full_name",
        "privacy.Visitor.contact",
        "privacy.Visitor.reached_at",
        "privacy.Visitor.last_ip",
        "privacy.Visitor.date_of_birth",
        "privacy.Visitor.cccd",
    ]


def test_what_is_known_not_to_be_personal_names_fields_that_exist_and_look_personal():
    looking = {register.field_label(f) for f in register.project_fields() if register.looks_personal(f)}
    assert set(register.NOT_PERSONAL) <= looking  # no stale entry that would hide a new field
    marked = {register.field_label(f) for _m, f, _k, _l in register.all_marks()}
    assert not set(register.NOT_PERSONAL) & marked


@pytest.mark.django_db
def test_the_libraries_personal_fields_are_in_the_register():
    labels = {f"{row.model}.{row.field}" for group in register.entries() for row in group.rows}
    assert {
        "auditlog.LogEntry.remote_addr",
        "auditlog.LogEntry.actor_email",
        "sessions.Session.session_data",
        "petitions.Petition.petitioner_email",
        "core.User.email",
        "petitions.Notification.email",
    } <= labels


# --- the audit trail --------------------------------------------------------------------------


def _trail() -> str:
    """Everything the trail keeps, as text (JSON both raw and as stored: SQLite escapes letters)."""
    rows = LogEntry.objects.values(
        "object_repr", "changes", "changes_text", "serialized_data", "additional_data", "object_pk"
    )
    text = json.dumps(list(rows), ensure_ascii=False, default=str)
    return (text + json.dumps(list(rows), default=str)).casefold()


@pytest.mark.django_db
def test_the_audit_trail_keeps_no_personal_value_but_says_which_field_changed(zone, board_user):
    public = Client(REMOTE_ADDR="198.51.100.23")
    filed = public.post(
        "/api/v1/petitions",
        data={
            "zone": zone.code,
            "title": "Đèn đường hỏng trước cổng khu",
            "body": "Đèn đường hỏng đã hai tuần.",
            "category": "infrastructure",
            "petitioner_name": "Lê Thị Hoà",
            "petitioner_email": "hoa.le@example.vn",
            "petitioner_phone": "0912 345 678",
            "consent_version": notice_current().version,
        },
        content_type="application/json",
    )
    assert filed.status_code == 201, filed.content
    petition = Petition.objects.get(petitioner_email="hoa.le@example.vn")
    petition.petitioner_email = "hoa.moi@example.vn"  # corrected
    petition.save()

    person = User.objects.create_user(
        "tran.minh", email="minh.tran@example.vn", first_name="Minh", last_name="Trần", role="board"
    )
    person.email = "minh.t@example.vn"
    person.first_name = "Khải"
    person.save()
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=person, name="ZoneDesk", confirmed=True)  # named "ZoneDesk (tran.minh)"

    from zonedesk.investment.models import Investor

    investor = Investor.objects.create(name="Phạm Quốc Vượng", kind="individual", tax_code="8012345678")
    board_user.refresh_from_db()
    zone_enterprise = _enterprise(zone)
    zone_enterprise.investors.add(investor)  # a many-to-many change names the records it links

    entries = LogEntry.objects.all()
    assert entries.filter(content_type__model="petition").count() >= 2
    assert entries.filter(content_type__model="user", object_pk=str(person.pk)).count() >= 2
    trail = _trail()
    for value in (
        "Lê Thị Hoà",
        "hoa.le@example.vn",
        "hoa.moi@example.vn",
        "0912 345 678",
        "0912345678",
        "tran.minh",
        "minh.tran@example.vn",
        "minh.t@example.vn",
        "Khải",
        "Phạm Quốc Vượng",
        "8012345678",
    ):
        assert value.casefold() not in trail, value

    # the petition is still named by its reference, a person and an investor by their key
    changed = entries.filter(content_type__model="petition", action=LogEntry.Action.UPDATE).last()
    assert changed.object_repr.startswith(petition.reference)
    assert set(changed.changes) >= {"petitioner_email"}
    assert entries.filter(content_type__model="user", object_pk=str(person.pk)).last().object_repr == f"#{person.pk}"

    # the trail's page says which field changed, without its values
    board = Client()
    board.force_login(board_user)
    page = board.get("/audit/", {"model": "petitions.petition", "object": str(petition.pk)}, HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<dt data-field="petitioner_email">E-mail</dt><dd><del>••••••</del> → <ins>••••••</ins></dd>' in html
    assert "hoa.moi@example.vn" not in html
    page = board.get("/audit/", {"model": "core.user", "object": str(person.pk)}).content.decode()
    assert '<dt data-field="email">' in page and "<ins>••••••</ins>" in page and "minh.t@example.vn" not in page
    assert board.get("/audit/").status_code == 200  # an authenticator's masked person (no key to name) too


def _enterprise(zone):
    from tests.conftest import make_tax_code
    from zonedesk.investment.models import Enterprise

    return Enterprise.objects.create(name="Công ty Cổ phần Ánh Dương", tax_code=make_tax_code(), zone=zone)


# --- the page and the document ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_board_reads_the_register_in_both_languages_and_others_may_not(
    board_user, admin_user, leader_user, enterprise_user
):
    client = Client()
    client.force_login(board_user)
    vi = client.get("/privacy/register/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Sổ đăng ký dữ liệu cá nhân" in vi
    assert 'data-field="petitions.Petition.petitioner_email"' in vi
    assert 'data-field="auditlog.LogEntry.remote_addr"' in vi
    assert "Người kiến nghị" in vi  # whose: a public petitioner, in Vietnamese
    client.cookies.load({"django_language": "en"})
    en = client.get("/privacy/register/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Register of personal data" in en and "To answer the petition and reach its author" in en
    assert "all of it is basic" in en  # nothing sensitive is kept
    admin = Client()
    admin.force_login(admin_user)
    assert admin.get("/privacy/register/").status_code == 200
    for user in (leader_user, enterprise_user):
        other = Client()
        other.force_login(user)
        assert other.get("/privacy/register/").status_code == 403
    assert Client().get("/privacy/register/").status_code == 302  # the public: log in first


@pytest.mark.django_db
def test_the_committed_document_is_what_the_command_writes_now():
    out = io.StringIO()
    call_command("privacy-register", stdout=out)
    assert out.getvalue() == DOC.read_text(encoding="utf-8"), (
        "docs/PERSONAL_DATA.md is out of date: run `zonedesk privacy-register > docs/PERSONAL_DATA.md`"
    )
    assert "| E-mail (`petitioner_email`) | Public petitioner (no account) | Basic |" in out.getvalue()
