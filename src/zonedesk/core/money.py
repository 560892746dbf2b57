"""Money in VND is an integer number of đồng; these helpers only present it."""

from __future__ import annotations

from django.utils.translation import gettext as _

BILLION = 1_000_000_000


def vnd_to_billion(amount: int | None, digits: int = 1) -> float | None:
    if amount is None:
        return None
    return round(amount / BILLION, digits)


def format_vnd_billion(amount: int | None) -> str:
    if amount is None:
        return "—"
    return _("%(amount)s billion VND") % {"amount": f"{amount / BILLION:,.1f}"}
