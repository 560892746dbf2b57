"""`zonedesk report_import FILE [--dry-run] [--user NAME]`: periodic reports from an XLSX or CSV
file, all or nothing; the same as `zonedesk sheet_import reports FILE` (kept for the scripts
that call it)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zonedesk.sheets.kinds import KINDS
from zonedesk.sheets.management.commands import sheet_import


class Command(sheet_import.Command):
    help = _("Import periodic reports from an XLSX or CSV file, all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("An XLSX or CSV file, one report a row, headers on the first row."))
        parser.add_argument("--dry-run", action="store_true", help=_("Check the file and report; save nothing."))
        parser.add_argument(
            "--user",
            default="",
            help=_("The account recorded as the filer (an enterprise user may import only its own projects)."),
        )

    def handle(self, *args, **o):
        self.run(KINDS["reports"], o)
