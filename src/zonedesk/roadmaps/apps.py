from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapsConfig(AppConfig):
    name = "zonedesk.roadmaps"
    label = "roadmaps"
    verbose_name = _("Roadmaps")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zonedesk.investment.services import on_milestone_recorded
        from zonedesk.roadmaps.services import schedule_recorded

        # a roadmap milestone made from a certificate's milestone finishes when the registry
        # records that milestone's date (the registry, the lower layer, does not know roadmaps)
        on_milestone_recorded(schedule_recorded)
