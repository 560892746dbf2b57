"""API of the dialogue conferences: the public calendar (JSON and iCalendar), each conference
with its report, and the board's writes.

Everyone reads the conferences on the public calendar; the board side reads all. For each
tabled petition a reader sees its title and reference only if the petition's own permission
rule lets them open it; otherwise only its category, status and published summary.
Writes need a board officer's or an admin's session (with its CSRF token): 401 without a
session, 403 for other roles, 422 with field errors, 409 for a cancelled conference or a
stale `version`.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from zonedesk.core.errors import ServiceError
from zonedesk.core.inputs import tax_code_key, zone_or_404, zones_by_codes
from zonedesk.core.models import Agency
from zonedesk.core.pagination import Pages
from zonedesk.core.permissions import get_restricted_or_404
from zonedesk.core.schemas import ERRORS, ErrorOut, InputSchema, version_field
from zonedesk.dialogue import ical, selectors, services
from zonedesk.dialogue.models import Conference, ConferenceSeries, Tabling
from zonedesk.investment.models import Enterprise, Project
from zonedesk.petitions.models import Category, Petition, Priority

router = Router(tags=["conferences"])


# --- reading ------------------------------------------------------------------------------


class SeriesOut(Schema):
    id: int
    name: str
    name_vi: str
    name_en: str
    year: int
    planned_count: int


class ConferenceOut(Schema):
    id: int
    label: str = Field(description='Number in the series, "2/6"')
    series: SeriesOut
    sequence: int
    theme: str
    theme_vi: str
    theme_en: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    chair: str
    zones: list[str]
    status: str
    public: bool
    head_count: int | None
    tabled: int
    ics: str = Field(description="iCalendar of this conference")

    @staticmethod
    def resolve_zones(obj) -> list[str]:
        return [z.code for z in obj.zones.all()]

    @staticmethod
    def resolve_tabled(obj) -> int:
        count = getattr(obj, "tabled_count", None)
        return obj.tablings.count() if count is None else count

    @staticmethod
    def resolve_ics(obj) -> str:
        return reverse("api:conference_ics", args=[obj.pk])


class ReportRowOut(Schema):
    agency: str = Field(description='Lead agency code; "" for petitions not assigned yet')
    agency_name: str
    tabled: int
    answered_on_the_spot: int
    resolved_since: int
    still_open: int
    overdue: int
    other: int = Field(description="Rejected or merged into another petition")


class ReportOut(Schema):
    as_of: dt.datetime
    tabled: int
    answered_on_the_spot: int
    resolved_since: int = Field(description="Answered, published or closed now")
    still_open: int
    overdue: int = Field(description="Open, past the answer deadline, clock not paused")
    other: int
    by_agency: list[ReportRowOut]


class TablingOut(Schema):
    category: str
    status: str
    tabled_at: dt.datetime
    during_session: bool
    answered_on_the_spot: bool
    spot_agency: str | None
    published_summary: str | None = Field(description="Only once the answer is published")
    reference: str | None = Field(description="Only for those who may open the petition")
    title: str | None
    enterprise: str | None
    lead_agency: str | None
    answer_due_at: dt.datetime | None
    overdue: bool | None
    spot_answer: str | None
    spot_speaker: str | None
    version: int = Field(description="Of the tabling: send it with the next answer on the spot")


class EnterpriseRef(Schema):
    tax_code: str
    name: str


class ConferenceDetailOut(ConferenceOut):
    description: str
    cancel_reason: str
    enterprises: list[EnterpriseRef]
    version: int
    report: ReportOut
    tablings: list[TablingOut]

    @staticmethod
    def resolve_enterprises(obj) -> list[dict[str, str]]:
        return [{"tax_code": e.tax_code, "name": e.name} for e in obj.enterprises.all()]


def _conference(request, conference_id: int) -> Conference:
    return get_restricted_or_404(
        Conference.objects.select_related("series").prefetch_related("zones", "enterprises"),
        request.user,
        "view",
        pk=conference_id,
    )


def _detail(request, conference: Conference) -> Conference:
    now = timezone.now()
    tablings = selectors.conference_tablings(conference)
    conference.report = selectors.conference_report(conference, now, tablings=tablings)
    conference.tablings_out = selectors.tabling_rows(request.user, tablings, now)
    conference.tabled_count = len(tablings)
    return conference


class _DetailOut(ConferenceDetailOut):
    tablings: list[TablingOut] = Field(alias="tablings_out")


class ListQuery(Schema):
    when: str = Field("", pattern="^(|upcoming|past)$", description="upcoming, past, or empty for all")
    year: int | None = Field(None, ge=1990, le=2200, description="Year of the series")


@router.get("/conference-series", response=list[SeriesOut], summary="Conference series")
def series_list(request):
    return ConferenceSeries.objects.all()


@router.get("/conferences", response=list[ConferenceOut], summary="Dialogue conferences (the public calendar)")
@paginate(Pages)
def conference_list(request, query: Query[ListQuery]):
    return selectors.conference_list(user=request.user, when=query.when, year=query.year)


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/conferences.ics",
    response={200: None},
    url_name="conference_calendar",
    summary="The conference calendar as iCalendar",
    openapi_extra={"responses": {200: {"description": "iCalendar", "content": {"text/calendar": {}}}}},
)
def conference_calendar(request, query: Query[ListQuery]):
    conferences = selectors.conference_list(user=request.user, when=query.when, year=query.year)
    content = ical.calendar_bytes(
        conferences,
        name=_("ZoneDesk dialogue conferences"),
        url_of=lambda c: request.build_absolute_uri(reverse("conference_detail", args=[c.pk])),
    )
    return _ics_response(content, "conferences.ics")


@router.get(
    "/conferences/{int:conference_id}.ics",
    response={200: None, 404: ErrorOut},
    url_name="conference_ics",
    summary="One conference as iCalendar",
    openapi_extra={"responses": {200: {"description": "iCalendar", "content": {"text/calendar": {}}}}},
)
def conference_ics(request, conference_id: int):
    conference = _conference(request, conference_id)
    content = ical.calendar_bytes(
        [conference],
        name=conference.theme,
        url_of=lambda c: request.build_absolute_uri(reverse("conference_detail", args=[c.pk])),
    )
    return _ics_response(content, f"conference-{conference.pk}.ics")


@router.get(
    "/conferences/{int:conference_id}",
    response={200: _DetailOut, 404: ErrorOut},
    summary="One conference, its report and its tabled petitions",
)
def conference_detail(request, conference_id: int):
    return _detail(request, _conference(request, conference_id))


# --- writing (board officers and admins) --------------------------------------------------


def _editor(request) -> Any:
    if not services.can_edit(request.user):
        raise PermissionDenied
    return request.user


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    """A time sent without a zone is a time in Hanoi (the platform's zone)."""
    if value is not None and timezone.is_naive(value):
        return timezone.make_aware(value)
    return value


def _unknown(field: str, missing: list[str]) -> ServiceError:
    return ServiceError({field: _("Unknown: %(codes)s.") % {"codes": ", ".join(missing)}})


def _enterprises(codes: list[str]) -> list[Enterprise]:
    """The enterprises of these tax codes, as written ("0101234567-001" too: core.inputs)."""
    keys = {code: tax_code_key(code) for code in codes}
    found = {e.tax_code: e for e in Enterprise.objects.filter(tax_code__in=keys.values())}
    if missing := [c for c, key in keys.items() if key not in found]:
        raise _unknown("enterprises", missing)
    return [found[key] for key in keys.values()]


class ConferenceIn(InputSchema):
    series: int = Field(description="Series id (GET /conference-series)")
    sequence: int = Field(ge=1, le=100, description='Number in the series: the 2 of "2/6"')
    theme_vi: str = Field(max_length=300)
    theme_en: str = Field("", max_length=300)
    description: str = Field("", max_length=5000)
    description_en: str = Field("", max_length=5000, description="In English, for the English view")
    starts_at: dt.datetime = Field(description="A time without a zone is a time in Hanoi")
    ends_at: dt.datetime
    venue: str = Field(max_length=300)
    chair: str = Field(max_length=300, description="Name and title")
    zones: list[str] = Field(default_factory=list, description="Zone codes")
    enterprises: list[str] = Field(default_factory=list, description="Tax codes of the participating enterprises")
    public: bool = True


@router.post("/conferences", response={201: _DetailOut, **ERRORS}, auth=django_auth, summary="Plan a conference")
def conference_add(request, payload: ConferenceIn):
    by = _editor(request)
    series = ConferenceSeries.objects.filter(pk=payload.series).first()
    if series is None:
        raise ServiceError({"series": _("Unknown conference series.")})
    conference = services.conference_create(
        by=by,
        series=series,
        sequence=payload.sequence,
        theme_vi=payload.theme_vi,
        theme_en=payload.theme_en,
        description=payload.description,
        description_en=payload.description_en,
        starts_at=_aware(payload.starts_at),
        ends_at=_aware(payload.ends_at),
        venue=payload.venue,
        chair=payload.chair,
        zones=zones_by_codes(payload.zones),
        enterprises=_enterprises(payload.enterprises),
        public=payload.public,
    )
    return Status(201, _detail(request, _conference(request, conference.pk)))


class ConferenceChangeIn(InputSchema):
    """The fields to change; leave out those to keep (null is refused: it would change nothing)."""

    version: int = version_field("conference")
    theme_vi: str | None = Field(None, max_length=300)
    theme_en: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=5000)
    description_en: str | None = Field(None, max_length=5000, description="In English, for the English view")
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    venue: str | None = Field(None, max_length=300)
    chair: str | None = Field(None, max_length=300)
    zones: list[str] | None = None
    enterprises: list[str] | None = None
    public: bool | None = None


@router.patch(
    "/conferences/{int:conference_id}",
    response={200: _DetailOut, **ERRORS},
    auth=django_auth,
    summary="Change a conference (not once cancelled)",
)
def conference_change(request, conference_id: int, payload: ConferenceChangeIn):
    conference = _conference(request, conference_id)
    by = _editor(request)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "version"}
    nulls = sorted(k for k, v in changes.items() if v is None)
    if nulls:
        message = _("Leave the field out to keep its value: null changes nothing.")
        raise ServiceError({k: [message] for k in nulls})
    for key in ("starts_at", "ends_at"):
        if key in changes:
            changes[key] = _aware(changes[key])
    if "zones" in changes:
        changes["zones"] = zones_by_codes(changes["zones"])
    if "enterprises" in changes:
        changes["enterprises"] = _enterprises(changes["enterprises"])
    services.conference_update(conference=conference, by=by, version=payload.version, **changes)
    return _detail(request, _conference(request, conference_id))


class HeldIn(InputSchema):
    version: int = version_field("conference")
    head_count: int = Field(ge=1, le=services.MAX_HEAD_COUNT)
    enterprises: list[str] | None = Field(None, description="Tax codes; leave out to keep the planned list")


@router.post(
    "/conferences/{int:conference_id}/held",
    response={200: _DetailOut, **ERRORS},
    auth=django_auth,
    summary="Record that the conference was held: head count and participating enterprises",
)
def conference_held(request, conference_id: int, payload: HeldIn):
    conference = _conference(request, conference_id)
    by = _editor(request)
    enterprises = _enterprises(payload.enterprises) if payload.enterprises is not None else None
    services.conference_record_held(
        conference=conference, by=by, head_count=payload.head_count, enterprises=enterprises, version=payload.version
    )
    return _detail(request, _conference(request, conference_id))


class CancelIn(InputSchema):
    version: int = version_field("conference")
    reason: str = Field(max_length=5000)


@router.post(
    "/conferences/{int:conference_id}/cancel",
    response={200: _DetailOut, **ERRORS},
    auth=django_auth,
    summary="Cancel a planned conference",
)
def conference_cancel(request, conference_id: int, payload: CancelIn):
    conference = _conference(request, conference_id)
    by = _editor(request)
    services.conference_cancel(conference=conference, by=by, reason=payload.reason, version=payload.version)
    return _detail(request, _conference(request, conference_id))


class TablingIn(InputSchema):
    petition: str | None = Field(None, description="Reference of an existing petition, e.g. PAKN-2024-000123")
    during_session: bool = False
    tabled_at: dt.datetime | None = Field(None, description="Default: now")
    # a new petition raised for the conference
    enterprise: str | None = Field(None, description="New petition: tax code of the enterprise")
    zone: str | None = Field(None, description="New petition: zone code (default: the enterprise's)")
    title: str | None = Field(None, max_length=300)
    body: str | None = Field(None, max_length=20_000)
    category: Category | None = None
    priority: Priority | None = None
    project: str | None = Field(None, description="New petition: project code")
    procedure: str | None = Field(None, max_length=255)
    publish_allowed: bool | None = None
    petitioner_name: str | None = Field(None, max_length=200, description="New petition without an enterprise")
    petitioner_email: str | None = Field(None, max_length=254)
    petitioner_phone: str | None = Field(None, max_length=30)


PETITIONER_FIELDS = ("petitioner_name", "petitioner_email", "petitioner_phone")


class TablingCreatedOut(Schema):
    reference: str = Field(alias="petition.reference")
    status: str = Field(alias="petition.status")
    tabled_at: dt.datetime
    during_session: bool


def _new_petition_fields(payload: TablingIn) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if payload.enterprise:
        enterprise = Enterprise.objects.filter(tax_code=tax_code_key(payload.enterprise)).first()
        if enterprise is None:
            raise ServiceError({"enterprise": _("Unknown enterprise.")})
        fields["enterprise"] = enterprise
    if payload.zone:
        fields["zone"] = zone_or_404(payload.zone)
    if payload.project:
        project = Project.objects.filter(code=payload.project).first()
        if project is None:
            raise ServiceError({"project": _("Unknown project.")})
        fields["project"] = project
    for key in (
        "title",
        "body",
        "procedure",
        "publish_allowed",
        "petitioner_name",
        "petitioner_email",
        "petitioner_phone",
    ):
        value = getattr(payload, key)
        if value is not None:
            fields[key] = value
    for key in ("category", "priority"):
        value = getattr(payload, key)
        if value is not None:
            fields[key] = str(value.value)
    return fields


@router.post(
    "/conferences/{int:conference_id}/tablings",
    response={201: TablingCreatedOut, **ERRORS},
    auth=django_auth,
    summary="Table a petition for the conference (an existing one, or a new one raised for it)",
)
def conference_table(request, conference_id: int, payload: TablingIn):
    conference = _conference(request, conference_id)
    by = _editor(request)
    contact = sorted(f for f in PETITIONER_FIELDS if f in payload.model_fields_set and getattr(payload, f))
    if payload.enterprise and contact:  # an enterprise's petition has no petitioner of its own (as on the pages)
        message = _("A petition of an enterprise has no petitioner's contact: leave this field out.")
        raise ServiceError({field: [message] for field in contact})
    petition = None
    if payload.petition:
        petition = Petition.objects.filter(reference=payload.petition).first()
        if petition is None:
            raise ServiceError({"petition": _("Unknown petition.")})
    tabling = services.petition_table(
        conference=conference,
        by=by,
        petition=petition,
        during_session=payload.during_session,
        tabled_at=_aware(payload.tabled_at),
        **_new_petition_fields(payload),
    )
    return Status(201, tabling)


class SpotAnswerIn(InputSchema):
    version: int = version_field("tabled petition", "in `tablings` of the conference's GET")
    text: str = Field(max_length=20_000, description="The answer given at the session")
    agency: str = Field(description="Code of the agency that answered")
    speaker: str = Field("", max_length=300, description="Who answered: name and title")


@router.post(
    "/conferences/{int:conference_id}/tablings/{reference}/spot-answer",
    response={200: TablingOut, **ERRORS},
    auth=django_auth,
    summary="Record the answer given on the spot to a tabled petition",
)
def conference_spot_answer(request, conference_id: int, reference: str, payload: SpotAnswerIn):
    conference = _conference(request, conference_id)
    by = _editor(request)
    tabling = get_object_or_404(Tabling, conference=conference, petition__reference=reference)
    agency = Agency.objects.filter(code=payload.agency).first()
    if agency is None:
        raise ServiceError({"agency": _("Unknown agency “%(code)s”.") % {"code": payload.agency}})
    services.spot_answer_record(
        tabling=tabling, by=by, text=payload.text, agency=agency, speaker=payload.speaker, version=payload.version
    )
    tabling = Tabling.objects.select_related("petition__lead_agency", "petition__enterprise", "spot_answered_by").get(
        pk=tabling.pk
    )
    return selectors.tabling_rows(request.user, [tabling], timezone.now())[0]


__all__ = ["router"]
