from __future__ import annotations

from django.conf import settings

from zonedesk.core.permissions import CAPABILITIES, has_capability


def zonedesk(request):
    user = getattr(request, "user", None)
    from zonedesk.petitions.selectors import unread_count

    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "unread_notifications": unread_count(user=user) if getattr(user, "is_authenticated", False) else 0,
        "can": {cap.replace(".", "_"): has_capability(user, cap) for cap in CAPABILITIES},
    }
