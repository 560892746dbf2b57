"""`zonedesk demo`: migrate the configured database and load the demo dataset (once)."""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from zonedesk.core.models import Zone
from zonedesk.core.numbers import num, pct
from zonedesk.demo import build_everything
from zonedesk.investment import selectors
from zonedesk.investment.demo import BN, DEMO_PASSWORD, HHTP, format_accounts


def _number(value: float, decimals: int = 0) -> str:
    """A number as the active language writes it (115,500 in English, 115.500 in Vietnamese)."""
    return numberformat.format(
        round(value, decimals),
        get_format("DECIMAL_SEPARATOR"),
        decimal_pos=decimals,
        grouping=3,
        thousand_sep=get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def figures_line(year: int = 2023) -> str:
    """The published Hoa Lac figures, as the registry now computes them."""
    zone = Zone.objects.filter(code=HHTP).first()
    if zone is None:
        return ""
    f = selectors.zone_figures(zone=zone, year=year)
    rate = f["land_registration_rate"]
    return _(
        "%(zone)s, %(year)s: %(total)s projects (%(domestic)s domestic, %(foreign)s foreign-invested), "
        "registered capital %(capital)s bn VND, %(workers)s workers, revenue %(revenue)s bn VND, "
        "land registered %(rate)s"
    ) % {
        "zone": zone.name,
        "year": year,
        "total": f["projects"]["total"],
        "domestic": f["projects"]["domestic"],
        "foreign": f["projects"]["foreign"],
        "capital": _number(f["registered_capital_vnd"] / BN),
        "workers": _number(f["workers"]),
        "revenue": _number(f["revenue_vnd"] / BN),
        "rate": "-" if rate is None else f"{pct(rate)}%",
    }


def accounts_text(accounts, *, demo_mode: bool) -> str:
    if not demo_mode:
        return _("Demo mode is off (ZONEDESK_DEMO=false): the demo accounts cannot log in.")
    if not accounts:
        return _("No demo account in this database.")
    return (
        _("Demo accounts (the password of every one is “%(password)s”):") % {"password": DEMO_PASSWORD}
        + "\n"
        + format_accounts(accounts)
    )


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
