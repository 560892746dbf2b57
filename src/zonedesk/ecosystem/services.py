"""Every write of the innovation ecosystem, each in one transaction: targets, measurements and
the registry of actors. Board officers and admins write (`ecosystem.edit`); `by=None` is the
system (the demo builder). Bad input raises `ServiceError` with per-field messages and writes
nothing. A measurement of an indicator counted from the registry is refused: its value comes
from the registry, never typed in twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.errors import ServiceError
from zonedesk.core.inputs import clean_text, raise_if
from zonedesk.core.models import Zone
from zonedesk.core.numbers import num
from zonedesk.core.permissions import has_capability
from zonedesk.ecosystem.models import Actor, ActorKind, FundKind, Indicator, Measurement, Target
from zonedesk.investment.models import Enterprise, Project

MAX_VALUE = Decimal("1e15")
FIRST_YEAR = 2000
MAX_TEXT = 300
MAX_VND = 10**16
MAX_PEOPLE = 1_000_000


def can_edit(user: Any) -> bool:
    return has_capability(user, "ecosystem.edit")


def _require_editor(by: Any) -> None:
    if by is not None and not can_edit(by):
        raise PermissionDenied(_("Only the management board keeps the ecosystem's figures and registry."))


def _year(value: Any, errors: dict[str, str]) -> int | None:
    last = timezone.localdate().year + 10
    if isinstance(value, bool) or not isinstance(value, int) or not FIRST_YEAR <= value <= last:
        errors["year"] = _("Enter a year from %(a)s to %(b)s.") % {"a": FIRST_YEAR, "b": last}
        return None
    return value


def _value(value: Any, field: str, errors: dict[str, str]) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError, TypeError):
        errors[field] = _("Enter a number.")
        return None
    if not number.is_finite() or not 0 <= number < MAX_VALUE:
        errors[field] = _("Enter a number from 0 to %(max)s.") % {"max": num(MAX_VALUE)}
        return None
    return number.quantize(Decimal("0.01"))


def _text(value: Any, field: str, errors: dict[str, str], *, required: bool, limit: int = MAX_TEXT) -> str:
    return clean_text(value, field, errors, required=required, limit=limit)


@transaction.atomic
def target_set(*, by: Any, indicator: Indicator, zone: Zone, year: int, value: Any, note: str = "") -> Target:
    """The target of an indicator for a zone and year (a new one replaces the old)."""
    _require_editor(by)
    errors: dict[str, str] = {}
    year = _year(year, errors)
    value = _value(value, "value", errors)
    note = _text(note, "note", errors, required=False)
    raise_if(errors)
    target, _created = Target.objects.update_or_create(
        indicator=indicator, zone=zone, year=year, defaults={"value": value, "note": note}
    )
    return target


@transaction.atomic
def measurement_record(*, by: Any, indicator: Indicator, zone: Zone, year: int, value: Any, source: str) -> Measurement:
    """A measured value of an indicator for a zone and year, with its source (a new one for the
    same year replaces the old)."""
    _require_editor(by)
    errors: dict[str, str] = {}
    if indicator.computed:
        errors["indicator"] = _(
            "“%(name)s” is counted from the registry of actors: change the registry, not the figure."
        ) % {"name": indicator.name}
    year = _year(year, errors)
    if year is not None and year > timezone.localdate().year:
        errors["year"] = _("A measurement cannot be of a year still to come.")
    value = _value(value, "value", errors)
    source = _text(source, "source", errors, required=True)
    raise_if(errors)
    measurement, _created = Measurement.objects.update_or_create(
        indicator=indicator,
        zone=zone,
        year=year,
        defaults={"value": value, "source": source, "recorded_by": by if getattr(by, "pk", None) else None},
    )
    return measurement


@transaction.atomic
def actor_create(
    *,
    by: Any,
    zone: Zone,
    kind: str,
    name_vi: str,
    name_en: str = "",
    enterprise: Enterprise | None = None,
    project: Project | None = None,
    foreign: bool = False,
    fund_kind: str = "",
    capital_committed_vnd: int | None = None,
    researchers: int | None = None,
    legal_basis: str = "",
    active_from: dt.date | None = None,
    active_until: dt.date | None = None,
    note: str = "",
    is_synthetic: bool = False,
) -> Actor:
    """An actor of the ecosystem. A fund says its kind; a sandbox pilot its legal basis and its
    start; an enterprise or project, when given, is of the same zone."""
    _require_editor(by)
    errors: dict[str, str] = {}
    name_vi = _text(name_vi, "name_vi", errors, required=True)
    name_en = _text(name_en, "name_en", errors, required=False)
    legal_basis = _text(legal_basis, "legal_basis", errors, required=False)
    note = _text(note, "note", errors, required=False, limit=5_000)
    if kind not in ActorKind.values:
        errors["kind"] = _("Choose a kind from the list.")
    if kind == ActorKind.FUND:
        if fund_kind not in FundKind.values:
            errors["fund_kind"] = _("Say whether the fund is public, private or venture capital.")
    elif fund_kind:
        errors["fund_kind"] = _("Only a fund has a kind of fund.")
    if kind == ActorKind.SANDBOX:
        if not legal_basis:
            errors["legal_basis"] = _("Give the legal basis of the sandbox pilot.")
        if active_from is None:
            errors["active_from"] = _("Give the day the pilot was approved to start.")
    for field, value, high in (
        ("capital_committed_vnd", capital_committed_vnd, MAX_VND),
        ("researchers", researchers, MAX_PEOPLE),
    ):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high):
            errors[field] = _("Enter a whole number from 0 to %(max)s.") % {"max": num(high)}
    for field, value in (("active_from", active_from), ("active_until", active_until)):
        if value is not None and (isinstance(value, dt.datetime) or not isinstance(value, dt.date)):
            errors[field] = _("Enter a date.")
    if "active_from" not in errors and "active_until" not in errors and active_from and active_until:
        if active_until < active_from:
            errors["active_until"] = _("The end cannot come before the start.")
    if enterprise is not None and enterprise.zone_id != zone.pk:
        errors["enterprise"] = _("The enterprise is not in this zone.")
    if project is not None and project.zone_id != zone.pk:
        errors["project"] = _("The project is not in this zone.")
    raise_if(errors)
    return Actor.objects.create(
        zone=zone,
        kind=kind,
        name_vi=name_vi,
        name_en=name_en,
        enterprise=enterprise or (project.enterprise if project is not None else None),
        project=project,
        foreign=bool(foreign),
        fund_kind=fund_kind,
        capital_committed_vnd=capital_committed_vnd,
        researchers=researchers,
        legal_basis=legal_basis,
        active_from=active_from,
        active_until=active_until,
        note=note,
        is_synthetic=is_synthetic,
    )


@transaction.atomic
def actor_end(*, by: Any, actor: Actor, on: dt.date) -> Actor:
    """An actor closes or a pilot ends: it stops counting after that day."""
    _require_editor(by)
    if actor.active_from and on < actor.active_from:
        raise ServiceError({"active_until": _("The end cannot come before the start.")})
    actor.active_until = on
    actor.save(update_fields=["active_until"])
    return actor
