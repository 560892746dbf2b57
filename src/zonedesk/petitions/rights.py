"""A public petitioner's rights over their personal data (Law 91/2025/QH15), the petition's
part: the petitions a private link opens or a contact names, what is kept about the petitioner,
and the writes (a new link by e-mail, correcting their name and contacts, withdrawing consent,
erasure), each in one transaction. Privacy keeps the link itself (signed, expiring: privacy's
`rights_selectors`), the pages and the audit entry without values; it reaches these through
`PetitionLinks`, which the petitions app registers with it (`privacy.holders`), so that privacy
imports nothing of petitions.

The audit trail records each write without any personal value: the writes are made with
django-auditlog off and one entry is written (`privacy.rights_services.audit_entry`), naming what
changed ("••••••" for a value). The e-mails are rows queued for the worker
(`tasks.send_notification_email`); the petitioner's are in no one's inbox.
"""

from __future__ import annotations

from typing import Any

from auditlog.context import disable_auditlog
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from zonedesk.core import audit
from zonedesk.core.errors import ServiceError, stale
from zonedesk.core.text import fold
from zonedesk.petitions.models import Notification, Petition
from zonedesk.petitions.tasks import send_notification_email
from zonedesk.privacy.retention import ERASED_NAME  # one mark of erased contacts, by request or by time
from zonedesk.privacy.rights_selectors import phone_digits
from zonedesk.privacy.rights_services import audit_entry as _log
from zonedesk.privacy.rights_services import link_issue, link_text

# what an erased petition's title and text become when they were never published
ERASED_TEXT = gettext_noop("The content was erased at the request of the petitioner.")
MAX_NAME = 200


# --- reads ----------------------------------------------------------------------------------


def petition_of_link(pk: int, key: str) -> Petition | None:
    """The public petition a private link names (its key the petition's current one), or None:
    unknown, replaced by a newer link, erased."""
    petition = (
        Petition.objects.select_related("consent_notice", "published_answer", "zone")
        .filter(pk=pk, enterprise__isnull=True, personal_data_erased_at__isnull=True)
        .first()
    )
    if petition is None or not key or petition.rights_link_key != key:
        return None
    return petition


def petitions_of_contact(contact: str) -> list[Petition]:
    """The public petitions (not erased) whose e-mail, or phone, is `contact`."""
    contact = (contact or "").strip()
    qs = Petition.objects.filter(enterprise__isnull=True, personal_data_erased_at__isnull=True).order_by("pk")
    if "@" in contact:
        return list(qs.filter(petitioner_email__iexact=contact))
    digits = phone_digits(contact)
    if len(digits) < 9:
        return []
    # phones are kept as typed (spaces, dots, +84): compared as digits
    ids = [
        pk
        for pk, phone in qs.exclude(petitioner_phone="").values_list("pk", "petitioner_phone").iterator()
        if phone_digits(phone) == digits
    ]
    return list(qs.filter(pk__in=ids))


def petitioner_data(petition: Petition) -> dict[str, Any]:
    """Everything kept about the petitioner of `petition`, as the page shows it and the JSON
    download gives it."""
    notice = petition.consent_notice
    return {
        "petition": {
            "reference": petition.reference,
            "received_at": petition.received_at.isoformat(),
            "status": petition.status,
            "title": petition.title,
            "content": petition.body,
            "zone": petition.zone.code,
        },
        "petitioner": {
            "name": petition.petitioner_name,
            "email": petition.petitioner_email,
            "phone": petition.petitioner_phone,
        },
        "consent": {
            "notice_version": notice.version if notice else None,
            "given_at": petition.consent_given_at.isoformat() if petition.consent_given_at else None,
            "withdrawn_at": petition.consent_withdrawn_at.isoformat() if petition.consent_withdrawn_at else None,
        },
        "attachments": [
            {"name": a.original_name, "size": a.size, "uploaded_at": a.uploaded_at.isoformat()}
            for a in petition.attachments.filter(uploaded_by__isnull=True).order_by("uploaded_at", "pk")
        ],
        "notifications": [
            {
                "subject": n.subject,
                "email": n.email,
                "created_at": n.created_at.isoformat(),
                "emailed_at": n.emailed_at.isoformat() if n.emailed_at else None,
            }
            for n in petition.notifications.filter(user__isnull=True).order_by("created_at", "pk")
        ],
        "published_answer": petition.published_answer.body if petition.published_answer_id else None,
    }


# --- writes ---------------------------------------------------------------------------------


def _queue_email(*, petition: Petition | None, email: str, subject: str, body: str) -> Notification:
    """An e-mail to a petitioner, sent by the worker: a row in no one's inbox, kept out of the
    audit trail (it holds their address)."""
    with disable_auditlog():
        row = Notification.objects.create(email=email, petition=petition, subject=subject[:255], body=body)
    transaction.on_commit(lambda: send_notification_email.enqueue(row.pk))
    return row


@transaction.atomic
def link_request(*, contact: str) -> int:
    """Someone asks a new link with the e-mail or phone they used: each public petition with that
    contact and an e-mail on file gets a new link, e-mailed to that address (never to a phone:
    SMS is not available). Returns how many were sent; the page says the same whatever it is."""
    from django.conf import settings

    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for petition in petitions_of_contact(contact):
            if not petition.petitioner_email:
                continue
            petition = Petition.objects.select_for_update().get(pk=petition.pk)
            url = link_issue(petition=petition)
            _queue_email(
                petition=petition,
                email=petition.petitioner_email,
                subject=f"[{petition.reference}] " + _("Your link to your personal data"),
                body="\n".join(
                    [
                        _("You asked for a new link to the personal data kept with your petition."),
                        "",
                        link_text(petition, url),
                        "",
                        _("If you did not ask for it, ignore this e-mail: the older links no longer work."),
                    ]
                ),
            )
            sent += 1
    return sent


def _fresh(petition: Petition) -> Petition:
    fresh = Petition.objects.select_for_update().get(pk=petition.pk)
    if fresh.personal_data_erased_at is not None or fresh.enterprise_id is not None:
        raise ServiceError({"__all__": _("The personal data of this petition was erased.")})
    return fresh


@transaction.atomic
def petitioner_correct(
    *, petition: Petition, name: str, email: str, phone: str, version: int | None = None
) -> Petition:
    """The petitioner corrects their name, e-mail or phone (one of e-mail and phone stays), on the
    version of the petition their page read (`core.errors.stale`: a board officer's change since
    is never overwritten in silence). The audit trail says which fields changed, never to what."""
    petition = _fresh(petition)
    stale(
        petition,
        version,
        _("Your petition was changed since this page was opened (version %(theirs)s, you had %(yours)s): reload it."),
    )
    name, email, phone = (name or "").strip(), (email or "").strip(), (phone or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give your name.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("The text is too long (at most %(n)s characters).") % {"n": MAX_NAME}
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if phone and (len(phone) > 30 or not _valid_phone(phone)):
        errors["phone"] = _("Enter a valid phone number.")
    if not (email or phone):
        errors["email"] = _("Give an e-mail address or a phone number so that we can answer.")
    if errors:
        raise ServiceError(errors)
    new = {"petitioner_name": name, "petitioner_email": email, "petitioner_phone": phone}
    changed = [f for f, v in new.items() if getattr(petition, f) != v]
    if not changed:
        return petition
    for field in changed:
        setattr(petition, field, new[field])
    petition.version += 1
    with disable_auditlog():
        petition.save(update_fields=[*changed, "version"])
    _log(
        petition,
        changes={f: [audit.mask(True), audit.mask(True)] for f in changed},
        note="corrected by the petitioner through their private link",
    )
    return petition


@transaction.atomic
def consent_withdraw(*, petition: Petition) -> Petition:
    """The petitioner withdraws their consent: from now on nothing is e-mailed to them (the
    e-mails not yet sent are not sent) and the board no longer uses their contacts; the petition
    is still handled and its answer still published if it was allowed."""
    petition = _fresh(petition)
    if petition.consent_withdrawn_at is not None:
        return petition
    now = timezone.now()
    petition.consent_withdrawn_at = now
    petition.version += 1
    with disable_auditlog():
        petition.save(update_fields=["consent_withdrawn_at", "version"])
        Notification.objects.filter(petition=petition, user__isnull=True, emailed_at__isnull=True).update(email="")
    _log(
        petition,
        changes={"consent_withdrawn_at": [None, now.isoformat()]},
        note="consent withdrawn by the petitioner through their private link",
    )
    return petition


@transaction.atomic
def petitioner_erase(*, petition: Petition) -> Petition:
    """Erase the petitioner's personal data, de-identifying the petition: the name, e-mail and
    phone go; the files they attached go (rows and files) unless the answer was published and
    the files with it; a petition never published loses its title and text (a neutral text
    instead), a published one keeps them with its public summary and answer; the e-mail address
    leaves the notification rows; the link dies. The audit trail says that the petitioner erased
    their data, and nothing of it. The petitioner is told by e-mail (the address they had, sent by
    the worker, which then forgets it; no content of the petition)."""
    from django.conf import settings

    petition = _fresh(petition)
    now = timezone.now()
    old_email = petition.petitioner_email
    old_title = petition.title
    published = petition.published_at is not None

    # the files they attached: deleted, unless published with the answer
    gone = []
    for attachment in petition.attachments.filter(uploaded_by__isnull=True):
        if published and not attachment.confidential:
            continue
        gone.append((attachment.file.storage, attachment.file.name))
        with disable_auditlog():
            attachment.delete()
    if gone:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in gone])

    petition.petitioner_name = ERASED_NAME
    petition.petitioner_email = ""
    petition.petitioner_phone = ""
    fields = ["petitioner_name", "petitioner_email", "petitioner_phone"]
    if not published:
        with translation.override(settings.LANGUAGE_CODE):
            neutral = _(ERASED_TEXT)
        petition.title = neutral[:300]
        petition.body = neutral
        fields += ["title", "body"]
    petition.search_text = fold(f"{petition.title} {petition.body}")
    answer = petition.published_answer
    petition.public_search_text = fold(f"{petition.public_summary} {answer.body}") if published and answer else ""
    petition.personal_data_erased_at = now
    petition.rights_link_key = ""
    petition.version += 1
    fields += ["search_text", "public_search_text", "personal_data_erased_at", "rights_link_key", "version"]
    with disable_auditlog():
        petition.save(update_fields=fields)
        # the petitioner's address leaves every notification of the petition; their own rows
        # (which carried their link and the text) keep no text of a petition that is not public
        Notification.objects.filter(petition=petition, user__isnull=True).update(email="")
        if not published:
            Notification.objects.filter(petition=petition, user__isnull=True).update(body="")
            for n in Notification.objects.filter(petition=petition, body__contains=old_title).exclude(body=""):
                n.body = n.body.replace(old_title, petition.title)
                n.save(update_fields=["body"])
    _log(
        petition,
        changes={f: [audit.mask(True), ""] for f in fields if f.startswith("petitioner_") or f in ("title", "body")}
        | {"personal_data_erased_at": [None, now.isoformat()], "attachments_deleted": [None, len(gone)]},
        note="personal data erased at the request of the petitioner (private link)",
    )
    if old_email:
        with translation.override(settings.LANGUAGE_CODE):
            _queue_email(
                petition=petition,
                email=old_email,
                subject=f"[{petition.reference}] " + _("Your personal data was erased"),
                body="\n".join(
                    [
                        _(
                            "As you asked, your name, e-mail address, phone number and the files you attached were "
                            "erased from your petition %(ref)s."
                        )
                        % {"ref": petition.reference},
                        _("This address is not kept: this is the last e-mail you receive about it."),
                    ]
                ),
            )
    return petition


def _valid_phone(phone: str) -> bool:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return 9 <= len(digits) <= 15 and all(ch.isdigit() or ch in "+ .-()" for ch in phone)


class PetitionLinks:
    """The petitions of public petitioners, as privacy's pages reach them (`privacy.holders`)."""

    def open(self, pk: int, key: str) -> Petition | None:
        return petition_of_link(pk, key)

    def of_contact(self, contact: str) -> list[Petition]:
        return petitions_of_contact(contact)

    def data(self, record: Petition) -> dict[str, Any]:
        return petitioner_data(record)

    def request_links(self, contact: str) -> int:
        return link_request(contact=contact)

    def correct(self, *, record: Petition, name: str, email: str, phone: str, version: int | None = None) -> Petition:
        return petitioner_correct(petition=record, name=name, email=email, phone=phone, version=version)

    def withdraw(self, *, record: Petition) -> Petition:
        return consent_withdraw(petition=record)

    def erase(self, *, record: Petition) -> Petition:
        return petitioner_erase(petition=record)
