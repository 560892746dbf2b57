from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_see_roadmap(user, kwargs) -> bool:
    """The access matrix's scope "roadmap" (core.access): a roadmap of the route's pk."""
    from zonedesk.roadmaps.models import Roadmap

    return Roadmap.objects.restrict(user).filter(pk=kwargs.get("pk")).exists()


class RoadmapsConfig(AppConfig):
    name = "zonedesk.roadmaps"
    label = "roadmaps"
    verbose_name = _("Roadmaps")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zonedesk.core import access, workers
        from zonedesk.investment.services import on_milestone_recorded, on_schedule_replanned
        from zonedesk.roadmaps.services import schedule_recorded, schedule_replanned

        access.register_scope("roadmap", _may_see_roadmap)
        workers.register_periodic("zonedesk.roadmaps.tasks.roadmaps_tick")  # late milestones
        # a roadmap milestone made from a certificate's milestone finishes when the registry
        # records that milestone's date (the registry, the lower layer, does not know roadmaps)
        on_milestone_recorded(schedule_recorded)
        on_schedule_replanned(schedule_replanned)
