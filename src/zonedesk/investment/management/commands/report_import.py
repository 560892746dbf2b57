"""`zonedesk report_import FILE [--dry-run] [--user NAME]`: periodic reports from an XLSX or CSV
file (one report a row, Vietnamese or English headers), all or nothing.

A progress bar goes to stderr; every problem by row and column, then a summary, to stdout. The
exit status is 0 when the reports were saved (or, with `--dry-run`, would be), 1 when the file
was refused. Importing the same file again saves nothing new.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.core.models import User
from zonedesk.investment import imports
from zonedesk.planning.management.commands.plan_import import ProgressBar


class Command(BaseCommand):
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
        user = None
        if o["user"]:
            user = User.objects.filter(username=o["user"], is_active=True).first()
            if user is None:
                raise CommandError(_("No active account “%(name)s”.") % {"name": o["user"]})
        bar = ProgressBar(self.stderr, _("Checking"))
        try:
            result = imports.import_reports(o["file"], by=user, dry_run=o["dry_run"], progress=bar)
        except ServiceError as exc:
            bar.close()
            check = getattr(exc, "check", None)
            labels = {name: vi for name, vi, _en in imports.COLUMNS}
            for p in check.problems if check is not None else []:
                where = _("row %(row)s") % {"row": p.row}
                if p.column:
                    where += f", {labels.get(p.column, p.column)}"
                self.stdout.write(self.style.ERROR(f"{where}: {p.message}"))
            for messages in error_dict(exc).values():
                for m in messages:
                    self.stdout.write(m)
            raise CommandError(_("Nothing was saved."), returncode=1) from exc
        bar.close()
        counts = {"rows": result.rows, "new": len(result.new), "same": result.unchanged}
        if o["dry_run"]:
            text = _("Dry run: %(rows)s rows, %(new)s new reports, %(same)s already filed; nothing was saved.")
        else:
            text = _("%(rows)s rows: %(new)s new reports saved, %(same)s already filed and unchanged.")
        self.stdout.write(self.style.SUCCESS(text % counts))
