"""`zonedesk worker`: run the background work (e-mails, escalation, closing, late milestones,
retention once a day) until stopped.

Tasks are rows of the database task backend; this loop runs the outstanding ones, and every
`--tick` seconds queues the periodic work of the apps. `zonedesk up` starts one beside the web
server; a multi-machine deployment runs one or more on its own.

The worker registers itself and beats while it runs (`core.workers`); before each look for tasks
it puts back in the queue, once, the tasks of workers that died while running them. SIGTERM or
Ctrl-C lets the task in progress finish, then stops; a second one stops at once.
"""

from __future__ import annotations

import logging
import time

from django.core.management.base import BaseCommand
from django.db import OperationalError, close_old_connections
from django.utils.translation import gettext as _
from django_tasks_db.management.commands.db_worker import Worker

from zonedesk.core import workers

log = logging.getLogger(__name__)


def periodic_tasks() -> list:
    """The periodic work the apps registered with core (`core.workers.register_periodic`)."""
    return workers.periodic_tasks()


class Command(BaseCommand):
    @property
    def help(self) -> str:
        return _("Run the background work (e-mails, escalation of overdue petitions, late milestones) until stopped.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=2.0, help=_("Seconds between looks for new tasks."))
        parser.add_argument("--tick", type=float, default=300.0, help=_("Seconds between runs of the periodic work."))
        parser.add_argument("--once", action="store_true", help=_("Queue the periodic work, run everything, exit."))

    def handle(self, *args, **options):
        worker_id = workers.new_worker_id()
        runner = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id,
            excluded_queue_names=[],
        )
        next_tick = 0.0
        self.stdout.write(_("ZoneDesk worker started (Ctrl-C stops)."))
        with workers.Heart(worker_id):
            runner.configure_signals()  # SIGTERM: the task in progress ends, then runner.running is False
            try:
                while runner.running:
                    close_old_connections()
                    try:
                        recovered = workers.recover_abandoned()
                    except OperationalError:  # SQLite busy with another writer: next time
                        log.warning("could not look for abandoned tasks", exc_info=True)
                    else:
                        for task_id in recovered["retried"]:
                            self.stdout.write(
                                _("Task %s was abandoned by a worker that died: it runs again.") % task_id
                            )
                    if time.monotonic() >= next_tick:
                        for t in periodic_tasks():
                            t.enqueue()
                        next_tick = time.monotonic() + options["tick"]
                    runner.run()
                    if options["once"]:
                        break
                    if runner.running:
                        time.sleep(options["interval"])
            except SystemExit:  # the signal came while no task ran
                pass
            finally:
                runner.reset_signals()
        self.stdout.write(_("ZoneDesk worker stopped."))
