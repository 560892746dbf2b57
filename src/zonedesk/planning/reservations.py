"""Parcels reserved for someone the board is courting, until a date (`models.ParcelReservation`).

A reservation is refused when the parcel is taken: leased, under a project, not vacant in the plan
in force, or already held by another reservation. Two reservations of one parcel at once: the
partial unique constraint lets exactly one of them in; the other is refused with the same
message. An expired reservation is released here (`reservations_expire`, the periodic job), and
read as released before that (`selectors.reserved_now`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.errors import ServiceError
from zonedesk.core.models import Zone
from zonedesk.planning.models import Layer, Occupancy, ParcelReservation

TAKEN = gettext_lazy("This parcel is taken (leased, under a project or reserved already): choose another.")


def parcel_in_force(zone: Zone, code: str) -> Any:
    """The parcel of this code in the plan in force, or None."""
    from zonedesk.planning.selectors import current_features

    return current_features(Layer.PARCELS, zone=zone).filter(code=code).first()


def held(zone: Zone, code: str, *, on: dt.date | None = None) -> ParcelReservation | None:
    """The reservation that holds the parcel on `on` (today), if any."""
    day = on or timezone.localdate()
    return ParcelReservation.objects.filter(
        zone=zone, parcel_code=code, released_at__isnull=True, until__gte=day
    ).first()


def reserve(
    *, zone: Zone, parcel_code: str, until: dt.date, holder: str, by: Any, note: str = "", at: dt.datetime | None = None
) -> ParcelReservation:
    """Hold a vacant parcel of the plan in force for `holder` until a date (at least today)."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    if not isinstance(until, dt.date) or until < today:
        raise ServiceError({"until": _("The reservation ends today or later.")})
    if until > today + dt.timedelta(days=366):
        raise ServiceError({"until": _("A parcel is reserved for a year at most.")})
    parcel = parcel_in_force(zone, parcel_code)
    if parcel is None:
        raise ServiceError({"parcel": _("No parcel of this code in the plan in force.")})
    if parcel.occupancy != Occupancy.VACANT or parcel.project_id is not None:
        raise ServiceError({"parcel": str(TAKEN)})
    try:
        with transaction.atomic():
            # a reservation past its date no longer holds the parcel: released first, in this transaction
            ParcelReservation.objects.filter(
                zone=zone, parcel_code=parcel_code, released_at__isnull=True, until__lt=today
            ).update(released_at=at, release_reason="expired")
            reservation = ParcelReservation.objects.create(
                zone=zone,
                parcel_code=parcel_code,
                until=until,
                holder=holder,
                note=note[:500],
                reserved_at=at,
                reserved_by=by,
            )
            _shown_changed()
            return reservation
    except IntegrityError as exc:  # held by another reservation (also one written a moment ago)
        raise ServiceError({"parcel": str(TAKEN)}) from exc


@transaction.atomic
def release(reservation: ParcelReservation, *, reason: str = "released", at: dt.datetime | None = None) -> bool:
    """Let the parcel go; False when it was released already."""
    done = ParcelReservation.objects.filter(pk=reservation.pk, released_at__isnull=True).update(
        released_at=at or timezone.now(), release_reason=reason[:20]
    )
    if done:
        _shown_changed()
    return bool(done)


@transaction.atomic
def reservations_expire(*, now: dt.datetime | None = None) -> int:
    """Mark the reservations past their date released (the periodic job); how many."""
    now = now or timezone.now()
    done = ParcelReservation.objects.filter(released_at__isnull=True, until__lt=timezone.localdate(now)).update(
        released_at=now, release_reason="expired"
    )
    if done:
        _shown_changed()
    return done


def _shown_changed() -> None:
    """The occupancy the map, the finder and the OGC API show changed: their cached answers
    (kept under the plan's generation, and the day for what expires by itself) are stale."""
    from zonedesk.core.generations import generation_bump
    from zonedesk.planning.selectors import PLAN_GENERATION

    generation_bump(PLAN_GENERATION)


__all__ = ["TAKEN", "held", "parcel_in_force", "release", "reservations_expire", "reserve"]
