"""Checks of input shared by the services, the API and the imports: each puts a field-level
message in `errors` and returns the cleaned value (the caller raises `ServiceError(errors)` once
all are checked, or, in an import, tells the row's problems).

One reader and one set of limits for what every record is made of: text, whole numbers (counts,
amounts of đồng: `core.money.MAX_VND`), areas, Vietnamese tax codes and zone codes (in any case).
The wording of a check is its own (`Wording`): the same rule says the same thing on a page, in the
API and in a spreadsheet import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.vn import mst

from zonedesk.core.errors import ServiceError
from zonedesk.core.money import MAX_VND, AmountError, parse_amount, parse_whole
from zonedesk.core.numbers import num

if TYPE_CHECKING:
    from collections.abc import Iterable

    from zonedesk.core.models import Zone

__all__ = [
    "AMOUNT",
    "AREA",
    "COUNT",
    "MAX_COUNT",
    "MAX_LAND_AREA_M2",
    "MAX_VND",
    "Wording",
    "blank",
    "clean_area",
    "clean_tax_code",
    "clean_text",
    "clean_whole",
    "parse_decimal",
    "raise_if",
    "tax_code_key",
    "zone_among",
    "zone_by_code",
    "zone_code_among",
    "zone_or_404",
    "zones_by_codes",
    "zones_by_name",
]

MAX_COUNT = 10_000_000  # people (workers, researchers): far above any real enterprise, inside a 32-bit integer
# a project's land: 10¹⁰ m² is a million hectares, some hundred times the largest zone, and well
# inside its column (14 digits, 2 of them decimals: below 10¹²)
MAX_LAND_AREA_M2 = Decimal(10**10)


def blank(value: Any) -> bool:
    """None, "" or only spaces: nothing was given."""
    return value is None or (isinstance(value, str) and not value.strip())


def raise_if(errors: dict[str, str]) -> None:
    """Nothing written: every message at once."""
    if errors:
        raise ServiceError(errors)


# --- text -----------------------------------------------------------------------------------------


def clean_text(value: Any, field: str, errors: dict[str, str], *, required: bool | str | Promise, limit: int) -> str:
    """Text stripped of surrounding space; at most `limit` characters. `required` is True (the
    general message) or the message that asks for it ("Enter the project code.")."""
    if value is not None and not isinstance(value, str):
        errors[field] = _("Enter text.")
        return ""
    text = (value or "").strip()
    if required and not text:
        errors[field] = _("This field is required.") if required is True else str(required)
    elif len(text) > limit:
        errors[field] = _("The text is too long (at most %(n)s characters).") % {"n": limit}
    return text


# --- whole numbers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Wording:
    """What a check of a number says; a message may name the range with %(low)s, %(high)s
    (%(max)s is %(high)s) and quote what was given with %(value)s."""

    blank: Promise | str
    not_whole: Promise | str
    negative: Promise | str
    zero: Promise | str
    too_large: Promise | str


AMOUNT = Wording(  # an amount of đồng
    blank=_lazy("Enter an amount in đồng."),
    not_whole=_lazy("Enter a whole number of đồng, without decimals."),
    negative=_lazy("The amount cannot be negative."),
    zero=_lazy("The amount must be greater than zero."),
    too_large=_lazy("The amount is too large."),
)
COUNT = Wording(  # a number of people, of years
    blank=_lazy("Enter a whole number."),
    not_whole=_lazy("Enter a whole number."),
    negative=_lazy("The number cannot be negative."),
    zero=_lazy("The number must be greater than zero."),
    too_large=_lazy("The number is too large."),
)


def _say(message: Promise | str, low: Any, high: Any, value: Any = "") -> str:
    return str(message) % {"low": num(low), "high": num(high), "max": num(high), "value": value}


def clean_whole(
    value: Any,
    field: str,
    errors: dict[str, str],
    *,
    high: int,
    low: int = 0,
    wording: Wording = COUNT,
    required: bool = True,
) -> int | None:
    """A whole number from `low` to `high`: an int, an integral float, or digits grouped by
    thousands ("1.250.000"); never a guess ("1,5", "12.5"). None, with the message in `errors`,
    when it is not; None without a message when it is blank and not `required`."""
    if blank(value):
        if required:
            errors[field] = _say(wording.blank, low, high, value)
        return None
    number = parse_whole(value)
    if number is None:
        errors[field] = _say(wording.not_whole, low, high, value)
    elif number < low:
        errors[field] = _say(wording.zero if number == 0 and low > 0 else wording.negative, low, high, value)
    elif number > high:
        errors[field] = _say(wording.too_large, low, high, value)
    else:
        return number
    return None


def clean_amount(
    value: Any, field: str, errors: dict[str, str], *, positive: bool = False, required: bool = True
) -> int | None:
    """An amount of đồng (or of dollars): a whole number from 0 (1 when `positive`) to MAX_VND.
    Text is read as the pages' amount fields read it (`core.money.parse_amount`: "1.500.000.000",
    "1,5 tỷ", "250 triệu"), with their messages, so an amount is read and refused alike on a page,
    in the API and in an import."""
    if isinstance(value, str) and not blank(value) and parse_whole(value) is None:
        try:
            value = parse_amount(value)
        except AmountError as exc:
            errors[field] = exc.message
            return None
    elif isinstance(value, float | Decimal) and value == value and abs(value) != float("inf") and value != int(value):
        errors[field] = _(
            "“%(value)s” has a fraction of a đồng: add its unit (1,5 tỷ; 2,5 triệu) or write every digit."
        ) % {"value": value}
        return None
    return clean_whole(value, field, errors, low=1 if positive else 0, high=MAX_VND, wording=AMOUNT, required=required)


def clean_count(
    value: Any,
    field: str,
    errors: dict[str, str],
    *,
    high: int = MAX_COUNT,
    positive: bool = False,
    required: bool = True,
) -> int | None:
    """A number of people (or of years): a whole number from 0 (1 when `positive`) to `high`."""
    return clean_whole(value, field, errors, low=1 if positive else 0, high=high, wording=COUNT, required=required)


# --- decimals and areas ---------------------------------------------------------------------------

_DECIMAL = re.compile(r"[0-9]+(?:[.,][0-9]+)?|[.,][0-9]+", re.ASCII)


def parse_decimal(value: Any) -> Decimal | None:
    """A finite decimal number from a number or text ("1500", "1500.5", "1500,5" with a
    Vietnamese decimal comma, a leading minus); None for anything else (blank, "abc", NaN, True)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | Decimal):
        try:
            number = Decimal(str(value))
        except InvalidOperation:  # pragma: no cover - str() of a number is always read
            return None
        return number if number.is_finite() else None
    if not isinstance(value, str):
        return None
    text = value.strip().replace(" ", "").replace("\u00a0", "")
    sign = ""
    if text[:1] in "-−":
        sign, text = "-", text[1:]
    if not _DECIMAL.fullmatch(text):
        return None
    return Decimal(sign + text.replace(",", "."))


AREA = Wording(  # a land area in square metres
    blank=_lazy("Enter the land area in square metres."),
    not_whole=_lazy("Enter the land area in square metres."),
    negative=_lazy("The land area cannot be negative."),
    zero=_lazy("The land area cannot be negative."),
    too_large=_lazy("The land area is at most %(max)s m²."),
)


def clean_area(
    value: Any,
    field: str,
    errors: dict[str, str],
    *,
    high: Decimal = MAX_LAND_AREA_M2,
    wording: Wording = AREA,
    required: bool = False,
    places: int = 2,
) -> Decimal | None:
    """An area in square metres from 0 to `high`, rounded to `places` decimals (a blank one is 0
    unless `required`)."""
    if blank(value) and not required:
        return Decimal(0)
    number = parse_decimal(value)
    if number is None:
        errors[field] = _say(wording.not_whole, 0, high)
    elif number < 0:
        errors[field] = _say(wording.negative, 0, high)
    elif number > high:
        errors[field] = _say(wording.too_large, 0, high)
    else:
        return number.quantize(Decimal(1).scaleb(-places))
    return None


# --- tax codes ------------------------------------------------------------------------------------


def clean_tax_code(value: Any, field: str, errors: dict[str, str], *, required: bool = True) -> str:
    """A Vietnamese tax code (mã số thuế), 10 digits or 13 for a branch (with or without its
    dash), check digit verified; "" (and a message when `required`) when none is given."""
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            errors[field] = _("Enter the tax code.")
        return ""
    try:
        return mst.validate(text)
    except StdnumError:
        errors[field] = _("“%(value)s” is not a valid Vietnamese tax code.") % {"value": text}
        return ""


def tax_code_key(value: Any) -> str:
    """A tax code as it is stored (`clean_tax_code`: digits only), to look a written one up:
    "0101234567-001" and " 0101234567001 " name the same branch."""
    return mst.compact(str(value or ""))


# --- zones ----------------------------------------------------------------------------------------


def zone_by_code(code: Any) -> Zone | None:
    """The zone a code names, in any case ("hhtp" is HHTP), for every page, API and import: the
    zone with exactly that code, else the first (by code) whose code differs only in case."""
    from zonedesk.core.models import Zone

    code = str(code or "").strip()
    if not code:
        return None
    return Zone.objects.filter(code=code).first() or Zone.objects.filter(code__iexact=code).order_by("code").first()


def zone_code_among(codes: Iterable[str], code: Any) -> str | None:
    """The rule of `zone_by_code` over codes already read (a form's list of zones): exactly that
    code, else the first (in order) that differs only in case; None for a code none has."""
    code = str(code or "").strip()
    if not code:
        return None
    codes = sorted(codes)
    return next((c for c in codes if c == code), None) or next(
        (c for c in codes if c.casefold() == code.casefold()), None
    )


def zone_among(zones: Iterable[Zone], code: Any) -> Zone | None:
    """`zone_by_code` among zones already read (a page that lists them to choose from)."""
    by_code = {z.code: z for z in zones}
    found = zone_code_among(by_code, code)
    return by_code[found] if found is not None else None


def zones_by_codes(codes: Iterable[Any], field: str = "zones") -> list[Zone]:
    """The zones a list of codes names, in any case and in the order given (a conference's zones);
    a `ServiceError` on `field` naming every code no zone has."""
    from zonedesk.core.models import Zone

    codes = [str(c or "").strip() for c in codes]
    if not codes:
        return []
    zones = list(Zone.objects.all())
    found = {code: zone_among(zones, code) for code in codes}
    missing = [code for code, zone in found.items() if zone is None]
    if missing:
        raise ServiceError({field: _("Unknown: %(codes)s.") % {"codes": ", ".join(missing)}})
    return [zone for code in codes if (zone := found[code]) is not None]


def zone_or_404(code: Any) -> Zone:
    """`zone_by_code`, or 404 (Http404) for a code no zone has."""
    from django.http import Http404

    zone = zone_by_code(code)
    if zone is None:
        raise Http404(_("Unknown zone."))
    return zone


def zones_by_name() -> dict[str, int]:
    """Zone ids by code and by name (Vietnamese and English), folded (`core.text.fold`: any case,
    accents or not), for a file that names zones a row at a time: looked up once for the file. A
    code wins over a name."""
    from zonedesk.core.models import Zone
    from zonedesk.core.text import fold

    zones = list(Zone.objects.values_list("pk", "code", "name_vi", "name_en"))
    out: dict[str, int] = {}
    for pk, _code, name_vi, name_en in zones:
        out[fold(name_vi)] = out[fold(name_en)] = pk
    for pk, code, _vi, _en in zones:
        out[fold(code)] = pk
    out.pop("", None)
    return out
