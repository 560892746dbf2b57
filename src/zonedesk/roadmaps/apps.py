from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapsConfig(AppConfig):
    name = "zonedesk.roadmaps"
    label = "roadmaps"
    verbose_name = _("Roadmaps")
    default_auto_field = "django.db.models.BigAutoField"
