"""API authentication shared by the apps."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from ninja.errors import HttpError
from ninja.utils import check_csrf


def session_or_public(request):
    """For endpoints open to the public *and* to logged-in people (the petition form): a logged-in
    session must carry its CSRF token like any other write; the public calls without a session."""
    if request.user.is_authenticated:
        if check_csrf(request):
            raise HttpError(403, "CSRF check Failed")
        return request.user
    return _Public()


class _Public(AnonymousUser):
    def __bool__(self) -> bool:  # ninja treats a falsy result as "not authenticated"
        return True
