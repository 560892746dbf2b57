"""Money in VND is an integer number of đồng: parse it strictly, present it."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

MAX_VND = 10**18  # far above any real amount, inside a 64-bit integer
_DIGITS = re.compile(r"-?[0-9]+")  # ASCII digits only ("²" and "٣" are digits to str.isdigit)
_GROUPED = re.compile(r"^-?\d{1,3}(?:([.,\u00a0 ])\d{3})(?:\1\d{3})*$")


def parse_whole(value: Any) -> int | None:
    """A whole number from an int, an integral float/Decimal, or digits grouped by thousands
    ("1.250.000" or "1,250,000"). None for anything else ("1,5", "1.5", "abc", True)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal):
        return int(value) if value == value and abs(value) != float("inf") and value == int(value) else None
    if isinstance(value, str):
        text = value.strip()
        if _GROUPED.match(text):
            text = re.sub(r"[.,\u00a0 ]", "", text)
        if _DIGITS.fullmatch(text):
            return int(text)
    return None


BILLION = 1_000_000_000


def vnd_to_billion(amount: int | None, digits: int = 1) -> float | None:
    if amount is None:
        return None
    return round(amount / BILLION, digits)


def format_vnd_billion(amount: int | None) -> str:
    if amount is None:
        return "—"
    return _("%(amount)s billion VND") % {"amount": f"{amount / BILLION:,.1f}"}
