"""`zonedesk worker`: run the background work (e-mails, escalation, closing, late milestones) until stopped.

Tasks are rows of the database task backend; this loop runs the outstanding ones, and every
`--tick` seconds queues the periodic work of the apps. `zonedesk up` starts one beside the web
server; a multi-machine deployment runs one or more on its own.
"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


def periodic_tasks() -> list:
    from zonedesk.petitions.tasks import petitions_tick
    from zonedesk.roadmaps.tasks import roadmaps_tick

    return [petitions_tick, roadmaps_tick]


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Run the background work (e-mails, escalation of overdue petitions, late milestones) until stopped.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help=_("Seconds between looks for new tasks."))
        parser.add_argument("--tick", type=float, default=300.0, help=_("Seconds between runs of the periodic work."))
        parser.add_argument("--once", action="store_true", help=_("Queue the periodic work, run everything, exit."))

    def handle(self, *args, **options):
        next_tick = 0.0
        self.stdout.write(_("ZoneDesk worker started (Ctrl-C stops)."))
        try:
            while True:
                if time.monotonic() >= next_tick:
                    for t in periodic_tasks():
                        t.enqueue()
                    next_tick = time.monotonic() + options["tick"]
                call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
                if options["once"]:
                    return
                time.sleep(options["interval"])
        except KeyboardInterrupt:
            self.stdout.write(_("ZoneDesk worker stopped."))
