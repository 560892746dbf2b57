from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError


class ZoneDeskBackend(ModelBackend):
    """Django's model backend, except that demo accounts work only in demo mode."""

    def user_can_authenticate(self, user) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id):
        """The user of a session, read with one plain statement (every request of a logged-in
        person does it; the ORM's query building costs several times the statement)."""
        model = get_user_model()
        try:
            pk = model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        table, column = model._meta.db_table, model._meta.pk.column
        user = next(iter(model._default_manager.raw(f'SELECT * FROM "{table}" WHERE "{column}" = %s', [pk])), None)  # noqa: S608
        return user if user is not None and self.user_can_authenticate(user) else None
