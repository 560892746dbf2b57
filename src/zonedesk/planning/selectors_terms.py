"""Reads of a plot's commercial terms: what the public sees (the terms the board published) and
what the board sees (all of them), by parcel code, one query for a page or an export."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from zonedesk.core.models import Zone
from zonedesk.core.numbers import num
from zonedesk.planning.models import ParcelTerms, PriceBasis


def terms_by_code(
    zone: Zone, codes: Iterable[str] | None = None, *, public_only: bool = True
) -> dict[str, ParcelTerms]:
    """The terms of a zone's parcels by code (of `codes` only, if given); the published ones only
    unless `public_only` is False (the board's pages)."""
    qs = ParcelTerms.objects.filter(zone=zone)
    if public_only:
        qs = qs.filter(public=True)
    if codes is not None:
        qs = qs.filter(parcel_code__in=list(codes))
    return {t.parcel_code: t for t in qs}


def terms_for(zone: Zone, code: str, *, public_only: bool = True) -> ParcelTerms | None:
    return terms_by_code(zone, [code], public_only=public_only).get(code)


def shown(t: ParcelTerms | None) -> dict[str, Any] | None:
    """The terms ready to show: numbers formatted for the reader's language, the USD price with
    how it is known (stated, or derived at the rate of a date)."""
    if t is None:
        return None
    usd = t.price_usd
    return {
        "terms": t,
        "public": t.public,
        "price_vnd": num(t.price_vnd_m2),
        "per_year": t.price_basis == PriceBasis.YEAR,
        "basis": PriceBasis(t.price_basis).label,
        "price_usd": num(usd[0], 2) if usd else None,
        "usd_derived": bool(usd and usd[1] == "derived"),
        "rate": num(t.usd_rate_vnd),
        "rate_date": t.rate_date,
        "term_years": t.term_years,
        "term_until": t.term_until,
        "handover_date": t.handover_date,
    }


def usd_value(t: ParcelTerms | None):
    usd = t.price_usd if t is not None else None
    return usd[0] if usd else None


def as_data(t: ParcelTerms) -> dict[str, Any]:
    """The terms as plain data (GeoJSON, the API): codes and numbers, dates in ISO."""
    usd = t.price_usd
    return {
        "price_vnd_m2": t.price_vnd_m2,
        "price_basis": t.price_basis,
        "price_usd_m2": float(usd[0]) if usd else None,
        "price_usd_derived": bool(usd and usd[1] == "derived"),
        "usd_rate_vnd": t.usd_rate_vnd,
        "rate_date": t.rate_date.isoformat() if t.rate_date else None,
        "term_years": t.term_years,
        "term_until": t.term_until.isoformat() if t.term_until else None,
        "handover_date": t.handover_date.isoformat() if t.handover_date else None,
    }
