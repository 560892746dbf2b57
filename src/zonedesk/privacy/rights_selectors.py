"""A person's rights over their personal data (Law 91/2025/QH15): the reads.

A public petitioner has no account: they reach their data through a private link, a signed and
expiring token (`token_for`, `petition_for_token`) naming the petition and the petition's
`rights_link_key`. The petitions app holds the records and registers how to find and read them
(`privacy.holders`; `petitions.rights`): privacy imports nothing of it. Issuing a new link or erasing the data changes the key (`rights_services`), so
every older link dies; a link also dies `PRIVACY_LINK_DAYS` after it was signed. A tampered,
expired or dead link reads as nothing, all alike.

A person with an account (an enterprise user, an officer) reads theirs on their account page
(`account_data`).
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Max
from django.urls import reverse

from zonedesk.privacy.holders import holder

SALT = "zonedesk.privacy.my-data"


def token_for(record: Any) -> str:
    """The private link's token: the record (a petition) and its current link key, signed
    (salted) with the time it was signed. Only `rights_services.link_issue` calls it, after
    setting the key."""
    return signing.dumps({"p": record.pk, "k": record.rights_link_key}, salt=SALT, compress=True)


def link_path(token: str) -> str:
    return reverse("privacy_my_data", args=[token])


def link_url(token: str) -> str:
    """The link as an e-mail carries it: the site's address (`SITE_URL`) and the path."""
    return settings.SITE_URL.rstrip("/") + link_path(token)


def petition_for_token(token: str) -> Any | None:
    """The record a link opens (a public petitioner's petition), or None: tampered, expired,
    replaced by a newer link, erased. The holder of such records finds it (`privacy.holders`)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.PRIVACY_LINK_DAYS * 24 * 3600)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int) or not data.get("k"):
        return None
    return holder().open(data["p"], data["k"])


def phone_digits(phone: str) -> str:
    """A phone number as digits, +84 written as the leading 0 (how a person may type it either way)."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and len(digits) >= 11:
        digits = "0" + digits[2:]
    return digits


def petitions_of_contact(contact: str) -> list[Any]:
    """The records of public petitioners (not erased) whose e-mail, or phone, is `contact`."""
    return holder().of_contact(contact)


def petitioner_data(record: Any) -> dict[str, Any]:
    """Everything kept about the person of `record`, as the page shows it and the JSON download
    gives it."""
    return holder().data(record)


def login_addresses(user: Any, *, limit: int = 20) -> list[dict[str, Any]]:
    """The addresses the audit trail recorded for this person's actions, the latest first."""
    from auditlog.models import LogEntry

    rows = (
        LogEntry.objects.filter(actor_id=user.pk, remote_addr__isnull=False)
        .values("remote_addr")
        .annotate(last=Max("timestamp"))
        .order_by("-last")[:limit]
    )
    return [{"address": r["remote_addr"], "last_seen": r["last"]} for r in rows]


def account_data(user: Any) -> dict[str, Any]:
    """Everything the platform keeps about a person with an account, as their page shows it and
    the JSON download gives it (what they did in office stays in the records it belongs to)."""
    return {
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "role": user.role,
            "enterprise": user.enterprise.name if user.enterprise_id else None,
            "agency": user.agency.name if user.agency_id else None,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "is_active": user.is_active,
        },
        "addresses": [
            {"address": a["address"], "last_seen": a["last_seen"].isoformat()} for a in login_addresses(user)
        ],
        "notifications": [
            {"subject": n.subject, "email": n.email, "created_at": n.created_at.isoformat()}
            for n in user.notifications.order_by("-created_at", "-pk")[:200]
        ],
        "saved_filters": [f.name for f in user.saved_petition_filters.order_by("name")],
    }
