"""Country names for the investors' nationalities (ISO 3166 alpha-2), in the reader's language.
The countries investing in Vietnam's parks; any other code is shown as it is."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAMES = {
    "VN": _("Vietnam"),
    "JP": _("Japan"),
    "KR": _("South Korea"),
    "CN": _("China"),
    "TW": _("Taiwan"),
    "HK": _("Hong Kong"),
    "SG": _("Singapore"),
    "MY": _("Malaysia"),
    "TH": _("Thailand"),
    "IN": _("India"),
    "US": _("United States"),
    "CA": _("Canada"),
    "GB": _("United Kingdom"),
    "DE": _("Germany"),
    "FR": _("France"),
    "NL": _("Netherlands"),
    "IT": _("Italy"),
    "CH": _("Switzerland"),
    "SE": _("Sweden"),
    "FI": _("Finland"),
    "AU": _("Australia"),
    "IL": _("Israel"),
}


def country_name(code: str) -> str:
    return str(NAMES.get((code or "").upper(), code))
