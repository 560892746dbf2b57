"""The context every page gets: demo mode, the person's capabilities and the counters the apps
register (`register_counter`: petitions, the unread notices of the inbox), so that core names no app."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from zonedesk.core.permissions import CAPABILITIES, has_capability

# a template variable → the dotted path of a function of `user=` that counts, for a logged-in person
COUNTERS: dict[str, str] = {}


def register_counter(name: str, function: str) -> None:
    """Give every page `name`: the count of `function(user=...)` for a logged-in person, 0 for the public."""
    COUNTERS[name] = function


def zonedesk(request):
    user = getattr(request, "user", None)
    logged_in = getattr(user, "is_authenticated", False)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        **{name: import_string(path)(user=user) if logged_in else 0 for name, path in COUNTERS.items()},
        "can": {cap.replace(".", "_"): has_capability(user, cap) for cap in CAPABILITIES},
    }
