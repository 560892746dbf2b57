import datetime as dt
from decimal import Decimal

from django.middleware.csrf import get_token
from ninja import Field, Query, Router, Schema

from zonedesk.core.calendar import working_days_after
from zonedesk.core.inputs import zone_or_404
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


class PingOut(Schema):
    ok: bool


@router.get("/ping", response=PingOut, summary="The API answers (no database)")
def ping(request):
    """Touches neither the database nor the cache itself (only the public limit counts the call,
    as for every public call), and goes through every middleware and the
    API's routing like the other endpoints: the benchmark's floor (bench/suite.py), against
    which the cost of each real endpoint is measured."""
    return {"ok": True}


@router.get("/zones", response=list[ZoneOut], summary="All zones")
def zones(request):
    return Zone.objects.order_by("code")


@router.get("/zones/{code}", response=ZoneOut, summary="One zone")
def zone(request, code: str):
    return zone_or_404(code)  # its code in any case (core.inputs)


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


class DueDateQuery(Schema):
    start: dt.date = Field(description="The day of receipt (it does not count)")
    working_days: int = Field(ge=0, le=3650)


class DueDateOut(Schema):
    due_date: dt.date


@router.get("/calendar/due-date", response=DueDateOut, tags=["calendar"], summary="Working days after a day")
def due_date(request, query: Query[DueDateQuery]):
    """The day on which N working days after `start` end, on the Vietnamese calendar: weekends,
    public holidays (Tết and the lunar ones) and the board's recorded swaps are not counted."""
    return {"due_date": working_days_after(query.start, query.working_days)}
