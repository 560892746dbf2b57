"""A person's rights over their personal data (Law 91/2025/QH15): the writes, each in one
transaction.

A public petitioner, through their private link (`rights_selectors`): a new link by e-mail
(`link_request`), correcting their name and contacts (`petitioner_correct`), withdrawing consent
(`consent_withdraw`: nothing more is e-mailed to them, the petition is still handled) and erasure
(`petitioner_erase`: the petition is de-identified). A person with an account: correcting their
name and e-mail (`account_correct`) and asking the board for erasure (`account_erasure_request`:
a public body keeps the records of acts done in office, so an account is not erased on request).

The audit trail records each of these without any personal value: the writes are made with
django-auditlog off and one entry is written here, naming what changed ("••••••" for a value).
The e-mails are rows queued for the worker (`petitions.tasks.send_notification_email`); the
petitioner's are in no one's inbox.
"""

from __future__ import annotations

import secrets
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
from zonedesk.privacy import rights_selectors as selectors
from zonedesk.privacy.retention import ERASED_NAME  # one mark of erased contacts, by request or by time

# what an erased petition's title and text become when they were never published
ERASED_TEXT = gettext_noop("The content was erased at the request of the petitioner.")
MAX_NAME = 200


def _log(obj: Any, *, changes: dict[str, list[Any]], note: str, action: int | None = None) -> None:
    """One entry of the audit trail for a write made with auditlog off: the fields named, no value
    of a person (the caller passes masks), and what happened in `additional_data`."""
    from auditlog.cid import get_cid
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(obj._meta.model),
        object_pk=str(obj.pk),
        object_id=obj.pk,
        object_repr=getattr(obj, "reference", None) or getattr(obj, "username", None) or str(obj.pk),
        action=LogEntry.Action.UPDATE if action is None else action,
        changes=changes,
        cid=get_cid(),
        additional_data={"privacy": note},
    )


def _queue_email(*, petition: Petition | None, email: str, subject: str, body: str) -> Notification:
    """An e-mail to a petitioner, sent by the worker: a row in no one's inbox, kept out of the
    audit trail (it holds their address)."""
    from zonedesk.petitions.tasks import send_notification_email

    with disable_auditlog():
        row = Notification.objects.create(email=email, petition=petition, subject=subject[:255], body=body)
    transaction.on_commit(lambda: send_notification_email.enqueue(row.pk))
    return row


# --- the private link ---------------------------------------------------------------------


@transaction.atomic
def link_issue(*, petition: Petition) -> str:
    """A new private link for the petitioner of `petition`: its key changes, so older links die.
    Returns the link (with the site's address)."""
    key = secrets.token_hex(16)
    Petition.objects.filter(pk=petition.pk).update(rights_link_key=key)  # no signal: not in the trail
    petition.rights_link_key = key
    return selectors.link_url(selectors.token_for(petition))


def link_text(petition: Petition, url: str) -> str:
    from django.conf import settings

    return _(
        "Your personal data: see it, correct it, withdraw your consent, download it or ask for its erasure "
        "with this private link (it works for %(days)s days; do not share it):\n%(url)s"
    ) % {"days": settings.PRIVACY_LINK_DAYS, "url": url}


@transaction.atomic
def link_request(*, contact: str) -> int:
    """Someone asks a new link with the e-mail or phone they used: each public petition with that
    contact and an e-mail on file gets a new link, e-mailed to that address (never to a phone:
    SMS is not available). Returns how many were sent; the page says the same whatever it is."""
    from django.conf import settings

    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for petition in selectors.petitions_of_contact(contact):
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


# --- a public petitioner's rights ------------------------------------------------------------


def _fresh(petition: Petition) -> Petition:
    fresh = Petition.objects.select_for_update().get(pk=petition.pk)
    if fresh.personal_data_erased_at is not None or fresh.enterprise_id is not None:
        raise ServiceError({"__all__": _("The personal data of this petition was erased.")})
    return fresh


def _valid_phone(phone: str) -> bool:
    digits = "".join(ch for ch in phone if ch.isdigit())
    return 9 <= len(digits) <= 15 and all(ch.isdigit() or ch in "+ .-()" for ch in phone)


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


# --- a person with an account ----------------------------------------------------------------


@transaction.atomic
def account_correct(*, user: Any, first_name: str, last_name: str, email: str) -> Any:
    """A person corrects the name and e-mail of their account (the rest is the board's to set:
    role, enterprise, agency). The audit trail says which fields changed, never to what."""
    from zonedesk.core.models import User

    user = User.objects.select_for_update().get(pk=user.pk)
    new = {
        "first_name": (first_name or "").strip(),
        "last_name": (last_name or "").strip(),
        "email": (email or "").strip(),
    }
    errors: dict[str, str] = {}
    for field, limit in (("first_name", 150), ("last_name", 150), ("email", 254)):
        if len(new[field]) > limit:
            errors[field] = _("The text is too long (at most %(n)s characters).") % {"n": limit}
    if new["email"] and "email" not in errors:
        try:
            validate_email(new["email"])
        except ValidationError:
            errors["email"] = _("Enter a valid e-mail address.")
    if errors:
        raise ServiceError(errors)
    changed = [f for f, v in new.items() if getattr(user, f) != v]
    if not changed:
        return user
    for field in changed:
        setattr(user, field, new[field])
    with disable_auditlog():
        user.save(update_fields=changed)
    _log(
        user,
        changes={f: [audit.mask(True), audit.mask(True)] for f in changed},
        note="corrected by the person from their account page",
    )
    return user


@transaction.atomic
def account_erasure_request(*, user: Any, reason: str = "") -> int:
    """A person with an account asks for the erasure of their data: recorded in the audit trail
    and in every administrator's inbox (with their e-mail), for the board to decide (a public
    body keeps the records of acts done in office). Returns how many administrators are told."""
    from django.conf import settings

    from zonedesk.core.models import Role, User
    from zonedesk.petitions import notifications

    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise ServiceError({"reason": _("The text is too long (at most %(n)s characters).") % {"n": 2000}})
    _log(
        user,
        changes={"erasure_requested": [None, timezone.now().isoformat()]},
        note="erasure of the account's personal data asked by the person",
    )
    admins = User.objects.filter(role=Role.ADMIN, is_active=True)
    with translation.override(settings.LANGUAGE_CODE):
        body = _(
            "%(user)s (%(role)s) asks for the erasure of the personal data of their account. Decide what the law "
            "lets the board erase (the records of acts done in office are kept) and answer them."
        ) % {"user": user.username, "role": user.get_role_display()}
        if reason:
            body += "\n\n" + _("Their reason:") + "\n" + reason
        return notifications.notify_users(
            users=admins,
            subject=_("Erasure of personal data asked: %(user)s") % {"user": user.username},
            body=body,
            link=f"/admin/core/user/{user.pk}/change/",
        )
