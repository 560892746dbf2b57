"""One error shape for services, pages and the API.

Services raise `ServiceError` (a Django `ValidationError` with per-field messages). Pages
show the messages beside their fields; the API answers 422 with
`{"detail": "...", "errors": {"field": ["message", ...]}}`.
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ServiceError(ValidationError):
    """Bad input for a service: nothing was written."""


class ConflictError(Exception):
    """Someone else changed the record since the writer read it (pages and the API answer 409,
    nothing written). Every write that changes an existing record takes the `version` its writer
    read; `stale` below is the one check (docs/ARCHITECTURE.md, "Writes on a record read before")."""


class TransitionError(Exception):
    """An action the record's state does not allow now (pages show the message, the API answers
    409). Every case type's workflow table raises it (`zonedesk.cases.workflow`)."""


def stale(record, version: int | None, message: str) -> None:
    """Refuse a write made on an older read of `record` (locked by the caller). `version` None is
    the system's own write (the demo, periodic work), never a person's: pages and the API always
    give one. `message` has `%(theirs)s` and `%(yours)s` for the two versions."""
    if version is not None and record.version != version:
        raise ConflictError(message % {"theirs": record.version, "yours": version})


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("__all__" if field == NON_FIELD_ERRORS else field): [str(m) for e in errs for m in e.messages]
            for field, errs in exc.error_dict.items()
        }
    return {"__all__": [str(m) for m in exc.messages]}


def api_error(request, detail: str, status: int):
    """An error answered under /api/ before (or outside) an operation: the middlewares' refusals
    (the access matrix, an ended session, the second step of logging in). The same body, type and
    status as the API's own exception handlers give (`zonedesk.api`), without core importing it."""
    from django.http import HttpResponse
    from ninja.renderers import JSONRenderer

    renderer = JSONRenderer()
    content = renderer.render(request, {"detail": detail}, response_status=status)
    return HttpResponse(content, status=status, content_type=f"{renderer.media_type}; charset={renderer.charset}")


def page_not_found(request, exception):
    """handler404: the API's error shape under /api/ (a path no operation has, or whose parameter
    is not of its type, such as a word where an id belongs), Django's page elsewhere."""
    from django.http import JsonResponse
    from django.utils.translation import gettext as _
    from django.views.defaults import page_not_found as page

    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return page(request, exception)


def server_error(request, *args, **kwargs):
    """handler500. A lost database connection is not a bug of ours: 503 with Retry-After (JSON on
    the API). Every write runs in its service's transaction, so one cut off is rolled back; the
    broken connection is dropped (Django does it again at the end of the request) and the next
    request opens a new one. Any other error, a database one on a working connection included
    (a missing column), is the plain 500 page. Both pages are rendered without the request: its
    context processors would ask the lost database again."""
    import sys

    from django.db import DatabaseError, connection
    from django.http import HttpResponseServerError, JsonResponse
    from django.template import loader
    from django.utils.translation import gettext as _

    exc = sys.exc_info()[1]
    if isinstance(exc, DatabaseError) and _connection_lost(connection):
        if request.path.startswith("/api/"):
            detail = _("The database could not be reached for a moment: try again in a few seconds.")
            response = JsonResponse({"detail": detail}, status=503)
        else:
            response = HttpResponseServerError(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = "5"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def _connection_lost(conn) -> bool:
    """The connection could not be opened, or no longer answers."""
    try:
        if conn.connection is None or not conn.is_usable():
            conn.close()
            return True
    except Exception:  # noqa: BLE001 - whatever the driver raises, the connection is gone
        return True
    return False
