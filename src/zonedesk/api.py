"""The JSON API under /api/v1/: one NinjaAPI, one router per app, one error shape.

Reads are open to the public where the data is public and narrowed by the permission layer
for everything else; writes need a logged-in session (with its CSRF token).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from zonedesk.core.api import router as core_router
from zonedesk.core.errors import error_dict
from zonedesk.investment.api import router as investment_router

api = NinjaAPI(
    title="ZoneDesk API",
    version="1",
    description="Zones, the investment registry and its figures. Money is in whole đồng (VND).",
    urls_namespace="api",
)


def _validation(request, detail: str, errors: dict[str, list[str]]):
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


@api.exception_handler(ValidationError)
def _schema_error(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "payload")]
        errors.setdefault(".".join(loc) or "__all__", []).append(err.get("msg", ""))
    return _validation(request, _("The input is not valid."), errors)


@api.exception_handler(DjangoValidationError)
def _service_error(request, exc: DjangoValidationError):
    return _validation(request, _("The input is not valid."), error_dict(exc))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return api.create_response(request, {"detail": _("You do not have permission to do this.")}, status=403)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": _("Log in first.")}, status=401)


api.add_router("/", core_router)
api.add_router("/", investment_router)
