"""Every write of the innovation ecosystem, each in one transaction: targets, measurements and
the registry of actors. Board officers and admins write (`ecosystem.edit`); `by=None` is the
system (the demo builder). Bad input raises `ServiceError` with per-field messages and writes
nothing. A measurement of an indicator counted from the registry is refused: its value comes
from the registry, never typed in twice.

A target or a measurement is one per indicator, zone and year: a new one replaces the old. Its
writer says which it replaces with `version` (0: none, as far as the writer knows), so that a
value set meanwhile, or one the writer has not seen, is never replaced unseen (`ConflictError`);
`version=None` is the system's own write (the demo).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from zonedesk.core.errors import ConflictError, ServiceError, stale
from zonedesk.core.inputs import MAX_VND, Wording, clean_text, clean_whole, parse_decimal, raise_if
from zonedesk.core.models import Zone
from zonedesk.core.numbers import num
from zonedesk.core.permissions import has_capability
from zonedesk.ecosystem.models import Actor, ActorKind, FundKind, Indicator, Measurement, Target
from zonedesk.investment.models import Enterprise, Project

MAX_VALUE = Decimal("1e15")
FIRST_YEAR = 2000
MAX_TEXT = 300
_RANGE = Wording(  # what the ecosystem pages say of a number
    blank=_lazy("Enter a whole number from 0 to %(max)s."),
    not_whole=_lazy("Enter a whole number from 0 to %(max)s."),
    negative=_lazy("Enter a whole number from 0 to %(max)s."),
    zero=_lazy("Enter a whole number from 0 to %(max)s."),
    too_large=_lazy("Enter a whole number from 0 to %(max)s."),
)
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
    number = parse_decimal(value)  # core.inputs: "62,5" and "62.5" alike, never "1e5"
    if number is None:
        errors[field] = _("Enter a number.")
        return None
    if not 0 <= number < MAX_VALUE:
        errors[field] = _("Enter a number from 0 to %(max)s.") % {"max": num(MAX_VALUE)}
        return None
    return number.quantize(Decimal("0.01"))


def _text(value: Any, field: str, errors: dict[str, str], *, required: bool, limit: int = MAX_TEXT) -> str:
    return clean_text(value, field, errors, required=required, limit=limit)


def _set_yearly(model: type, version: int | None, message: str, key: dict[str, Any], values: dict[str, Any]) -> Any:
    """Write the one row of `key` (an indicator, zone and year) from `version`, the one its writer
    read (0: none; versions start at 1): a row written meanwhile, or one the writer had not seen,
    is a conflict and stays as it is."""
    row = model.objects.select_for_update().filter(**key).first()
    if row is None:
        try:
            with transaction.atomic():
                return model.objects.create(**key, **values)
        except IntegrityError:  # written by another request since the look-up above
            row = model.objects.select_for_update().get(**key)
    if version is not None and row.version != version:
        shown = num(row.value, 0 if row.value == row.value.to_integral_value() else 2)
        raise ConflictError(message % {"value": shown, "year": row.year, "theirs": row.version})
    for field, value in values.items():
        setattr(row, field, value)
    row.version += 1
    row.save()
    return row


@transaction.atomic
def target_set(
    *,
    by: Any,
    indicator: Indicator,
    zone: Zone,
    year: int,
    value: Any,
    note: str = "",
    version: int | None = None,
) -> Target:
    """The target of an indicator for a zone and year: a new one replaces the old one its writer
    read (`version`; 0 when the writer knows of none)."""
    _require_editor(by)
    errors: dict[str, str] = {}
    year = _year(year, errors)
    value = _value(value, "value", errors)
    note = _text(note, "note", errors, required=False)
    raise_if(errors)
    message = _(
        "A target of %(value)s for %(year)s is already set (version %(theirs)s): check it, and send the form "
        "again to replace it."
    )
    return _set_yearly(
        Target, version, message, {"indicator": indicator, "zone": zone, "year": year}, {"value": value, "note": note}
    )


@transaction.atomic
def measurement_record(
    *,
    by: Any,
    indicator: Indicator,
    zone: Zone,
    year: int,
    value: Any,
    source: str,
    version: int | None = None,
) -> Measurement:
    """A measured value of an indicator for a zone and year, with its source (a new one for the
    same year replaces the old one its writer read: `version`, 0 when the writer knows of none)."""
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
    message = _(
        "A measurement of %(value)s for %(year)s is already recorded (version %(theirs)s): check it, and send "
        "the form again to replace it."
    )
    return _set_yearly(
        Measurement,
        version,
        message,
        {"indicator": indicator, "zone": zone, "year": year},
        {"value": value, "source": source, "recorded_by": by if getattr(by, "pk", None) else None},
    )


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
    capital_committed_vnd = clean_whole(
        capital_committed_vnd, "capital_committed_vnd", errors, high=MAX_VND, wording=_RANGE, required=False
    )
    researchers = clean_whole(researchers, "researchers", errors, high=MAX_PEOPLE, wording=_RANGE, required=False)
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
def actor_end(*, by: Any, actor: Actor, on: dt.date, version: int | None = None) -> Actor:
    """An actor closes or a pilot ends: it stops counting after that day. `version` is the one its
    writer read (another end recorded meanwhile: `ConflictError`)."""
    _require_editor(by)
    actor = Actor.objects.select_for_update().get(pk=actor.pk)
    stale(
        actor, version, _("The actor was changed by someone else (version %(theirs)s, you had %(yours)s): reload it.")
    )
    if actor.active_from and on < actor.active_from:
        raise ServiceError({"active_until": _("The end cannot come before the start.")})
    actor.active_until = on
    actor.version += 1
    actor.save(update_fields=["active_until", "version"])
    return actor
