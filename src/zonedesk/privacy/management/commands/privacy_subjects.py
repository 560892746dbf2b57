"""`zonedesk privacy_subjects --model petitions.Petition [--since YYYY-MM-DD] [--until YYYY-MM-DD]
[--format text|csv]`: every person whose data a table holds in a period, with their contacts, to
tell them of a breach (docs/SECURITY.md). For administrators on the server; recorded in the audit
trail with the account of the system that ran it."""

from __future__ import annotations

import csv
import datetime as dt
import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zonedesk.core.exports import csv_safe
from zonedesk.privacy.subjects import COLUMNS, SubjectsError, marked_models, subjects_list


def _date(text: str, option: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise CommandError(_("%(option)s takes a date as YYYY-MM-DD.") % {"option": option}) from exc


class Command(BaseCommand):
    help = _("List every person whose data a table holds in a period, with their contacts (to tell them of a breach).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--model", required=True, help=_("The table, as app_label.Model (e.g. petitions.Petition).")
        )
        parser.add_argument("--since", default="", help=_("Rows dated from this day (YYYY-MM-DD)."))
        parser.add_argument("--until", default="", help=_("Rows dated up to this day (YYYY-MM-DD)."))
        parser.add_argument("--format", choices=["text", "csv"], default="text")

    def handle(self, *args, model: str, since: str, until: str, format: str, **options):
        try:
            people = subjects_list(
                model=model,
                since=_date(since, "--since"),
                until=_date(until, "--until"),
                via=f"command ({getpass.getuser()})",
            )
        except SubjectsError as exc:
            tables = ", ".join(label for label, _name in marked_models())
            raise CommandError(f"{exc} " + _("Tables with personal data: %(tables)s.") % {"tables": tables}) from exc
        if format == "csv":
            writer = csv.writer(self.stdout)
            writer.writerow([str(c.header) for c in COLUMNS])
            for p in people:
                writer.writerow([csv_safe(str(c.value(p))) for c in COLUMNS])
            return
        for p in people:
            self.stdout.write(f"{p.name or '—'}\t{p.email or '—'}\t{p.phone or '—'}\t{p.count}\t{' '.join(p.records)}")
        self.stdout.write(_("%(n)s people.") % {"n": len(people)})
