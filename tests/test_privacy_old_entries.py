"""Issue 23: entries of the audit trail written before personal fields were masked lose their
values once (privacy migration 0004, `privacy.old_entries.mask_old_entries`), and the trail is
append-only again afterwards — on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Petition
from zonedesk.privacy.old_entries import mask_old_entries

pytestmark = pytest.mark.django_db(transaction=False)

EMAIL, PHONE, NAME = "nguyen.van.an@example.vn", "0912345678", "Nguyễn Văn An"


def _entries_of(petition) -> list[LogEntry]:
    return list(LogEntry.objects.get_for_object(petition))


def _everything(entries) -> str:
    return "\n".join(
        json.dumps([e.changes, e.changes_text, e.serialized_data, e.object_repr], ensure_ascii=False) for e in entries
    )


def test_entries_written_before_the_masking_lose_their_personal_values(zone, monkeypatch):
    # an entry as the trail wrote it before issue 23: the petitioner's contacts in clear
    monkeypatch.setitem(auditlog._registry[Petition], "mask_fields", [])
    petition = petitions.petition_submit(**_public_petition(zone))
    petition.petitioner_phone = "0987654321"
    petition.save()
    monkeypatch.undo()
    before = _everything(_entries_of(petition))
    assert EMAIL in before and PHONE in before and "0987654321" in before  # the old trail held them

    changed = mask_old_entries(LogEntry, ContentType, connection)
    after = _everything(_entries_of(petition))
    assert changed >= 2
    for value in (EMAIL, PHONE, "0987654321", NAME):
        assert value not in after
    assert "petitioner_email" in after and "••••••" in after  # which field changed is still said
    assert petition.reference in after  # the rest of the entry as it was

    # append-only again: an entry cannot be changed (nor deleted, on PostgreSQL)
    entry = _entries_of(petition)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        LogEntry.objects.filter(pk=entry.pk).update(object_repr="nothing happened")
    assert mask_old_entries(LogEntry, ContentType, connection) == 0  # once: nothing more to mask


def _public_petition(zone) -> dict:
    from zonedesk.privacy.services import notice_current

    return {
        "zone": zone,
        "title": "Đề nghị hỗ trợ đường điện",
        "body": "Khu vực chưa có điện ổn định.",
        "category": "infrastructure",
        "source": "public",
        "petitioner_name": NAME,
        "petitioner_email": EMAIL,
        "petitioner_phone": PHONE,
        "consent_version": notice_current().version,
    }
