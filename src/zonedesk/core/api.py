from __future__ import annotations

from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from zonedesk.core.models import Zone

router = Router(tags=["zones"])


class ZoneOut(Schema):
    code: str
    kind: str
    name_vi: str
    name_en: str
    province: str
    area_ha: Decimal
    leasable_area_ha: Decimal | None
    is_synthetic: bool


@router.get("/zones", response=list[ZoneOut], summary="All zones")
def zones(request):
    return Zone.objects.order_by("code")


@router.get("/zones/{code}", response=ZoneOut, summary="One zone")
def zone(request, code: str):
    return get_object_or_404(Zone, code=code)
