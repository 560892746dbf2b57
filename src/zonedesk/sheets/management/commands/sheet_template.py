"""`zonedesk sheet_template KIND OUT.xlsx|OUT.csv`: the blank template of an import."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zonedesk.sheets import book
from zonedesk.sheets.kinds import KINDS


class Command(BaseCommand):
    help = _("Write the blank template of an import (XLSX with instructions and lists, or CSV).")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("out", help=_("The file to write, ending in .xlsx or .csv."))

    def handle(self, *args, **o):
        out = Path(o["out"])
        fmt = out.suffix.lower().lstrip(".")
        if fmt not in ("xlsx", "csv"):
            raise CommandError(_("The template is written as .xlsx or .csv."))
        out.write_bytes(book.template_response(KINDS[o["kind"]], fmt).content)
        self.stdout.write(str(out))
