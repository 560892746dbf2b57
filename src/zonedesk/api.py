"""The JSON API under /api/v1/: one NinjaAPI, one router per app, one error shape.

Reads are open to the public where the data is public and narrowed by the permission layer
for everything else; writes need a logged-in session (with its CSRF token).
"""

import copy

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from zonedesk.core import access
from zonedesk.core.answers import AnswerRenderer
from zonedesk.core.api import router as core_router
from zonedesk.core.errors import ConflictError, TransitionError, error_dict
from zonedesk.core.idempotency import WRITES
from zonedesk.core.throttle import PublicApiThrottle
from zonedesk.dialogue.api import router as dialogue_router
from zonedesk.directions.api import router as directions_router
from zonedesk.investment.api import router as investment_router
from zonedesk.petitions.api import router as petitions_router
from zonedesk.petitions.api_attachments import router as attachments_router
from zonedesk.planning.api import router as planning_router
from zonedesk.privacy.api import router as privacy_router
from zonedesk.procedures.api import router as procedures_router
from zonedesk.promotion.api import router as promotion_router

ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "what went wrong, in the user's language"},
        "errors": {
            "type": "object",
            "description": "per field (`__all__` for the whole input), its messages",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail"],
}

_ERRORS = {
    "400": "The request body is not valid JSON, or cannot be read (too many files or fields).",
    "401": "Log in first, or log in again: the session ended (idle or too long).",
    "403": "Not for your role, the second step of logging in not given yet, or a write without its CSRF token.",
    "404": "Not found (what the path or a parameter names), or not yours to see.",
    "409": "Not possible in the record's present state.",
    "422": "The input is not valid: the reasons per field.",
    "429": "Too many requests from one address (the public's limit); see Retry-After.",
    "503": "The database is not reachable for a moment; see Retry-After.",
}


IDEMPOTENCY_PARAMETER = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Any key you make for this write (a UUID): sent again with the same request within 24 hours, "
        "it gets the first answer again (header Idempotent-Replayed: true) and nothing is done twice; "
        "with another request, 422."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[!-~]+$"},
}
VERSIONED_409 = (
    "The record changed since the `version` you sent was read (someone else wrote), or the change is not "
    "possible in its present state: nothing was written. Read the record again and send its new `version`."
)


def requires_version(schema: dict, operation: dict) -> bool:
    """Whether a write requires the `version` its writer read: a required `version` in its body
    (JSON or multipart), or a required If-Match header."""
    for content in operation.get("requestBody", {}).get("content", {}).values():
        body = content.get("schema", {})
        if "$ref" in body:
            body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
        if "version" in body.get("required", []):
            return True
    return any(
        p.get("in") == "header" and p.get("name", "").lower() == "if-match" and p.get("required")
        for p in operation.get("parameters", [])
    )


def error_responses(method: str, path: str, operation: dict) -> dict[str, str]:
    """The error answers one operation can give, with the access matrix deciding 404."""
    rule = access.API.get(f"{method.upper()} {path}")
    outcomes = {rule.outcome(role) for role in access.ROLES} if rule else {access.HIDDEN}
    # every operation: a session that ended (core.sessions), a role-less account, the public's
    # limit, the database
    codes = {"401", "403", "429", "503"}
    if outcomes & {access.OWN, access.SEE, access.HIDDEN} or operation.get("parameters"):
        codes.add("404")
    if operation.get("parameters") or operation.get("requestBody"):
        codes.add("422")
    if method.upper() != "GET":
        codes |= {"400", "409", "422"}
    return {code: _ERRORS[code] for code in sorted(codes)}


def string_codes(responses: dict) -> dict[str, dict]:
    """An operation's answers keyed by the status code as a string, as OpenAPI has it.

    ninja keys them by the int of a route's `response={404: ...}` and by whatever an
    `openapi_extra` gave; the error answers added here are strings. Kept both, `404` and `"404"`
    are two keys of one JSON object once serialised: a duplicate key that Swagger UI (the docs
    page) and strict clients refuse. Merged here, the route's own description wins, and a content
    listed by one and not the other is kept."""
    merged: dict[str, dict] = {}
    for code, answer in responses.items():
        key = str(code)
        if key in merged:
            first = merged[key]
            content = {**answer.get("content", {}), **first.get("content", {})}
            merged[key] = {**answer, **first, **({"content": content} if content else {})}
        else:
            merged[key] = answer
    return merged


class ZoneDeskAPI(NinjaAPI):
    """NinjaAPI whose document also lists each operation's error answers (one error shape)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._documents: dict[tuple, dict] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The document, made once per process and language (seconds of work for some 80
        operations, the same for every request of the docs page and of openapi.json); each caller
        gets its own copy."""
        key = (get_language() or "", path_prefix, tuple(sorted((path_params or {}).items())))
        if key not in self._documents:
            self._documents[key] = self._document(path_prefix=path_prefix, path_params=path_params)
        return copy.deepcopy(self._documents[key])

    def _document(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        for path, item in schema["paths"].items():
            for method, operation in item.items():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                operation["responses"] = string_codes(operation["responses"])
                if method.upper() in WRITES:
                    operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
                for code, description in error_responses(method, path, operation).items():
                    operation["responses"].setdefault(
                        code,
                        {
                            "description": description,
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                        },
                    )
                if requires_version(schema, operation):  # docs/ARCHITECTURE.md, "Writes on a record read before"
                    operation["responses"]["409"]["description"] = VERSIONED_409
        return schema


api = ZoneDeskAPI(
    title="ZoneDesk API",
    version="1",
    description=(
        "Zones, the investment registry and its figures, the petition channel, planning decisions and plan "
        "revisions. Money is in whole đồng (VND)."
    ),
    urls_namespace="api",
    renderer=AnswerRenderer(),  # ninja's JSON, and the store of cached list answers (core.answers)
    throttle=[PublicApiThrottle()],  # the public's calls, per address, across app servers
    # Swagger UI (templates/ninja/swagger.html) without deep links: each would be a link inside
    # its operation's button, which a screen reader or keyboard cannot use (axe: nested-interactive)
    docs=Swagger(settings={"deepLinking": False}),
)


def _validation(request, detail: str, errors: dict[str, list[str]]):
    return api.create_response(request, {"detail": detail, "errors": errors}, status=422)


def _schema_message(err: dict) -> str:
    """pydantic's message for a schema error, in the user's language where we know the kind."""
    kind, ctx = err.get("type", ""), err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return _("Enter a whole number.")
    if kind in {"greater_than_equal", "greater_than"}:
        return _("Enter a value of at least %(limit)s.") % {"limit": ctx.get("ge", ctx.get("gt"))}
    if kind in {"less_than_equal", "less_than"}:
        return _("Enter a value of at most %(limit)s.") % {"limit": ctx.get("le", ctx.get("lt"))}
    if kind in {"enum", "literal_error"}:
        return _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
    if kind in {"date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"}:
        return _("Enter a date as YYYY-MM-DD.")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Enter true or false.")
    if kind in {"string_type", "string_pattern_mismatch"}:
        return _("The value does not have the expected form.")
    if kind == "string_too_long":
        return _("The text is too long.")
    if kind in {"model_attributes_type", "dict_type", "model_type", "json_invalid"}:
        return _("Send a JSON object.")
    if kind == "extra_forbidden":
        return _("This field is not accepted here: nothing was written.")
    return err.get("msg", "")


_LOCATIONS = {"body", "query", "path", "form", "file", "header", "cookie"}
_WRAPPERS = {"payload", "query", "pagination", "filters"}  # parameter names of whole schemas


def _field_of(loc) -> str:
    """The field a schema error is about: ("body", "payload", "title") → "title",
    ("form", "payload", "body") → "body" (a field may be called "body"), ("query", "year") → "year"."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in _WRAPPERS:
        parts = parts[1:]
    return ".".join(parts)


@api.exception_handler(ValidationError)
def _schema_error(request, exc: ValidationError):
    errors: dict[str, list[str]] = {}
    for err in exc.errors:
        errors.setdefault(_field_of(err.get("loc", ())) or "__all__", []).append(_schema_message(err))
    return _validation(request, _("The input is not valid."), errors)


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    detail = _("Too many requests from your address: wait a minute and try again.")
    return api.create_response(request, {"detail": detail}, status=429)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    detail = _("The request body is not valid JSON.") if exc.status_code == 400 else str(exc)
    return api.create_response(request, {"detail": detail}, status=exc.status_code)


@api.exception_handler(SuspiciousOperation)
def _unreadable(request, exc: SuspiciousOperation):
    """A body Django refuses to read (more files or fields than DATA_UPLOAD_MAX_NUMBER_FILES or
    _FIELDS allow, or too large): 400 in the API's shape, not Django's HTML page."""
    detail = _("The request could not be read: too many files or fields, or too large.")
    return api.create_response(request, {"detail": detail}, status=400)


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


@api.exception_handler(TransitionError)
def _refused_by_state(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(ConflictError)
def _conflict(request, exc):
    """A write on an older read: nothing written; the `version` sent is the field at fault."""
    return api.create_response(request, {"detail": str(exc), "errors": {"version": [str(exc)]}}, status=409)


api.add_router("/", core_router)
api.add_router("/", investment_router)
api.add_router("/", attachments_router)
api.add_router("/", petitions_router)
api.add_router("/", dialogue_router)
api.add_router("/", planning_router)
api.add_router("/", privacy_router)
api.add_router("/", procedures_router)
api.add_router("/", promotion_router)
api.add_router("/", directions_router)
