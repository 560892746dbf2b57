"""What privacy's retention rules clear in the petition channel's tables (Law 91/2025/QH15: data
is kept no longer than its purpose needs). Privacy declares the kinds (`privacy.retention.KINDS`:
what each removes, from when its months count, the board's months); this module gives the rows
of two of them, registered in the app's ready():

- `petitioner_contacts`: a public petitioner's name, e-mail and phone, and the e-mail and text of
  the notifications sent to them, once the petition ended (closed, rejected, merged);
- `notifications`: the e-mail address and the text of every notification.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from zonedesk.petitions.models import Notification, Petition, PetitionEvent
from zonedesk.privacy.retention import ERASED_NAME, Part, register_parts

ENDED = ("closed", "rejected", "merged")


def petitions_due(before: dt.datetime) -> models.QuerySet:
    """Public petitions (no enterprise) closed, rejected or merged before `before`, whose contacts
    are still there. A closed one counts from `closed_at`, a rejected or merged one from the step
    that made it so (its timeline's last event to that status)."""
    ended = PetitionEvent.objects.filter(petition=OuterRef("pk"), to_status=OuterRef("status")).order_by("-at")
    return (
        Petition.objects.filter(enterprise__isnull=True, status__in=ENDED, personal_data_erased_at__isnull=True)
        .annotate(ended_at=Coalesce("closed_at", Subquery(ended.values("at")[:1])))
        .filter(ended_at__lt=before)
    )


def petitions_clear(rows: models.QuerySet, now: dt.datetime) -> int:
    ids = list(rows.values_list("pk", flat=True))
    Notification.objects.filter(petition_id__in=ids, user__isnull=True).update(email="", body="")
    return Petition.objects.filter(pk__in=ids).update(
        petitioner_name=ERASED_NAME,
        petitioner_email="",
        petitioner_phone="",
        personal_data_erased_at=now,
        version=F("version") + 1,  # a page read before cannot write the contacts back
    )


def notifications_due(before: dt.datetime) -> models.QuerySet:
    return Notification.objects.filter(created_at__lt=before).exclude(email="", body="")


def notifications_clear(rows: models.QuerySet, now: dt.datetime) -> int:
    return rows.update(email="", body="")


def register() -> None:
    register_parts(
        "petitioner_contacts",
        Part(
            model=lambda: Petition,
            due=petitions_due,
            clear=petitions_clear,
            reference=lambda p: p.reference,
            label=_("petitions"),
        ),
    )
    register_parts(
        "notifications",
        Part(
            model=lambda: Notification,
            due=notifications_due,
            clear=notifications_clear,
            reference=lambda n: f"#{n.pk}",
            label=_("notifications"),
        ),
    )
