"""The fields a procedure's form may ask for: what each is, how it is checked, and which value of
the registry fills it in beforehand (the project being adjusted), so that nobody types twice what
the registry already holds. A procedure's version lists the keys its form asks (`form_fields`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.money import MAX_VND

TEXT, MONEY, NUMBER, DATE = "text", "money", "number", "date"


@dataclass(frozen=True)
class Field:
    key: str
    label: Any
    kind: str
    prefill: Callable[[Any], Any] | None = None  # from the project, when the dossier names one
    max_length: int = 2000
    required: bool = True  # else left out when empty (the service may still ask for it: `needed_usd`)


FIELDS: dict[str, Field] = {
    f.key: f
    for f in (
        Field("project_name", gettext_lazy("Name of the project"), TEXT, lambda p: p.name_vi, 255),
        Field(
            "registered_capital_vnd",
            gettext_lazy("Registered capital (VND)"),
            MONEY,
            lambda p: p.registered_capital_vnd,
        ),
        Field(
            "registered_capital_usd",
            gettext_lazy("Registered capital (USD)"),
            NUMBER,
            lambda p: p.registered_capital_usd,
            required=False,  # for foreign investors: the services ask for it then
        ),
        Field("sector", gettext_lazy("Sector"), "sector", lambda p: p.sector, 20),
        Field("objectives", gettext_lazy("Objectives and scale"), TEXT, lambda p: p.objectives),
        Field("term_years", gettext_lazy("Term (years)"), NUMBER, lambda p: p.term_years),
        Field("land_area_m2", gettext_lazy("Land area (m²)"), NUMBER, lambda p: p.land_area_m2),
        Field("schedule", gettext_lazy("Schedule (capital contribution, construction, operation)"), TEXT),
        Field("new_deadline", gettext_lazy("Schedule extended to"), DATE),
        Field("reason", gettext_lazy("Reason"), TEXT),
        Field("expert_name", gettext_lazy("Full name of the foreign expert"), TEXT, None, 255),
        Field("expert_nationality", gettext_lazy("Nationality"), TEXT, None, 100),
        Field("expert_position", gettext_lazy("Position"), TEXT, None, 255),
        Field("work_from", gettext_lazy("Working from"), DATE),
        Field("work_to", gettext_lazy("Working until"), DATE),
        Field("hitech_revenue_share", gettext_lazy("Share of revenue from hi-tech products (%)"), NUMBER),
        Field("rnd_spending_share", gettext_lazy("R&D spending as a share of revenue (%)"), NUMBER),
        Field("rnd_staff_share", gettext_lazy("R&D staff as a share of the workforce (%)"), NUMBER),
    )
}


def prefill(keys: Iterable[str], project: Any) -> dict[str, Any]:
    """The values the registry holds for the form's fields (the project's), as the form shows them."""
    values: dict[str, Any] = {}
    if project is None:
        return values
    for key in keys:
        f = FIELDS.get(key)
        if f is not None and f.prefill is not None:
            value = f.prefill(project)
            if value not in (None, ""):
                values[key] = value
    return values


def _whole(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().replace(".", "").replace(",", "").isdigit():
        return int(value.strip().replace(".", "").replace(",", ""))
    return None


def clean(keys: Iterable[str], data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The form's values checked: every field the procedure asks for is given and of its kind;
    fields it does not ask for are refused (nothing is kept unseen). Returns (values, errors)."""
    keys = list(keys)
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key in data:
        if key not in keys:
            errors[key] = _("This procedure does not ask for this field.")
    for key in keys:
        f = FIELDS[key]
        raw = data.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if f.required:
                errors[key] = _("Fill in “%(field)s”.") % {"field": f.label}
            continue
        if f.kind == TEXT:
            text = str(raw).strip()
            if "\x00" in text:
                errors[key] = _("The text contains a character that is not allowed.")
            elif len(text) > f.max_length:
                errors[key] = _("At most %(n)s characters.") % {"n": f.max_length}
            else:
                values[key] = text
        elif f.kind in {MONEY, NUMBER}:
            number = _whole(raw)
            if number is None or number < 0:
                errors[key] = (
                    _("Enter a whole number of đồng, without decimals.")
                    if f.kind == MONEY
                    else _("Enter a whole number.")
                )
            elif number > MAX_VND:
                errors[key] = _("The amount is too large.")
            else:
                values[key] = number
        elif f.kind == "sector":
            from zonedesk.investment.models import Sector

            if raw not in Sector.values:
                errors[key] = _("Choose one of the sectors.")
            else:
                values[key] = raw
        elif f.kind == DATE:
            try:
                values[key] = (raw if isinstance(raw, dt.date) else dt.date.fromisoformat(str(raw).strip())).isoformat()
            except ValueError:
                errors[key] = _("Enter a date as YYYY-MM-DD.")
    return values, errors


__all__ = ["FIELDS", "Field", "clean", "prefill"]
