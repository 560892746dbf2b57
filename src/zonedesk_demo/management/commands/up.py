"""`zonedesk up`: everything a first look needs, in one command.

Apply the migrations, load the demo dataset into a database that has no zone yet, print the
demo accounts and the address, then serve (as `zonedesk serve`). `scripts/start` runs this.
"""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zonedesk.core.management.commands.serve import add_server_arguments, check_server_options, serve
from zonedesk.core.models import Zone
from zonedesk.core.numbers import num
from zonedesk_demo.build import build_everything
from zonedesk_demo.investment import demo_accounts
from zonedesk_demo.summary import accounts_text, figures_line


def public_url(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)  # noqa: S104
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


class Command(BaseCommand):
    @property
    def help(self) -> str:  # translated when asked for, not at import (argparse needs a str)
        return _(
            "Apply the migrations, load the demo dataset into an empty database, print the demo accounts, "
            "then serve ZoneDesk."
        )

    def add_arguments(self, parser):
        add_server_arguments(parser)

    def handle(self, *args, **options):
        check_server_options(options)
        self.stdout.write(_("Applying migrations ..."))
        call_command("migrate", interactive=False, verbosity=0)
        if not Zone.objects.exists():
            result = build_everything(stdout=self.stdout)
            self.stdout.write(_("Demo dataset built in %(seconds)s s.") % {"seconds": num(result.seconds, 1)})
            accounts = result.accounts
        else:
            self.stdout.write(_("The database already has zones: the demo dataset is not loaded."))
            accounts = demo_accounts()
        line = figures_line()
        if line:
            self.stdout.write(line)
        self.stdout.write(accounts_text(accounts, demo_mode=settings.DEMO_MODE))
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(_("ZoneDesk at %(url)s") % {"url": public_url(options["host"], options["port"])})
        )
        self.stdout.flush()
        # the background work (e-mails, escalation) runs beside the web server, and stops with it
        worker = subprocess.Popen([sys.executable, "-m", "zonedesk", "worker"])  # noqa: S603
        try:
            serve(host=options["host"], port=options["port"], workers=options["workers"], threads=options["threads"])
        finally:
            worker.terminate()
            worker.wait(timeout=20)
