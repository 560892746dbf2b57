from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """No models: the app is installed for its management commands (`demo`, `up`, `generate`)."""

    name = "zonedesk_demo"
    verbose_name = _("Demo and benchmark data")
