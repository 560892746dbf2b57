from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _retention_after_restore(write) -> None:
    """After `zonedesk restore`: what has expired since the backup was made is cleared at once."""
    from django.utils.translation import gettext

    from zonedesk.privacy.management.commands.retention import report
    from zonedesk.privacy.retention_services import retention_run

    write(gettext("Retention applied to what has expired since the backup was made:"))
    report(retention_run(dry_run=False), write)


class PrivacyConfig(AppConfig):
    name = "zonedesk.privacy"
    label = "privacy"
    verbose_name = _("Personal data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zonedesk.core import audit, backup, workers
        from zonedesk.privacy.register import mask_in_audit, record_name

        mask_in_audit()  # the audit trail keeps nothing of a field marked personal
        audit.register_record_name(record_name)  # rows recorded in bulk: named by key where the name is personal
        backup.register_after_restore(_retention_after_restore)
        workers.register_periodic("zonedesk.privacy.retention_services.retention_tick")  # once a day
