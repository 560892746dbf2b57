from csp.constants import HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as _CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
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
