from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zonedesk.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from zonedesk.core import audit

        audit._connect()  # the request's person and address on the audit entries it writes
