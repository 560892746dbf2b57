from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "zonedesk.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zonedesk.privacy.register import mask_in_audit

        mask_in_audit()  # the audit trail keeps nothing of a field marked personal
