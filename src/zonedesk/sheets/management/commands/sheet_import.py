"""`zonedesk sheet_import KIND FILE [--dry-run] [--map FIELD=HEADER ...] [--user NAME]`:
enterprises, projects or periodic reports from an XLSX or CSV file, all or nothing.

A progress bar goes to stderr (checking, then saving); every problem by row and column, then a
summary, to stdout. Exit status 0 when the file was saved (or, with `--dry-run`, would be), 1
when it was refused. Importing the same file again saves nothing new; an interrupted import
(Ctrl-C, a kill) saves nothing at all.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.core.models import User
from zonedesk.core.progress import ProgressBar
from zonedesk.sheets import services
from zonedesk.sheets.kinds import KINDS


class Command(BaseCommand):
    help = _("Import enterprises, projects or periodic reports from an XLSX or CSV file, all or nothing.")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(KINDS), help=_("What the file holds."))
        parser.add_argument("file", help=_("An XLSX or CSV file, one record a row, headers on the first row."))
        parser.add_argument("--dry-run", action="store_true", help=_("Check the file and report; save nothing."))
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help=_("Which column of the file holds a field, for a file that does not follow the template."),
        )
        parser.add_argument("--user", default="", help=_("The account recorded as the importer."))

    def handle(self, *args, **o):
        self.run(KINDS[o["kind"]], o)

    def run(self, kind, o) -> None:
        mapping = {}
        for pair in o.get("map", []):
            name, sep, header = pair.partition("=")
            if not sep or kind.column(name.strip()) is None:
                fields = ", ".join(c.name for c in kind.columns)
                raise CommandError(_("--map takes FIELD=HEADER, FIELD one of: %(fields)s.") % {"fields": fields})
            mapping[name.strip()] = header.strip()
        user = None
        if o["user"]:
            user = User.objects.filter(username=o["user"], is_active=True).first()
            if user is None:
                raise CommandError(_("No active account “%(name)s”.") % {"name": o["user"]})
        checking, saving = ProgressBar(self.stderr, _("Checking")), ProgressBar(self.stderr, _("Saving"))
        labels = {c.name: c.vi for c in kind.columns}
        try:
            result = services.import_file(
                kind.slug, o["file"], by=user, mapping=mapping, dry_run=o["dry_run"], progress=checking, saving=saving
            )
        except ServiceError as exc:
            checking.close()
            check = getattr(exc, "check", None)
            for p in check.problems if check is not None else []:
                where = _("row %(row)s") % {"row": p.row}
                if p.column:
                    where += f", {labels.get(p.column, p.column)}"
                self.stdout.write(self.style.ERROR(f"{where}: {p.message}"))
            if check is not None and check.missing:
                self.stdout.write(_("Columns of the file: %(headers)s") % {"headers": ", ".join(check.headers)})
            for messages in error_dict(exc).values():
                for m in messages:
                    self.stdout.write(m)
            raise CommandError(_("Nothing was saved."), returncode=1) from exc
        saving.close()
        counts = {"rows": result.rows, "new": len(result.new), "same": result.unchanged}
        if o["dry_run"]:
            text = _("Dry run: %(rows)s rows, %(new)s new, %(same)s already registered; nothing was saved.")
        else:
            text = _("%(rows)s rows: %(new)s new saved, %(same)s already registered and unchanged.")
        self.stdout.write(self.style.SUCCESS(text % counts))
