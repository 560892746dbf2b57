from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.db import connections, router


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
        quote = connections[router.db_for_read(model)].ops.quote_name
        sql = f"SELECT * FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} = %s"  # noqa: S608
        user = next(iter(model._default_manager.raw(sql, [pk])), None)
        return user if user is not None and self.user_can_authenticate(user) else None
