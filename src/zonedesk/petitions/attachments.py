"""Attachments of petitions: checked by their content, size-limited, stored outside the web root
(the parts every case type shares are `cases.attachments`; who may attach and read is here).

- `attachment_add` (a service) accepts a file only if it passes `core.files.check_upload`: what
  its bytes are is on the allow-list and agrees with the extension of its name. Nothing is
  written when a check fails: no row, no file on disk. The stored name is random
  (`models._attachment_path`); the original name is kept, cleaned, for display only.
- `attachment_open` answers the file to the people who may read it and `Http404` to everyone
  else, so that nobody learns that a confidential file exists. Confidential attachments stay
  private even when the answer is published.
- `attachment_list` lists what a person may see of a petition's attachments.
"""

from __future__ import annotations

from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from zonedesk.cases import attachments as case_files
from zonedesk.cases import timeline
from zonedesk.core.errors import ServiceError, TransitionError
from zonedesk.core.files import Checked, check_upload, clean_name
from zonedesk.core.permissions import actor_of
from zonedesk.core.rules import rule_value
from zonedesk.petitions.models import Attachment, Petition, PetitionEvent, Status
from zonedesk.petitions.workflow import BOARD, LEAD, OWNER, roles_of

MAX_ATTACHMENTS = 10  # per petition
CLOSED_STATUSES = frozenset({Status.CLOSED, Status.REJECTED, Status.MERGED})


# --- the service --------------------------------------------------------------------------


def may_attach(petition: Petition, user: Any) -> bool:
    """The owner enterprise's users, the board (board officers and admins), and officers of the
    lead or a coordinating agency."""
    if user is None:
        return False
    if roles_of(petition, user) & {BOARD, LEAD, OWNER}:
        return True
    actor = actor_of(user)
    return (
        actor.role == "agency"
        and actor.agency_id is not None
        and petition.coordinating_agencies.filter(pk=actor.agency_id).exists()
    )


def check_file(upload: Any) -> Checked:
    """Every check on one uploaded file (`core.files.check_upload`) with the size limit of the
    rule `petition.attachment_max_bytes`, or `ServiceError({"file": ...})`."""
    return check_upload(upload, limit=int(rule_value("petition.attachment_max_bytes")))


def check_files(uploads: Any, *, field: str = "attachments") -> list[Checked]:
    """The files sent with a new petition, all checked before anything is written; the first
    refusal is `ServiceError({field: "<name>: <reason>"})`."""
    return case_files.check_files(
        uploads,
        limit=int(rule_value("petition.attachment_max_bytes")),
        max_count=MAX_ATTACHMENTS,
        too_many=_("A petition can have at most %(n)s attachments."),
        field=field,
    )


def store(*, petition: Petition, by: Any, checked: Checked, confidential: bool, at: Any = None) -> Attachment:
    """Write a checked file under a random name and record it, with its step on the timeline (no
    permission check: callers do). Runs inside the caller's transaction; if recording fails after
    the file was written, the file is removed. A caller that stores several files uses
    `cases.attachments.store_all`, which removes the earlier ones if a later one fails."""
    attachment = Attachment(
        petition=petition,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        confidential=confidential,
        uploaded_by=by,
    )
    return case_files.store(
        attachment,
        checked,
        then=lambda stored: timeline.record(
            PetitionEvent,
            petition,
            "attach",
            by,
            at=at,
            name=checked.name,
            attachment=stored.pk,
            confidential=confidential,
            size=checked.size,
        ),
    )


store_all = case_files.store_all


@transaction.atomic
def attachment_add(*, petition: Petition, by: Any, upload: Any, confidential: bool = True) -> Attachment:
    """Attach a file to a petition. `upload` is a Django UploadedFile. Refused with
    `ServiceError({"file": ...})` (nothing written, no file on disk) when the file is missing,
    empty, too large, the petition has its maximum of attachments, the content is not an
    accepted type, or the name's extension does not match the content."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not may_attach(petition, by):
        raise PermissionDenied(_("You may not attach files to this petition."))
    if petition.status in CLOSED_STATUSES:
        raise TransitionError(
            _("Files cannot be attached to a petition that is “%(status)s”.")
            % {"status": Status(petition.status).label}
        )
    if not isinstance(confidential, bool):
        raise ServiceError({"confidential": _("Say whether the file is confidential.")})
    if upload is None:
        raise ServiceError({"file": _("Choose a file to attach.")})
    if petition.attachments.count() >= MAX_ATTACHMENTS:
        raise ServiceError({"file": _("A petition can have at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}})
    return store(petition=petition, by=by, checked=check_file(upload), confidential=confidential)


# --- reading ------------------------------------------------------------------------------


def _sees_petition(petition_id: int, user: Any) -> bool:
    """The board side, the owner enterprise, the lead and coordinating agencies: the same rule as
    the petition itself (`Petition.objects.restrict`)."""
    return Petition.objects.restrict(user).filter(pk=petition_id).exists()


def _public(petition_id: int) -> bool:
    return Petition.objects.restrict(None, "public").filter(pk=petition_id).exists()


def may_read(attachment: Attachment, user: Any) -> bool:
    if _sees_petition(attachment.petition_id, user):
        return True
    return not attachment.confidential and _public(attachment.petition_id)


def attachment_open(*, attachment: Attachment, user: Any) -> tuple[IO[bytes], str, str]:
    """(file object, content type, download name) for a person who may read it; Http404 for
    everyone else, so that nobody learns that the file exists."""
    if not may_read(attachment, user):
        raise Http404
    return case_files.open_file(attachment)


def attachment_list(*, petition: Petition, user: Any) -> QuerySet[Attachment]:
    """The attachments of a petition that this person may read (the public: the non-confidential
    ones of a published petition)."""
    qs = Attachment.objects.filter(petition=petition).order_by("uploaded_at", "id")
    if _sees_petition(petition.pk, user):
        return qs
    if _public(petition.pk):
        return qs.filter(confidential=False)
    return qs.none()


__all__ = [
    "MAX_ATTACHMENTS",
    "Checked",
    "attachment_add",
    "check_file",
    "check_files",
    "store",
    "attachment_list",
    "attachment_open",
    "clean_name",
]
