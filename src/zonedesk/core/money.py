"""Money in VND is an integer number of đồng: parse it strictly, present it."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, Inexact, localcontext
from typing import Any

from django.utils.translation import gettext as _

from zonedesk.core.numbers import Shown

# The one upper limit of an amount of đồng (every form, API field, import and service). The columns
# are 64-bit integers (BigIntegerField, up to 9.2 × 10¹⁸); 10¹⁶ đồng is about a year of Vietnam's
# GDP, far above any real project, report or compensation, and leaves room in that column for what
# is added up from such amounts: a capital moved by amendments, a zone's totals summed by the
# database (SQLite refuses a sum past 2⁶³ with an error; 10¹⁸ overflowed with ten amounts).
MAX_VND = 10**16
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


# --- amounts as people write them ---------------------------------------------------------------
# "1.500.000.000", "1500000000", "1,5 tỷ", "1.5 tỷ", "250 triệu", "2 tỷ 300 triệu", "750k": read on
# the server by `parse_amount` (the browser's static/zonedesk/amounts.js mirrors it to show the
# amount while it is typed; the server's reading is the one kept).

UNITS: dict[str, int] = {
    **dict.fromkeys(("tỷ", "tỉ", "ty", "ti", "billion", "billions", "bn"), 10**9),
    **dict.fromkeys(("triệu", "trieu", "tr", "million", "millions", "mn"), 10**6),
    **dict.fromkeys(("nghìn", "nghin", "ngàn", "ngan", "k", "thousand", "thousands"), 10**3),
    **dict.fromkeys(("đồng", "dong", "đ", "vnd", "vnđ", "₫"), 1),
}
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_SPACE_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?![\d.,]))", re.ASCII)  # "1 500 000": spaces between thousands
_PART = re.compile(r"(\d[\d.,]*)\s*([^\d\s.,]+)?\s*", re.ASCII)
_GROUPS = {sep: re.compile(rf"^\d{{1,3}}(?:{re.escape(sep)}\d{{3}})+$") for sep in ".,"}


class AmountError(ValueError):
    """Why a written amount was not read; `message` is for the person who wrote it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _unreadable(text: str) -> AmountError:
    return AmountError(
        _("“%(value)s” is not an amount we can read: write it as 1.500.000.000, 1,5 tỷ or 250 triệu.") % {"value": text}
    )


def _number(digits: str, unit: str, original: str) -> Decimal:
    """One number of a written amount; `unit` is its unit as written ("" for none or đồng)."""
    if digits[-1] in ".,":
        raise _unreadable(original)
    seps = {c for c in digits if c in ".,"}
    if not seps:
        return Decimal(digits)
    if len(seps) == 2:  # "1.234,5" or "1,234.5": the last separator is the decimal point
        point = digits[max(digits.rfind("."), digits.rfind(","))]
        group = "," if point == "." else "."
        whole, _sep, fraction = digits.rpartition(point)
        if point in whole or not _GROUPS[group].match(whole):
            raise _unreadable(original)
        return Decimal(whole.replace(group, "") + "." + fraction)
    sep = seps.pop()
    if digits.count(sep) > 1:  # "1.500.000": thousands
        if not _GROUPS[sep].match(digits):
            raise _unreadable(original)
        return Decimal(digits.replace(sep, ""))
    whole, _sep, fraction = digits.partition(sep)
    if len(fraction) == 3 and whole != "0":
        if not unit:  # whole đồng: "1.500" is one thousand five hundred
            return Decimal(whole + fraction)
        # "1.500 tỷ" is 1,5 tỷ to some and 1500 tỷ to others: never guessed
        raise AmountError(
            _(
                "“%(value)s” can be read two ways: write %(decimal)s %(unit)s or %(whole)s %(unit)s "
                "(without a separator)."
            )
            % {
                "value": original,
                "decimal": f"{whole},{fraction.rstrip('0') or '0'}",
                "whole": whole + fraction,
                "unit": unit,
            }
        )
    return Decimal(whole + "." + fraction)


def parse_amount(value: Any) -> int:
    """A whole number of đồng from an amount as people write it (`_parse_amount`), in exact
    decimal arithmetic: a reading that would need rounding (Decimal keeps 28 digits by default,
    so "1,0000000000000000000000000001 tỷ" was read as 1 tỷ) is refused."""
    with localcontext() as exact:
        exact.prec = 60
        exact.traps[Inexact] = True
        try:
            return _parse_amount(value)
        except Inexact:
            raise AmountError(_("“%(value)s” has too many digits.") % {"value": str(value)[:40]}) from None


def _parse_amount(value: Any) -> int:
    """A whole number of đồng from an amount as people write it, in Vietnamese or English:
    digits grouped by dots, commas or spaces ("1.500.000.000", "1,500,000,000", "1500000000"),
    or numbers with units ("1,5 tỷ", "1.5 billion", "250 triệu", "2 tỷ 300 triệu", "750k",
    "1,5 tỷ đồng"). Raises `AmountError` for blank, negative, unreadable or ambiguous input
    ("1.500 tỷ": a decimal or a thousand?) and for a fraction of a đồng."""
    if isinstance(value, bool):
        raise _unreadable(str(value))
    parts, last_unit = 0, None
    if isinstance(value, int):
        number = Decimal(value)
        original = str(value)
    else:
        original = _SPACES.sub(" ", unicodedata.normalize("NFC", str(value or ""))).strip()
        if not original:
            raise AmountError(_("Enter an amount in đồng."))
        text = original.lower()
        if text[0] in "-−–(" or text.startswith("âm "):
            raise AmountError(_("The amount cannot be negative."))
        text = _SPACE_GROUP.sub("", text.lstrip("+"))
        number = Decimal(0)
        pos = 0
        while pos < len(text):
            match = _PART.match(text, pos)
            if match is None:
                if parts and UNITS.get(text[pos:].strip()) == 1:  # "1,5 tỷ đồng"
                    break
                raise _unreadable(original)
            digits, unit = match.group(1), match.group(2) or ""
            size = UNITS.get(unit) if unit else None
            if unit and size is None:
                raise _unreadable(original)
            if size is None and (parts or match.end() < len(text)):
                if parts:  # a bare number after others: "2 tỷ 300" (300 of what?)
                    raise AmountError(
                        _("In “%(value)s”, write the unit of %(number)s (triệu, nghìn or đồng).")
                        % {"value": original, "number": digits}
                    )
                raise _unreadable(original)
            if last_unit is not None and size is not None and size >= last_unit:
                raise AmountError(_("Write the larger unit first, as in 2 tỷ 300 triệu."))
            number += _number(digits, unit if size and size > 1 else "", original) * (size or 1)
            last_unit = size
            pos = match.end()
            parts += 1
    if number < 0:
        raise AmountError(_("The amount cannot be negative."))
    if number != number.to_integral_value():
        if last_unit is not None and last_unit > 1 or parts > 1:  # "1,0000000005 tỷ"
            raise AmountError(_("“%(value)s” is not a whole number of đồng: use fewer decimals.") % {"value": original})
        raise AmountError(
            _("“%(value)s” has a fraction of a đồng: add its unit (1,5 tỷ; 2,5 triệu) or write every digit.")
            % {"value": original}
        )
    if number > MAX_VND:
        raise AmountError(_("The amount is too large."))
    return int(number)


def format_amount(amount: int | None) -> str:
    """An amount of đồng with its thousands grouped as the active language groups them (as people
    type it: "1.500.000.000" in Vietnamese, "1,500,000,000" in English, both read back by
    `parse_amount`); the value a form shows in an amount field."""
    return "" if amount is None else str(Shown(amount))
