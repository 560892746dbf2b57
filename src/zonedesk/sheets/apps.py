from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SheetsConfig(AppConfig):
    name = "zonedesk.sheets"
    label = "sheets"
    verbose_name = _("Spreadsheet imports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zonedesk.core import jobs
        from zonedesk.sheets.models import SheetImport
        from zonedesk.sheets.tasks import sheet_import_run

        jobs.register(SheetImport, sheet_import_run, related=("created_by",))
