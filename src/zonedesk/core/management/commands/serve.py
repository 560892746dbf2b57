"""`zonedesk serve`: apply the migrations and serve the app with gunicorn (no separate config).

Static files are served by WhiteNoise from inside the app, so one process is the whole site.
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _
from gunicorn.app.base import BaseApplication


class ZoneDeskServer(BaseApplication):
    """Gunicorn, configured from a dict instead of its command line, serving settings.WSGI_APPLICATION."""

    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings and value is not None:  # newer settings are skipped on older gunicorns
                self.cfg.set(key, value)

    def load(self):
        from django.core.servers.basehttp import get_internal_wsgi_application

        return get_internal_wsgi_application()  # settings.WSGI_APPLICATION: zonedesk.wsgi.application


def bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def serve(*, host: str, port: int, workers: int, threads: int) -> None:
    """Run gunicorn in this process until it is stopped (Ctrl-C or SIGTERM)."""
    connections.close_all()  # no database connection may cross the fork into the workers
    for conn in connections.all():  # nor a connection pool (DB_POOL), with its sockets and threads
        if getattr(conn, "pool", None) is not None:
            conn.close_pool()
    ZoneDeskServer(
        {
            "bind": bind_address(host, port),
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread" if threads > 1 else "sync",
            "accesslog": "-",
            "errorlog": "-",
            "timeout": 60,
            "graceful_timeout": 10,
            "proc_name": "zonedesk",
            "control_socket_disable": True,  # gunicorn >= 25: no control socket in $HOME
        }
    ).run()


def add_server_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help=_("Address to listen on (default 127.0.0.1)."))
    parser.add_argument("--port", type=int, default=8000, help=_("Port to listen on (default 8000)."))
    parser.add_argument("--workers", type=int, default=2, help=_("Worker processes (default 2)."))
    parser.add_argument("--threads", type=int, default=4, help=_("Threads per worker (default 4)."))


def check_server_options(options: dict[str, Any]) -> None:
    if not 0 < options["port"] < 65536:
        raise CommandError(_("The port must be between 1 and 65535."))
    if options["workers"] < 1 or options["threads"] < 1:
        raise CommandError(_("Workers and threads must be at least 1."))


class Command(BaseCommand):
    @property
    def help(self) -> str:  # translated when asked for, not at import (argparse needs a str)
        return _("Apply the migrations, then serve ZoneDesk with gunicorn (static files included).")

    def add_arguments(self, parser):
        add_server_arguments(parser)
        parser.add_argument("--no-migrate", action="store_true", help=_("Do not apply the migrations first."))

    def handle(self, *args, **options):
        check_server_options(options)
        if not options["no_migrate"]:
            self.stdout.write(_("Applying migrations ..."))
            call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write(
            _("Serving ZoneDesk on %(address)s with %(workers)s workers of %(threads)s threads (Ctrl-C stops).")
            % {
                "address": bind_address(options["host"], options["port"]),
                "workers": options["workers"],
                "threads": options["threads"],
            }
        )
        self.stdout.flush()
        serve(host=options["host"], port=options["port"], workers=options["workers"], threads=options["threads"])
