from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EcosystemConfig(AppConfig):
    name = "zonedesk.ecosystem"
    label = "ecosystem"
    verbose_name = _("Innovation ecosystem")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from zonedesk.ecosystem.reference import ensure_reference

        post_migrate.connect(ensure_reference, sender=self, dispatch_uid="ecosystem-reference")
