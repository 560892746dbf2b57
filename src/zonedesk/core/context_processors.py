from __future__ import annotations

from django.conf import settings

from zonedesk.core.permissions import CAPABILITIES, has_capability


def zonedesk(request):
    user = getattr(request, "user", None)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "can": {cap.replace(".", "_"): has_capability(user, cap) for cap in CAPABILITIES},
    }
