from __future__ import annotations

import json
import re
from typing import Any

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as _CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http.multipartparser import MultiPartParserError
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese for everyone until a person picks another language with the switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a board's platform
    speaks Vietnamese first, so only the language cookie set by the switch changes it.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if chosen and translation.check_for_language(chosen):
            language = translation.get_supported_language_variant(chosen)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# --- text the databases cannot store --------------------------------------------------------------
# PostgreSQL refuses a NUL character in any text ("A string literal cannot contain NUL (0x00)
# characters", raised as a server error from deep inside a query), and neither engine can store an
# unpaired UTF-16 surrogate (what "\ud800" in a JSON string decodes to: it cannot be encoded as
# UTF-8). Such text is refused at the edge, before any view runs, wherever it comes in: the path,
# the query string, a form's fields and file names, a JSON body's strings and keys. A cookie holding
# one is dropped (a session key that cannot be looked up is no session).

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# a JSON body can only hold one as a raw NUL byte or an escape: \u0000, \ud800-\udfff
_JSON_HINT = re.compile(rb"\x00|\\u0000|\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


def unstorable(text: str) -> bool:
    return bool(_UNSTORABLE.search(text))


def _json_culprit(value: Any, where: str = "") -> str | None:
    """The dotted name of the first string (or key) of a JSON value holding unstorable text."""
    if isinstance(value, str):
        return (where or "__all__") if unstorable(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            name = f"{where}.{key}" if where else str(key)
            if unstorable(str(key)):
                return where or "__all__"
            found = _json_culprit(item, name)
            if found is not None:
                return found
    if isinstance(value, list):
        for i, item in enumerate(value):
            found = _json_culprit(item, f"{where}.{i}" if where else str(i))
            if found is not None:
                return found
    return None


class StorableTextMiddleware:
    """Refuse a request that carries text no database can store (see above): 422 with the field
    on the API (its one error shape), 400 with an OGC exception on /ogc/, a 400 page elsewhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for name in [n for n, v in request.COOKIES.items() if unstorable(n) or unstorable(v)]:
            del request.COOKIES[name]
        try:
            field = self._culprit(request)
        except SuspiciousOperation:  # a body Django refuses to read: too many files or fields, too large
            if not request.path_info.startswith("/api/"):
                raise  # Django's own 400 page
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            detail = _("The request could not be read: too many files or fields, or too large.")
            return JsonResponse({"detail": detail}, status=400)
        if field is not None:
            return self._refuse(request, field)
        return self.get_response(request)

    @staticmethod
    def _culprit(request) -> str | None:
        if unstorable(request.path_info):
            return "__all__"
        for source in (request.GET,):
            for key, values in source.lists():
                if unstorable(key):
                    return "__all__"
                if any(unstorable(v) for v in values):
                    return key
        if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
            return None
        content_type = request.content_type or ""
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                request.POST  # noqa: B018 - parsed here; a body that cannot be is the view's to answer
            except MultiPartParserError:
                return None
            for key, values in request.POST.lists():
                if unstorable(key):
                    return "__all__"
                if any(unstorable(v) for v in values):
                    return key
            for key, files in request.FILES.lists():
                if any(unstorable(f.name or "") for f in files):
                    return key
        elif (
            content_type == "application/json"
            or content_type.endswith("+json")
            or request.path_info.startswith("/api/")  # the API reads any other body as JSON, whatever its label
        ):
            body = request.body
            if _JSON_HINT.search(body):
                try:
                    data = json.loads(body)
                except ValueError:  # not JSON at all: the API says so itself
                    return "__all__" if b"\x00" in body else None
                return _json_culprit(data)
        return None

    @staticmethod
    def _refuse(request, field: str):
        from django.http import HttpResponseBadRequest, JsonResponse
        from django.template import loader
        from django.utils.translation import gettext as _

        VietnameseFirstLocaleMiddleware(lambda r: None).process_request(request)
        detail = _("The request holds a character that cannot be stored (a NUL character or an unpaired surrogate).")
        if request.path_info.startswith("/api/"):
            message = _("Remove the character that cannot be stored (NUL or an unpaired surrogate).")
            return JsonResponse({"detail": detail, "errors": {field: [message]}}, status=422)
        if request.path_info.startswith("/ogc/"):
            return JsonResponse({"code": "InvalidParameterValue", "description": detail}, status=400)
        # rendered without the request: the refused request never reached the session or the user
        return HttpResponseBadRequest(loader.render_to_string("400.html", {"reason": detail}))


class CSPMiddleware(_CSPMiddleware):
    """django-csp's, with the site's policy built once instead of at every response (0.1 ms a
    request, docs/PERFORMANCE.md). The cached header is the one django-csp would build for a
    response that changes nothing of the policy; any other case (a view's own policy, update,
    replacement, exemption or nonce; a report-only policy or excluded prefixes in the settings;
    a response that already carries the header) goes through django-csp itself."""

    _policy: str | None = None

    def process_response(self, request, response):
        if (
            self._plain(request, response)
            and not (response.status_code in (404, 500) and settings.DEBUG)
            and (policy := self._site_policy())
        ):
            response[HEADER] = policy
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
            return response
        return super().process_response(request, response)

    @staticmethod
    def _plain(request, response) -> bool:
        if getattr(request, "_csp_nonce", None) is not None or HEADER in response:
            return False
        if any(getattr(response, name, None) is not None for name in _RESPONSE_POLICY):
            return False
        if getattr(response, "_csp_exempt", False) or getattr(response, "_csp_exempt_ro", False):
            return False
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}
        return not policy.get("EXCLUDE_URL_PREFIXES") and not getattr(
            settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None
        )

    @classmethod
    def _site_policy(cls) -> str:
        if cls._policy is None:
            cls._policy = build_policy()
        return cls._policy


_RESPONSE_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)


@receiver(setting_changed)
def _policy_changed(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        CSPMiddleware._policy = None
