from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "zonedesk.planning"
    verbose_name = _("Planning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from zonedesk.planning.reference import ensure_land_uses

        post_migrate.connect(ensure_land_uses, sender=self, dispatch_uid="planning-land-uses")
