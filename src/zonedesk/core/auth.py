from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class ZoneDeskBackend(ModelBackend):
    """Django's model backend, except that demo accounts work only in demo mode."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)
