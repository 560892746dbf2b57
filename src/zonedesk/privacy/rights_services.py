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
The petitioner's writes are the petitions app's (`petitions.rights`, registered with
`privacy.holders`): the names here call it, so that privacy imports nothing of petitions.
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

from zonedesk.cases import notifications
from zonedesk.core import audit
from zonedesk.core.errors import ServiceError
from zonedesk.privacy import rights_selectors as selectors
from zonedesk.privacy.holders import holder


def audit_entry(obj: Any, *, changes: dict[str, list[Any]], note: str, action: int | None = None) -> None:
    """One entry of the audit trail for a write made with auditlog off: the fields named, no value
    of a person (the caller passes masks), and what happened in `additional_data` (also for the
    writes of `petitions.rights`)."""
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


# --- the private link ---------------------------------------------------------------------


@transaction.atomic
def link_issue(*, petition: Any) -> str:
    """A new private link for the person of `petition` (a record with `privacy.models.
    ConsentFields`): its key changes, so older links die. Returns the link (with the site's
    address)."""
    key = secrets.token_hex(16)
    type(petition).objects.filter(pk=petition.pk).update(rights_link_key=key)  # no signal: not in the trail
    petition.rights_link_key = key
    return selectors.link_url(selectors.token_for(petition))


def link_text(petition: Any, url: str) -> str:
    from django.conf import settings

    return _(
        "Your personal data: see it, correct it, withdraw your consent, download it or ask for its erasure "
        "with this private link (it works for %(days)s days; do not share it):\n%(url)s"
    ) % {"days": settings.PRIVACY_LINK_DAYS, "url": url}


def link_request(*, contact: str) -> int:
    """Someone asks a new link with the e-mail or phone they used: each public petition with that
    contact and an e-mail on file gets a new link, e-mailed to that address (never to a phone:
    SMS is not available). Returns how many were sent; the page says the same whatever it is."""
    return holder().request_links(contact)


# --- a public petitioner's rights (the petitions app writes them: `petitions.rights`) -----------


def petitioner_correct(*, petition: Any, name: str, email: str, phone: str, version: int | None = None) -> Any:
    """The petitioner corrects their name, e-mail or phone (one of e-mail and phone stays), on the
    version of the petition their page read (a board officer's change since is never overwritten
    in silence: `ConflictError`). The audit trail says which fields changed, never to what."""
    return holder().correct(record=petition, name=name, email=email, phone=phone, version=version)


def consent_withdraw(*, petition: Any) -> Any:
    """The petitioner withdraws their consent: from now on nothing is e-mailed to them; the
    petition is still handled and its answer still published if it was allowed."""
    return holder().withdraw(record=petition)


def petitioner_erase(*, petition: Any) -> Any:
    """Erase the petitioner's personal data, de-identifying the petition (what goes and what
    stays: `petitions.rights.petitioner_erase`)."""
    return holder().erase(record=petition)


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
    audit_entry(
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

    reason = (reason or "").strip()
    if len(reason) > 2000:
        raise ServiceError({"reason": _("The text is too long (at most %(n)s characters).") % {"n": 2000}})
    audit_entry(
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
