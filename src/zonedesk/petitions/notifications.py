"""Who is told what about a petition. A notification is a row in the person's in-app inbox,
written in the same transaction as the change; its e-mail is sent by background work
(`tasks.send_notification_email`), never from the request.

`on_event` is the petition's hook on the case machinery (`cases.notifications`): every step
written with `cases.timeline.record` reaches it (the app registers it in its ready()), as do
notices about something other than a petition (`notify_users`, the inbox hook)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from zonedesk.cases.notifications import is_muted, muted
from zonedesk.core import audit
from zonedesk.core.models import Role, User
from zonedesk.petitions.models import Notification, Petition


def enterprise_people(petition: Petition) -> list[Any]:
    if petition.enterprise_id is None:
        return []
    return list(User.objects.filter(enterprise_id=petition.enterprise_id, is_active=True))


def agency_people(petition: Petition) -> list[Any]:
    if petition.lead_agency_id is None:
        return []
    return list(User.objects.filter(agency_id=petition.lead_agency_id, is_active=True))


def role_people(role: str) -> list[Any]:
    return list(User.objects.filter(role=role, is_active=True))


def may_email_petitioner(petition: Petition) -> bool:
    """A public petitioner is e-mailed while they consent: not once they withdrew it or had their
    data erased (`petitions.rights`)."""
    return (
        petition.enterprise_id is None
        and bool(petition.petitioner_email)
        and petition.consent_withdrawn_at is None
        and petition.personal_data_erased_at is None
    )


def notify(
    *,
    petition: Petition,
    users: Iterable[Any] = (),
    to_petitioner: bool = False,
    subject: str,
    body: str,
    petitioner_note: str = "",
) -> int:
    """Write the inbox rows (and queue their e-mails); returns how many people are told.
    `petitioner_note` ends the public petitioner's e-mail only (their private link)."""
    if is_muted():
        return 0
    rows = [
        Notification(user=u, email=u.email or "", petition=petition, subject=subject[:255], body=body)
        for u in {u.pk: u for u in users}.values()
    ]
    if to_petitioner and may_email_petitioner(petition):
        rows.append(
            Notification(
                email=petition.petitioner_email,
                petition=petition,
                subject=subject[:255],
                body=f"{body}\n{petitioner_note}" if petitioner_note else body,
            )
        )
    return _send(rows)


def _send(rows: list[Notification]) -> int:
    """Write the rows, queue an e-mail for each one with an address (sent by the worker)."""
    from zonedesk.petitions.tasks import send_notification_email

    created = Notification.objects.bulk_create(rows)
    audit.log_created(created)
    for n in created:
        if n.email:
            send_notification_email.enqueue(n.pk)
    return len(created)


def notify_users(*, users: Iterable[Any], subject: str, body: str, link: str = "") -> int:
    """Inbox rows (and their e-mails) about something other than a petition: a late roadmap
    milestone, say; `link` is the site path the inbox opens."""
    if is_muted():
        return 0
    return _send(
        [
            Notification(user=u, email=u.email or "", subject=subject[:255], body=body, link=link[:300])
            for u in {u.pk: u for u in users}.values()
        ]
    )


def _text(petition: Petition, message: str) -> tuple[str, str]:
    subject = f"[{petition.reference}] {message}"
    body = "\n".join([message, "", f"{petition.reference}: {petition.title}", ""])
    return subject, body


def on_event(petition: Petition, action: str, **data: Any) -> None:
    """Tell the people concerned about a step of the petition, in the platform's language."""
    if is_muted():
        return
    with translation.override(settings.LANGUAGE_CODE):
        owner = enterprise_people(petition)
        if action == "submit":
            subject, body = _text(petition, _("Your petition was received."))
            note = ""
            if may_email_petitioner(petition):  # the acknowledgement carries the private link to their data
                from zonedesk.privacy.rights_services import link_issue, link_text

                note = link_text(petition, link_issue(petition=petition))
            notify(petition=petition, users=owner, to_petitioner=True, subject=subject, body=body, petitioner_note=note)
            subject, body = _text(petition, _("A new petition is waiting for triage."))
            notify(petition=petition, users=role_people(Role.BOARD), subject=subject, body=body)
        elif action == "assign":
            subject, body = _text(petition, _("A petition was assigned to your agency."))
            notify(petition=petition, users=agency_people(petition), subject=subject, body=body)
        elif action == "transfer":
            subject, body = _text(petition, _("An agency transferred a petition back: route it again."))
            notify(petition=petition, users=role_people(Role.BOARD), subject=subject, body=body)
        elif action == "answer_submitted":
            subject, body = _text(petition, _("An answer is waiting for your approval."))
            notify(petition=petition, users=role_people(Role.BOARD), subject=subject, body=body)
        elif action == "answer":
            subject, body = _text(petition, _("Your petition was answered."))
            notify(petition=petition, users=owner, to_petitioner=True, subject=subject, body=body)
        elif action == "publish":
            subject, body = _text(petition, _("The answer to your petition was published."))
            notify(petition=petition, users=owner, to_petitioner=True, subject=subject, body=body)
        elif action == "request_info":
            subject, body = _text(petition, _("Please supply the information asked for your petition."))
            notify(
                petition=petition,
                users=owner,
                to_petitioner=True,
                subject=subject,
                body=f"{body}\n{data.get('reason', '')}",
            )
        elif action in {"reject", "merge"}:
            subject, body = _text(petition, _("Your petition was closed without an answer: see the reason."))
            notify(
                petition=petition,
                users=owner,
                to_petitioner=True,
                subject=subject,
                body=f"{body}\n{data.get('reason', '')}",
            )
        elif action == "reopen":
            subject, body = _text(petition, _("An enterprise reopened its petition."))
            notify(petition=petition, users=role_people(Role.BOARD), subject=subject, body=body)
        elif action == "escalate":
            level = data["level"]
            targets = {1: agency_people(petition), 2: role_people(Role.BOARD), 3: role_people(Role.LEADER)}[level]
            subject, body = _text(petition, _("Overdue petition, escalation step %(level)s of 3.") % {"level": level})
            notify(petition=petition, users=targets, subject=subject, body=body)
            subject, body = _text(
                petition,
                _("Your petition is late; it was raised to a higher level (step %(level)s of 3).") % {"level": level},
            )
            notify(petition=petition, users=owner, to_petitioner=True, subject=subject, body=body)


__all__ = ["muted", "notify", "notify_users", "on_event"]
