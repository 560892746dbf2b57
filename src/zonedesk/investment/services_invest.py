"""Writes of the investor's site's reference data, kept by the board's officers: the incentives
in force (with their dates), a park's profile, the offices investors reach. One transaction each;
a change carries the `version` its form read (a stale one: `ConflictError`, 409)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from zonedesk.core.errors import ConflictError, ServiceError, stale
from zonedesk.core.models import Zone
from zonedesk.core.permissions import has_capability
from zonedesk.investment.models import BoardContact, Incentive, ZoneProfile

M = TypeVar("M", bound=models.Model)


def _may_edit(by: Any) -> None:
    if not has_capability(by, "invest.edit"):
        raise PermissionDenied(_("Only the board's officers keep the investor's site."))


def _save(instance: M, *, version: int | None, values: Mapping[str, Any], changed: str) -> M:
    """Lock the record (a new one: none), refuse a stale form (`changed`: what it is told), set
    the fields, check them as the model does (its constraints too), raise the version and save.
    Two first writers of a profile at once: the second is told, as for a stale form."""
    new = instance.pk is None
    if not new:
        instance = type(instance).objects.select_for_update().get(pk=instance.pk)
        stale(instance, version, changed)
        instance.version += 1  # type: ignore[attr-defined]
    for name, value in values.items():
        setattr(instance, name, value)
    try:
        instance.full_clean(exclude=["version"])
    except ValidationError as exc:
        raise ServiceError(exc.message_dict) from exc
    if not new:
        instance.save()
        return instance
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:
        if isinstance(instance, ZoneProfile):  # one a zone: another officer wrote it meanwhile
            raise ConflictError(changed % {"theirs": "1", "yours": "0"}) from exc
        raise ServiceError({"__all__": _("It could not be saved: reload the page and try again.")}) from exc
    return instance


@transaction.atomic
def incentive_save(
    *, by: Any, incentive: Incentive | None = None, version: int | None = None, **values: Any
) -> Incentive:
    """Record an incentive or change one (a board officer). An incentive that no longer applies
    is ended by its "in force until" date, never deleted: the page shows the incentives of a past
    day as they were."""
    _may_edit(by)
    changed = _("The incentive was changed by someone else (version %(theirs)s, you had %(yours)s): reload it.")
    return _save(incentive or Incentive(), version=version, values=values, changed=changed)


@transaction.atomic
def profile_save(*, by: Any, zone: Zone, version: int | None = None, **values: Any) -> ZoneProfile:
    """Write a park's profile (its first one, or a change)."""
    _may_edit(by)
    errors = {
        name: _("A distance is 0 km or more.")
        for name in ("km_noi_bai", "km_hai_phong", "km_hanoi")
        if values.get(name) is not None and values[name] < 0
    }
    if errors:
        raise ServiceError(errors)
    profile = ZoneProfile.objects.filter(zone=zone).first() or ZoneProfile(zone=zone)
    changed = _("The park's profile was changed by someone else (version %(theirs)s, you had %(yours)s): reload it.")
    return _save(profile, version=version, values=values, changed=changed)


@transaction.atomic
def contact_save(
    *, by: Any, contact: BoardContact | None = None, version: int | None = None, **values: Any
) -> BoardContact:
    """Record an office investors reach, or change one."""
    _may_edit(by)
    changed = _("The office was changed by someone else (version %(theirs)s, you had %(yours)s): reload it.")
    return _save(contact or BoardContact(), version=version, values=values, changed=changed)


__all__ = ["contact_save", "incentive_save", "profile_save"]
