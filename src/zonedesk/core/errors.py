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


def server_error(request, *args, **kwargs):
    """handler500. A lost database connection is not a bug of ours: 503 with Retry-After (JSON on
    the API), and the broken connection is dropped so the next request opens a new one. The
    transaction of the failed request was rolled back by the database, so nothing is half saved.
    Anything else is the plain 500 page."""
    import sys

    from django.db import InterfaceError, OperationalError, connections
    from django.http import HttpResponseServerError, JsonResponse
    from django.template import loader
    from django.utils.translation import gettext as _

    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        for conn in connections.all(initialized_only=True):
            conn.close_if_unusable_or_obsolete()  # Django does it again when the request ends
        if request.path.startswith("/api/"):
            detail = _("The database could not be reached for a moment: try again in a few seconds.")
            response = JsonResponse({"detail": detail}, status=503)
        else:
            response = HttpResponseServerError(loader.render_to_string("503.html", request=request), status=503)
        response["Retry-After"] = "5"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html", request=request))
