from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "zonedesk.reporting"
    label = "reporting"
    verbose_name = _("The board's periodic report")
    default_auto_field = "django.db.models.BigAutoField"
