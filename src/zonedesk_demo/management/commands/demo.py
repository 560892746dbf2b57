"""`zonedesk demo`: migrate the configured database and load the demo dataset (once)."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zonedesk.core.numbers import num
from zonedesk_demo.build import build_everything
from zonedesk_demo.summary import accounts_text, figures_line


class Command(BaseCommand):
    @property
    def help(self) -> str:  # translated when asked for, not at import (argparse needs a str)
        return _(
            "Apply the migrations, then load the demo dataset (Hoa Lac Hi-Tech Park and three industrial "
            "zones, built to match the published figures) and, in demo mode, one demo account per role. "
            "Running it again changes nothing."
        )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help=_("Build the dataset as of this day (YYYY-MM-DD); default: today."),
        )
        parser.add_argument("--no-migrate", action="store_true", help=_("Do not apply the migrations first."))

    def handle(self, *args, **options):
        today = None
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": options["date"]}) from exc
        if not options["no_migrate"]:
            self.stdout.write(_("Applying migrations ..."))
            call_command("migrate", interactive=False, verbosity=0)
        try:
            result = build_everything(stdout=self.stdout, today=today)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(_("Demo dataset built in %(seconds)s s.") % {"seconds": num(result.seconds, 1)})
            )
        counts = ", ".join(f"{name} {n}" for name, n in result.counts.items())
        self.stdout.write(_("Rows: %(counts)s") % {"counts": counts})
        line = figures_line()
        if line:
            self.stdout.write(line)
        self.stdout.write(accounts_text(result.accounts, demo_mode=result.demo_mode))
