"""Writes of a plot's commercial terms (`ParcelTerms`), kept by the board. One transaction each.

The terms are keyed by zone and parcel code: they are written for a parcel in force and stay with
its code through later revisions of the plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.errors import ConflictError, ServiceError, stale
from zonedesk.core.inputs import MAX_VND, clean_amount, clean_whole, parse_decimal
from zonedesk.core.models import Zone
from zonedesk.planning import selectors
from zonedesk.planning.models import Layer, ParcelTerms, PriceBasis
from zonedesk.planning.services import _may_plan

MAX_RATE = 1_000_000  # VND per USD: a sane ceiling (about 26 000 in 2026)
MAX_TERM_YEARS = 99
MAX_USD = Decimal("1000000000")


def _date(value: Any, field: str, errors: dict[str, str], *, past_only: bool = False) -> dt.date | None:
    if value is None or value == "":
        return None
    if not isinstance(value, dt.date):
        errors[field] = _("Enter a date as YYYY-MM-DD.")
        return None
    if past_only and value > timezone.localdate():
        errors[field] = _("The date cannot be in the future.")
        return None
    return value


@transaction.atomic
def parcel_terms_save(
    *,
    zone: Zone,
    code: str,
    by: Any,
    version: int | None = None,
    price_vnd_m2: Any = None,
    price_basis: str = PriceBasis.YEAR,
    price_usd_m2: Any = None,
    usd_rate_vnd: Any = None,
    rate_date: Any = None,
    term_years: Any = None,
    term_until: Any = None,
    handover_date: Any = None,
    public: bool = False,
) -> ParcelTerms:
    """Record (or change) the commercial terms of the parcel `code` in force in `zone`. Bad input
    is `ServiceError` by field; a change made on an older `version` is `ConflictError`."""
    _may_plan(by)
    if not selectors.current_features(Layer.PARCELS, zone=zone).filter(code=code).exists():
        raise ServiceError({"__all__": _("No parcel with this code is in force in this zone.")})
    errors: dict[str, str] = {}
    price = clean_amount(price_vnd_m2, "price_vnd_m2", errors, required=False)
    if price_basis not in PriceBasis.values:
        errors["price_basis"] = _("Choose whether the price is per year or for the whole term.")
    usd = None
    if price_usd_m2 not in (None, ""):
        usd = parse_decimal(price_usd_m2)  # "12.5" or "12,5"; never "1e3", "NaN" or "Infinity"
        if usd is None or usd < 0 or usd > MAX_USD:
            errors["price_usd_m2"] = _("Enter a price in USD from 0 to 1 000 000 000.")
            usd = None
        else:
            usd = usd.quantize(Decimal("0.01"))
    rate = clean_whole(usd_rate_vnd, "usd_rate_vnd", errors, low=1, high=MAX_RATE, required=False)
    day = _date(rate_date, "rate_date", errors, past_only=True)
    if rate is not None and day is None and "rate_date" not in errors:
        errors["rate_date"] = _("Give the date of the exchange rate.")
    years = clean_whole(term_years, "term_years", errors, low=1, high=MAX_TERM_YEARS, required=False)
    until = _date(term_until, "term_until", errors)
    handover = _date(handover_date, "handover_date", errors)
    if public and price is None and usd is None:
        errors["public"] = _("Give a price before publishing the terms.")
    if errors:
        raise ServiceError(errors)
    assert price is None or price <= MAX_VND
    terms = ParcelTerms.objects.select_for_update().filter(zone=zone, parcel_code=code).first()
    first = terms is None
    if terms is None:
        terms = ParcelTerms(zone=zone, parcel_code=code)
    else:
        stale(
            terms,
            version,
            _("The terms were changed by someone else (version %(theirs)s, you had %(yours)s): reload them."),
        )
        terms.version += 1
    terms.price_vnd_m2 = price
    terms.price_basis = price_basis
    terms.price_usd_m2 = usd
    terms.usd_rate_vnd = rate
    terms.rate_date = day if rate is not None else None
    terms.term_years = years
    terms.term_until = until
    terms.handover_date = handover
    terms.public = bool(public)
    terms.updated_by = by if getattr(by, "pk", None) else None
    if not first:
        terms.save()
        return terms
    try:  # two first writers at once: the second finds the first's row at its insert (no lock held it)
        with transaction.atomic():
            terms.save()
    except IntegrityError as exc:
        raise ConflictError(_("Someone else recorded the terms of this plot meanwhile: reload them.")) from exc
    return terms
