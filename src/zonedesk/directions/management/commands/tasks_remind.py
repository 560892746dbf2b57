"""`zonedesk tasks_remind [--date YYYY-MM-DD]`: send the reminders and escalations of the tasks
of directions due that day (each once; the worker runs the same every tick)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext_lazy as _


class Command(BaseCommand):
    help = _("Send the reminders and escalations of the tasks of directions due today (each once).")

    def add_arguments(self, parser):
        parser.add_argument("--date", default="", help="the day to run for (default: today)")

    def handle(self, *args, **options):
        from zonedesk.directions.services import tasks_remind

        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        sent = tasks_remind(today=day)
        self.stdout.write(" ".join(f"{k}={v}" for k, v in sent.items()))
