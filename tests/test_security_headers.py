"""The Content Security Policy header (core.middleware.CSPMiddleware: django-csp's, with the
site's policy built once): every answer carries the policy django-csp builds from the settings,
a response that sets its own keeps it, and a changed setting changes the header."""

from __future__ import annotations

import pytest
from csp.utils import build_policy

pytestmark = pytest.mark.django_db


def test_pages_and_api_answers_carry_the_sites_policy(client):
    expected = build_policy()
    assert "script-src 'self'" in expected and "frame-ancestors 'none'" in expected
    for url in ("/", "/api/v1/ping", "/api/v1/zones", "/no-such-page/"):
        assert client.get(url)["Content-Security-Policy"] == expected, url


def test_a_response_with_its_own_policy_keeps_it_and_a_new_setting_is_followed(rf, settings):
    from django.http import HttpResponse

    from zonedesk.core.middleware import CSPMiddleware

    def own(request):
        response = HttpResponse("file")
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"  # as attachments do
        return response

    request = rf.get("/")
    assert CSPMiddleware(own)(request)["Content-Security-Policy"] == "default-src 'none'; sandbox"
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "img-src": ["'self'", "https:"]}}
    header = CSPMiddleware(lambda r: HttpResponse("page"))(rf.get("/"))["Content-Security-Policy"]
    assert header == build_policy() and "img-src 'self' https:" in header
