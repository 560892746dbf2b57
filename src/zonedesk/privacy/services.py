"""Writes of the privacy notice, and the consent check the forms that collect personal data use.

The notice is versioned: `notice_publish` always makes a new version and never edits one, so a
consent keeps pointing at the text its giver read. Every write is in a transaction and recorded
in the audit trail (every model is tracked; `acting` names the person outside a request).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from zonedesk.core.audit import acting
from zonedesk.core.errors import ConflictError, ServiceError
from zonedesk.core.permissions import has_capability
from zonedesk.privacy import notice_v1
from zonedesk.privacy.models import PrivacyNotice

MAX_SUMMARY = 2_000
MAX_TEXT = 100_000


def notice_current() -> PrivacyNotice:
    """The notice in force: the latest version. A database without one (a fresh install has
    version 1 from its migration; a test database emptied since has none) gets version 1 again,
    so that a form always has a notice to show and to record consent to."""
    notice = PrivacyNotice.objects.order_by("-version").first()
    if notice is not None:
        return notice
    with transaction.atomic():
        notice, _created = PrivacyNotice.objects.get_or_create(
            version=1,
            defaults={
                "summary_vi": notice_v1.SUMMARY_VI,
                "summary_en": notice_v1.SUMMARY_EN,
                "text_vi": notice_v1.TEXT_VI,
                "text_en": notice_v1.TEXT_EN,
            },
        )
    return notice


def notice_publish(
    *,
    by: Any,
    summary_vi: str,
    summary_en: str,
    text_vi: str,
    text_en: str,
    based_on: int | None = None,
) -> PrivacyNotice:
    """Publish a new version of the notice (the latest + 1). Nothing is edited: consents given
    to earlier versions keep theirs. `based_on` is the version the writer started from (the
    page's); if another was published since, `ConflictError` (nothing written). Board officers
    and admins only."""
    if by is not None and not has_capability(by, "privacy.edit"):
        raise PermissionDenied(_("Only the board publishes the privacy notice."))
    texts = {
        "summary_vi": (summary_vi or "").strip(),
        "summary_en": (summary_en or "").strip(),
        "text_vi": (text_vi or "").strip(),
        "text_en": (text_en or "").strip(),
    }
    errors: dict[str, str] = {}
    for field, value in texts.items():
        limit = MAX_SUMMARY if field.startswith("summary") else MAX_TEXT
        if not value:
            errors[field] = _("Write this text: the notice is shown in Vietnamese and in English.")
        elif len(value) > limit:
            errors[field] = _("The text is too long (at most %(n)s characters).") % {"n": limit}
    if errors:
        raise ServiceError(errors)
    current = notice_current()
    try:
        with transaction.atomic(), acting(by):
            latest = PrivacyNotice.objects.select_for_update().filter(pk=current.pk).first()
            top = PrivacyNotice.objects.aggregate(top=Max("version"))["top"] or 0
            if based_on is not None and (latest is None or top != based_on):
                raise ConflictError(
                    _("Version %(theirs)s of the notice was published since you opened version %(yours)s: reload it.")
                    % {"theirs": top, "yours": based_on}
                )
            if latest is not None and all(getattr(latest, f) == v for f, v in texts.items()):
                raise ServiceError(
                    {"__all__": _("Nothing changed: the text is the same as version %(n)s.") % {"n": top}}
                )
            return PrivacyNotice.objects.create(version=top + 1, published_by=by, **texts)
    except IntegrityError as exc:  # another version took the number meanwhile
        raise ConflictError(_("Another version of the notice was published at the same moment: reload it.")) from exc


def consent_check(version: Any) -> PrivacyNotice:
    """The notice a person consents to by sending a form that showed `version` (its number). A
    missing version is no consent; one that is no longer the current version (the board published
    a new one while the form was open) is refused, so that nobody is recorded as agreeing to a
    text they did not read. The error is on `consent_version`, which pages show beside the box."""
    if version in (None, "", False):
        raise ServiceError(
            {
                "consent_version": _(
                    "Tick the box to agree to the privacy notice: without it the petition cannot be sent."
                )
            }
        )
    try:
        number = int(version)
    except (TypeError, ValueError):
        number = 0
    current = notice_current()
    if number != current.version:
        raise ServiceError(
            {
                "consent_version": _(
                    "The privacy notice has changed (version %(n)s): read the new notice and tick the box again."
                )
                % {"n": current.version}
            }
        )
    return current
