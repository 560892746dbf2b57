"""What `zonedesk demo` and `zonedesk up` print after the build: the published Hoa Lac figures
as the registry now computes them, and the demo accounts."""

from __future__ import annotations

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.translation import gettext as _

from zonedesk.core.models import Zone
from zonedesk.core.numbers import pct
from zonedesk.investment import selectors
from zonedesk_demo.investment import BN, DEMO_PASSWORD, HHTP, format_accounts


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
