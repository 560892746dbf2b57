"""Checks of service input shared by the apps: each puts a field-level message in `errors` and
returns the cleaned value (the service raises `ServiceError(errors)` once all are checked)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from zonedesk.core.errors import ServiceError


def clean_text(value: Any, field: str, errors: dict[str, str], *, required: bool, limit: int) -> str:
    """Text stripped of surrounding space; required, at most `limit` characters."""
    if value is not None and not isinstance(value, str):
        errors[field] = _("Enter text.")
        return ""
    text = (value or "").strip()
    if required and not text:
        errors[field] = _("This field is required.")
    elif len(text) > limit:
        errors[field] = _("The text is too long (at most %(n)s characters).") % {"n": limit}
    return text


def raise_if(errors: dict[str, str]) -> None:
    """Nothing written: every message at once."""
    if errors:
        raise ServiceError(errors)
