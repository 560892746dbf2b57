"""Numbers as the pages (and messages) show them, in the active language: thousands grouped,
money in billion VND, rates in per cent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import numberformat
from django.utils.formats import get_format

BILLION = Decimal(10**9)


class Shown:
    """A number as the pages show it: the active language's separators, thousands grouped
    (115.500,5 in Vietnamese, 115,500.5 in English); `.value` keeps the number itself.

    `decimals=None` means one decimal, left out when it is zero. Django's own localisation
    cannot do this for Vietnamese: its `vi` formats set no NUMBER_GROUPING, so `{{ n }}`,
    `floatformat:"g"` and `intcomma` all print 115500,5.
    """

    __slots__ = ("decimals", "value")

    def __init__(self, value: int | float | Decimal, decimals: int | None = 0):
        self.value = value
        self.decimals = decimals

    def __str__(self) -> str:
        number = Decimal(str(self.value)) if isinstance(self.value, float) else Decimal(self.value)
        decimals = self.decimals
        if decimals is None:  # one decimal, or none for a whole number
            number = number.quantize(Decimal("0.1"), ROUND_HALF_UP)
            decimals = 0 if number == number.to_integral_value() else 1
        number = number.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
        return numberformat.format(
            number,
            get_format("DECIMAL_SEPARATOR"),
            decimals,
            3,
            get_format("THOUSAND_SEPARATOR"),
            force_grouping=True,
        )

    def __html__(self) -> str:  # digits and separators only: safe as it is
        return str(self)

    def __repr__(self) -> str:
        return f"Shown({self.value!r})"


def whole(text: str | None, *, max_digits: int = 18) -> int | None:
    """A whole number written in ASCII digits (an id, a version, a number in a cookie or a query),
    or None. `str.isdigit` alone also takes "²" or "٣", which `int` then refuses (a 500)."""
    text = text or ""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= max_digits else None


def num(value: int | float | Decimal | None, decimals: int | None = 0) -> Shown | None:
    return None if value is None else Shown(value, decimals)


def bn_value(amount: int | None) -> Decimal | None:
    """An amount of đồng in billion VND (for charts)."""
    return None if amount is None else (Decimal(amount) / BILLION).quantize(Decimal("0.1"), ROUND_HALF_UP)


def bn(amount: int | None) -> Shown | None:
    """An amount of đồng shown in billion VND, one decimal when there is one."""
    return num(bn_value(amount), None)


def pct(rate: float | None) -> Shown | None:
    """A rate 0..1 shown in per cent, one decimal; `.value` is the per cent number."""
    return None if rate is None else Shown((Decimal(str(rate)) * 100).quantize(Decimal("0.1")), 1)
