from decimal import Decimal

from django.middleware.csrf import get_token
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


class SessionOut(Schema):
    authenticated: bool
    username: str | None
    role: str | None
    enterprise_id: int | None
    agency_id: int | None


@router.get("/session", response=SessionOut, tags=["session"], summary="Who is logged in; sets the CSRF cookie")
def session(request):
    """Scripts using a browser session read the `csrftoken` cookie set here and send it as X-CSRFToken."""
    get_token(request)  # the CSRF middleware sets the cookie on the response
    user = request.user
    if not user.is_authenticated:
        return {"authenticated": False, "username": None, "role": None, "enterprise_id": None, "agency_id": None}
    return {
        "authenticated": True,
        "username": user.username,
        "role": user.role,
        "enterprise_id": user.enterprise_id,
        "agency_id": user.agency_id,
    }
