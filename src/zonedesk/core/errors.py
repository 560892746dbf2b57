"""One error shape for services, pages and the API.

Services raise `ServiceError` (a Django `ValidationError` with per-field messages). Pages
show the messages beside their fields; the API answers 422 with
`{"detail": "...", "errors": {"field": ["message", ...]}}`.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ServiceError(ValidationError):
    """Bad input for a service: nothing was written."""


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("__all__" if field == NON_FIELD_ERRORS else field): [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}
