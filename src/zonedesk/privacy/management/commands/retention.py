"""`zonedesk retention [--dry-run] [--today YYYY-MM-DD]`: apply the retention rules now (the
worker does it once a day), or with `--dry-run` say per kind what they would clear, changing
nothing."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zonedesk.privacy.retention_services import retention_run


def report(result, write) -> None:
    for due in result.kinds:
        if not due.kind.applied:
            write(_("%(kind)s: not applied yet") % {"kind": due.kind.code})
            continue
        verb = _("would clear") if result.dry_run else _("cleared")
        write(
            _("%(kind)s (%(months)s months, before %(before)s): %(verb)s %(n)s")
            % {
                "kind": due.kind.code,
                "months": due.months,
                "before": due.before.date().isoformat(),
                "verb": verb,
                "n": due.count,
            }
        )
        if result.dry_run and due.sample:
            write("  " + ", ".join(due.sample) + (" …" if due.count > len(due.sample) else ""))


class Command(BaseCommand):
    help = _("Apply the retention rules of personal data now, or show what they would clear.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help=_("Show what would be cleared; change nothing."))
        parser.add_argument("--today", default="", help=_("The day to apply the rules as of (YYYY-MM-DD)."))

    def handle(self, *args, dry_run: bool = False, today: str = "", **options):
        try:
            day = dt.date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(_("--today takes a date as YYYY-MM-DD.")) from exc
        report(retention_run(dry_run=dry_run, today=day), self.stdout.write)
