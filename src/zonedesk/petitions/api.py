"""API of the petition channel, with the same permission rules as the pages.

Not allowed transitions and stale writes answer 409 with the reason; a write carries the
`version` it read so that a concurrent change is never silently overwritten (a write without it
is 422). A field the caller's role may not set (the public's `priority`, say) is refused with
422 naming it, never applied nor dropped in silence.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from zonedesk.core.answers import cached_answer
from zonedesk.core.apiauth import session_or_public
from zonedesk.core.errors import ServiceError
from zonedesk.core.inputs import MAX_COUNT, MAX_VND, zone_or_404
from zonedesk.core.jsoncache import cached_json
from zonedesk.core.models import Agency
from zonedesk.core.pagination import Pages
from zonedesk.core.permissions import actor_of, get_restricted_or_404
from zonedesk.core.rows import values_of, values_row
from zonedesk.core.rules import rule_value
from zonedesk.core.schemas import ERRORS as SHARED_ERRORS
from zonedesk.core.schemas import ErrorOut, InputSchema, refuse_unknown_form_fields, version_field
from zonedesk.core.throttle import client_address, throttle_hit
from zonedesk.investment.models import Project
from zonedesk.petitions import selectors, services
from zonedesk.petitions.models import Category, Petition, Priority, Source
from zonedesk.petitions.workflow import allowed_actions

router = Router(tags=["petitions"])


ERRORS = {**SHARED_ERRORS, 429: ErrorOut}


def _user(request):
    if not request.user.is_authenticated:
        raise AuthenticationError
    return request.user


# --- intake -------------------------------------------------------------------------------


class PetitionIn(InputSchema):
    zone: str = Field(description="Zone code")
    title: str = Field(max_length=300)
    body: str = Field(max_length=20_000)
    category: Category
    priority: Priority = Field(
        Priority.NORMAL,
        description="Enterprise users only (urgent: production stopped); the public may not send it (422): "
        "the board sets it at triage",
    )
    publish_allowed: bool = True
    project: str = Field("", description="Project code: enterprise users only (the public: 422)")
    procedure: str = Field("", max_length=255, description="Enterprise users only (the public: 422)")
    petitioner_name: str = Field("", max_length=200, description="The public only (an enterprise user: 422)")
    petitioner_email: str = Field("", max_length=254, description="The public only (an enterprise user: 422)")
    petitioner_phone: str = Field("", max_length=30, description="The public only (an enterprise user: 422)")
    consent_version: int | None = Field(
        None,
        description="The public only, required: the version of the privacy notice (GET /api/v1/privacy/notice) "
        "shown to the petitioner, who agreed to it explicitly. Without it, or if it is not the version in force, "
        "422 on this field and nothing is filed (an enterprise user: 422)",
    )


# The fields of a petition only one side may set: what the page of the other side does not offer.
ENTERPRISE_ONLY = ("priority", "project", "procedure")
PUBLIC_ONLY = ("petitioner_name", "petitioner_email", "petitioner_phone", "consent_version")


class CreatedOut(Schema):
    reference: str
    status: str
    received_at: dt.datetime
    acknowledge_due_at: dt.datetime | None
    answer_due_at: dt.datetime | None


@router.post("/petitions", response={201: CreatedOut, **ERRORS}, auth=session_or_public, summary="File a petition")
def petition_file(request, payload: PetitionIn):
    """An enterprise user files for its enterprise; the public (no login) gives a name and an
    e-mail or phone, and is limited to a few petitions an hour from one address. To send files
    with it, use `POST /petitions/with-files` (multipart)."""
    return _file(request, payload)


@router.post(
    "/petitions/with-files",
    response={201: CreatedOut, **ERRORS},
    auth=session_or_public,
    summary="File a petition with attachments (multipart)",
)
def petition_file_with_files(
    request,
    payload: Form[PetitionIn],
    attachments: File[list[UploadedFile]] = None,
    attachments_confidential: Form[bool] = True,
):
    """The same as `POST /petitions`, as multipart form data with up to 10 files in `attachments`
    (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS or UTF-8 text, checked by content). Every file is
    checked before anything is written: one refused file answers 422 on `attachments` and no
    petition is created. Confidential files (the default) are never shown to the public."""
    refuse_unknown_form_fields(request, [*PetitionIn.model_fields, "attachments", "attachments_confidential"])
    return _file(request, payload, attachments or [], attachments_confidential)


def _refuse_fields(sent, fields, message: str) -> None:
    """422 naming each field of `fields` the request set: a field not for the caller's role."""
    refused = {f: [message] for f in fields if f in sent}
    if refused:
        raise ServiceError(refused)


def _file(request, payload: PetitionIn, attachments=(), attachments_confidential: bool = True):
    actor = actor_of(request.user)
    if actor.role == "enterprise":
        _refuse_fields(
            payload.model_fields_set,
            PUBLIC_ONLY,
            _("Your enterprise's petition has its contact in your account: leave this field out."),
        )
    elif actor.is_public:
        _refuse_fields(
            payload.model_fields_set,
            ENTERPRISE_ONLY,
            _("Only an enterprise sets this field; the board sets the priority when it triages the petition."),
        )
    zone = zone_or_404(payload.zone)  # its code in any case (core.inputs)
    enterprise = project = None
    if actor.role == "enterprise":
        enterprise = request.user.enterprise
        if payload.project:
            project = get_restricted_or_404(Project.objects.all(), request.user, "report", code=payload.project)
        source = Source.PORTAL
    elif actor.is_public:
        limit, window = rule_value("petition.public_throttle")
        if not throttle_hit(scope="petition-public", ident=client_address(request), limit=limit, window_seconds=window):
            return Status(429, {"detail": _("Too many petitions from this address: try again later.")})
        source = Source.PUBLIC
    else:
        raise PermissionDenied(_("Officers record petitions through a conference or for an enterprise."))
    petition = services.petition_submit(
        zone=zone,
        title=payload.title,
        body=payload.body,
        category=payload.category,
        priority=payload.priority,
        source=source,
        by=request.user if request.user.is_authenticated else None,
        enterprise=enterprise,
        project=project,
        procedure=payload.procedure,
        publish_allowed=payload.publish_allowed,
        petitioner_name=payload.petitioner_name,
        petitioner_email=payload.petitioner_email,
        petitioner_phone=payload.petitioner_phone,
        attachments=attachments,
        attachments_confidential=attachments_confidential,
        consent_version=payload.consent_version,
    )
    return Status(201, petition)


# --- public accountability ----------------------------------------------------------------


class PublicAnswerOut(Schema):
    reference: str
    category: str
    zone: str = Field(alias="zone.code")
    lead_agency: str | None = Field(None, alias="lead_agency.code")
    summary: str = Field(alias="public_summary")
    answer: str | None
    received_at: dt.date
    published_at: dt.datetime | None
    state: str = Field(
        alias="public_state",
        description="resolved (closed), answered (the enterprise has not confirmed yet) or reopened "
        "(the enterprise reopened it: the published answer stays, the petition is handled again)",
    )

    @staticmethod
    def resolve_received_at(obj) -> dt.date:
        return timezone.localdate(obj.received_at)

    @staticmethod
    def resolve_answer(obj) -> str | None:
        """The answer the board published (a later answer waits for its own publication)."""
        return obj.published_answer.body if obj.published_answer_id else None


class PublicQuery(Schema):
    q: str = ""
    zone: str = ""
    category: str = ""


@router.get("/petitions/published", response=list[PublicAnswerOut], summary="Published answers (public)")
@paginate(Pages)
def published(request, query: Query[PublicQuery]):
    return selectors.published_answers(**query.dict())


class FiguresQuery(Schema):
    zone: str = ""
    year: int = Field(default_factory=lambda: dt.date.today().year, ge=1990, le=2200)
    agency: str = ""
    category: str = ""


@router.get("/petitions/figures", response=dict, summary="Accountability figures (public)")
def figures(request, query: Query[FiguresQuery]):
    def build():
        zone = zone_or_404(query.zone) if query.zone else None
        return selectors.petition_figures_until(
            zone=zone, year=query.year, agency=query.agency, category=query.category
        )

    key = f"petition-figures-json:{query.zone}:{query.year}:{query.agency}:{query.category}"
    return cached_json(request, selectors.PETITION_FIGURES_GENERATION, key, build)  # rendered once (core.jsoncache)


# --- suggestion at intake -----------------------------------------------------------------


class SuggestIn(InputSchema):
    title: str = Field(max_length=300)
    body: str = Field("", max_length=20_000)


class SimilarOut(Schema):
    reference: str
    score: float


class SuggestOut(Schema):
    category: str
    category_confidence: float
    agency: str
    agency_confidence: float
    similar: list[SimilarOut]


@router.post(
    "/petitions/suggest",
    response={200: SuggestOut, **ERRORS},
    auth=django_auth,
    summary="Suggest the category, the agency and similar petitions (board officers)",
)
def petition_suggest(request, payload: SuggestIn):
    """Learned from the petitions already routed; the officer accepts or overrides it."""
    if actor_of(request.user).role not in {"board", "admin"}:
        raise PermissionDenied
    from zonedesk.petitions import suggestions

    return suggestions.suggest(title=payload.title, body=payload.body)


# --- reading ------------------------------------------------------------------------------


class PetitionRow(Schema):
    reference: str
    title: str
    category: str
    priority: str
    status: str
    zone: str = Field(alias="zone.code")
    lead_agency: str | None = Field(None, alias="lead_agency.code")
    received_at: dt.datetime
    answer_due_at: dt.datetime | None
    paused: bool
    escalation_level: int
    version: int

    @staticmethod
    def resolve_paused(obj) -> bool:
        return obj.paused_at is not None


# the rows of petition lists: the same fields, read as plain values (core.rows)
PetitionListRow = values_row(
    PetitionRow, "PetitionListRow", derived={"paused": (("paused_at",), lambda at: at is not None)}
)
ROW_VALUES = values_of(PetitionListRow)


class PetitionQuery(Schema):
    """The queue page's filters (`selectors.PetitionFilters`), the same in both."""

    q: str = ""
    status: str = Field("", description='A status, "open" for any open one, empty for all')
    category: str = ""
    zone: str = ""
    agency: str = Field("", description="Lead agency code")
    overdue: bool = False
    due_soon: bool = Field(False, description="Open, not yet overdue, answer due within 7 days")
    reopened: bool = Field(False, description="Reopened by the enterprise at least once")
    escalated: int = Field(0, ge=0, le=3, description="At least this escalation step (1 agency head, 2 board, 3 city)")
    answer: Literal["", "waiting", "returned"] = Field(
        "", description="waiting: the lead agency's answer awaits the board's approval; returned: sent back for changes"
    )


@router.get("/petitions", response={200: list[PetitionListRow], 401: ErrorOut}, summary="Petitions I may see")
@cached_answer(selectors.PETITION_FIGURES_GENERATION)  # every write of a petition bumps it (core.answers)
@paginate(Pages, values=ROW_VALUES)
def petition_list(request, query: Query[PetitionQuery]):
    user = _user(request)
    rows = selectors.petition_list(user=user, filters=selectors.PetitionFilters(**query.dict()))
    return rows  # a page is read as ROW_VALUES: not the texts, no model objects


class EventOut(Schema):
    """A step of the timeline as the reader may see it (`selectors.TimelineEvent`, as on the page)."""

    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    reason: str = Field(description="Empty for the board's internal notes when the reader is the enterprise")
    actor: str | None = Field(None, description="The person who acted; for the enterprise, its own people only")
    agency: str | None = Field(None, alias="agency.code")


class AnswerOut(Schema):
    id: int
    agency: str = Field(alias="agency.code")
    is_contribution: bool
    state: str
    body: str
    review_note: str
    updated_at: dt.datetime


class PetitionOut(PetitionRow):
    body: str
    source: str
    enterprise: str | None = Field(None, alias="enterprise.name")
    project: str | None = Field(None, alias="project.code")
    publish_allowed: bool
    coordinating_agencies: list[str]
    procedure: str
    parcel_code: str
    impact_production_stopped: bool
    impact_workers: int | None
    impact_investment_vnd: int | None
    public_summary: str
    merged_into: str | None = Field(None, alias="merged_into.reference")
    acknowledge_due_at: dt.datetime | None
    transfer_due_at: dt.datetime | None
    extended: bool
    answered_at: dt.datetime | None
    published_at: dt.datetime | None
    closed_at: dt.datetime | None
    satisfied: bool | None
    allowed_actions: list[str]
    events: list[EventOut]
    answers: list[AnswerOut]
    policy_action: dict | None = Field(None, description="The policy change this difficulty is grouped under")
    confidential_note: str | None = Field(None, description="Board and assigned agencies only")
    petitioner: dict | None = Field(None, description="Contact of a public petitioner: board only")


def _detail(request, petition: Petition) -> Petition:
    """The petition as the caller may see it: `selectors.petition_view_for`, the read model of
    the petition page too (the same answers, timeline, private fields for each role)."""
    view = selectors.petition_view_for(request.user, petition)
    petition.coordinating_agencies_codes = [a.code for a in view.coordinating]
    petition.answer_list = view.answers
    petition.allowed = [t.action for t in allowed_actions(petition, request.user)]
    petition.event_list = view.events
    petition.merged_into = view.merged_into
    pa = petition.policy_action
    petition.policy_action_info = (
        {"id": pa.pk, "title": pa.title, "state": pa.state, "progress": pa.progress} if pa is not None else None
    )
    petition.confidential_note = view.confidential_note
    petition.petitioner = view.petitioner
    return petition


class _DetailOut(PetitionOut):
    policy_action: dict | None = Field(None, alias="policy_action_info")
    coordinating_agencies: list[str] = Field(alias="coordinating_agencies_codes")
    allowed_actions: list[str] = Field(alias="allowed")
    events: list[EventOut] = Field(alias="event_list")
    answers: list[AnswerOut] = Field(alias="answer_list")


@router.get("/petitions/{reference}", response={200: _DetailOut, 401: ErrorOut, 404: ErrorOut}, summary="One petition")
def petition_detail(request, reference: str):
    user = _user(request)
    petition = get_restricted_or_404(
        Petition.objects.select_related("zone", "lead_agency", "enterprise", "project", "merged_into"),
        user,
        reference=reference,
    )
    return _detail(request, petition)


# --- acting -------------------------------------------------------------------------------


class ActionIn(InputSchema):
    action: str = Field(description="triage, reject, merge, assign, start, transfer, answer, publish, close, reopen")
    version: int = version_field("petition")
    reason: str = ""
    lead_agency: str | None = Field(None, description="assign: agency code")
    coordinating_agencies: list[str] = Field(default_factory=list, description="assign: agency codes")
    into: str | None = Field(None, description="merge: reference of the petition it duplicates")
    public_summary: str | None = Field(
        None,
        description="publish: the summary the public reads, written by the board (required unless the petition "
        "has one; never taken from the title: without it, 422)",
    )
    category: Category | None = None
    priority: Priority | None = None
    project: str | None = Field(None, description="triage: project code")
    parcel_code: str | None = Field(None, max_length=50)
    procedure: str | None = Field(None, max_length=255)
    impact_production_stopped: bool | None = None
    impact_workers: int | None = Field(None, ge=0, le=MAX_COUNT)
    impact_investment_vnd: int | None = Field(None, ge=0, le=MAX_VND)
    confidential_note: str | None = Field(None, max_length=20_000)


# The fields of each action beyond action, version and reason; any other one is refused (422).
ACTION_FIELDS: dict[str, frozenset[str]] = {
    "assign": frozenset({"lead_agency", "coordinating_agencies"}),
    "merge": frozenset({"into"}),
    "publish": frozenset({"public_summary"}),
    "triage": frozenset(
        {
            "category",
            "priority",
            "project",
            "parcel_code",
            "procedure",
            "impact_production_stopped",
            "impact_workers",
            "impact_investment_vnd",
            "confidential_note",
        }
    ),
}


def _params(request, payload: ActionIn) -> dict:
    extra = payload.model_fields_set - {"action", "version", "reason"} - ACTION_FIELDS.get(payload.action, frozenset())
    if extra:
        message = _("Not a field of the action “%(action)s”: leave it out.") % {"action": payload.action}
        raise ServiceError({field: [message] for field in sorted(extra)})
    params: dict = {}
    if payload.action == "assign":
        if payload.lead_agency:
            params["lead_agency"] = _agency(payload.lead_agency, "lead_agency")
        params["coordinating_agencies"] = [_agency(c, "coordinating_agencies") for c in payload.coordinating_agencies]
    elif payload.action == "merge":
        params["into"] = (
            get_restricted_or_404(Petition.objects.all(), request.user, reference=payload.into)
            if payload.into
            else None
        )
    elif payload.action == "publish":
        params["public_summary"] = payload.public_summary
    elif payload.action == "triage":
        for field in (
            "category",
            "priority",
            "parcel_code",
            "procedure",
            "impact_production_stopped",
            "impact_workers",
            "impact_investment_vnd",
            "confidential_note",
        ):
            value = getattr(payload, field)
            if value is not None:
                params[field] = str(value) if field in {"category", "priority"} else value
        if payload.project:
            params["project"] = get_object_or_404(Project, code=payload.project)
    return params


def _agency(code: str, field: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ServiceError({field: _("Unknown agency “%(code)s”.") % {"code": code}})
    return agency


@router.post(
    "/petitions/{reference}/actions",
    response={200: _DetailOut, **ERRORS},
    auth=django_auth,
    summary="Move a petition along its lifecycle",
)
def petition_action(request, reference: str, payload: ActionIn):
    petition = get_restricted_or_404(Petition.objects.all(), request.user, reference=reference)
    petition = services.petition_act(
        petition=petition,
        action=payload.action,
        by=request.user,
        version=payload.version,
        reason=payload.reason,
        **_params(request, payload),
    )
    return _detail(request, Petition.objects.get(pk=petition.pk))


class AnswerIn(InputSchema):
    body: str = Field(max_length=20_000)
    submit: bool = Field(False, description="Send to the board for approval")
    version: int = version_field("petition")


@router.post(
    "/petitions/{reference}/answers",
    response={201: AnswerOut, **ERRORS},
    auth=django_auth,
    summary="Write the answer (lead agency) or a contribution (coordinating agency)",
)
def petition_answer(request, reference: str, payload: AnswerIn):
    petition = get_restricted_or_404(Petition.objects.all(), request.user, reference=reference)
    return Status(
        201,
        services.answer_write(
            petition=petition, by=request.user, body=payload.body, submit=payload.submit, version=payload.version
        ),
    )


class RatingIn(InputSchema):
    satisfied: bool
    comment: str = Field("", max_length=2000)
    version: int = version_field("petition")


@router.post(
    "/petitions/{reference}/rating",
    response={200: _DetailOut, **ERRORS},
    auth=django_auth,
    summary="The enterprise rates the answer",
)
def petition_rating(request, reference: str, payload: RatingIn):
    petition = get_restricted_or_404(Petition.objects.all(), request.user, reference=reference)
    services.petition_rate(
        petition=petition,
        by=request.user,
        satisfied=payload.satisfied,
        comment=payload.comment,
        version=payload.version,
    )
    return _detail(request, Petition.objects.get(pk=petition.pk))


class ClockIn(InputSchema):
    version: int = version_field("petition")
    reason: str = ""
    days: int | None = Field(None, ge=1, le=30, description="extend only: working days")


@router.post(
    "/petitions/{reference}/clock/{operation}",
    response={200: _DetailOut, **ERRORS},
    auth=django_auth,
    summary="Pause (waiting for information), resume, or extend the deadline once",
)
def petition_clock(request, reference: str, operation: str, payload: ClockIn):
    petition = get_restricted_or_404(Petition.objects.all(), request.user, reference=reference)
    if operation != "extend" and "days" in payload.model_fields_set:
        raise ServiceError({"days": [_("Only an extension has a number of days: leave it out.")]})
    if operation == "pause":
        services.petition_request_info(
            petition=petition, by=request.user, reason=payload.reason, version=payload.version
        )
    elif operation == "resume":
        services.petition_info_supplied(
            petition=petition, by=request.user, note=payload.reason, version=payload.version
        )
    elif operation == "extend":
        services.petition_extend(
            petition=petition, by=request.user, reason=payload.reason, days=payload.days, version=payload.version
        )
    else:
        raise ServiceError({"operation": _("The operation is pause, resume or extend.")})
    return _detail(request, Petition.objects.get(pk=petition.pk))


# --- policy actions -----------------------------------------------------------------------


class PolicyActionIn(InputSchema):
    title: str = Field(max_length=255)
    owner: str = Field(description="Agency code")
    description: str = ""
    due_date: dt.date | None = None


class PolicyActionOut(Schema):
    id: int
    title: str
    owner: str = Field(alias="owner.code")
    state: str
    progress: int
    due_date: dt.date | None
    version: int
    petitions: list[str] = Field(description="Grouped petitions that you may see")

    @staticmethod
    def resolve_petitions(obj, context) -> list[str]:
        user = context["request"].user
        return list(Petition.objects.restrict(user).filter(policy_action=obj).values_list("reference", flat=True))


class PolicyActionPatch(InputSchema):
    version: int = version_field("policy action")
    state: str | None = Field(None, description="Leave out to keep it")
    progress: int | None = Field(None, ge=0, le=100, description="Leave out to keep it")
    petitions: list[str] = Field(default_factory=list, description="References to group under it")


@router.get("/policy-actions", response={200: list[PolicyActionOut], 401: ErrorOut}, summary="Policy actions")
def policy_actions(request):
    _user(request)
    from zonedesk.petitions.models import PolicyAction

    return PolicyAction.objects.select_related("owner").prefetch_related("petitions")


@router.post(
    "/policy-actions",
    response={201: PolicyActionOut, **ERRORS},
    auth=django_auth,
    summary="Start a policy action (board)",
)
def policy_action_add(request, payload: PolicyActionIn):
    action = services.policy_action_create(
        title=payload.title,
        owner=_agency(payload.owner, "owner"),
        by=request.user,
        description=payload.description,
        due_date=payload.due_date,
    )
    return Status(201, action)


@router.post(
    "/policy-actions/{int:action_id}",
    response={200: PolicyActionOut, **ERRORS},
    auth=django_auth,
    summary="Update a policy action's progress, group petitions under it (board)",
)
def policy_action_change(request, action_id: int, payload: PolicyActionPatch):
    from zonedesk.petitions.models import PolicyAction

    action = get_object_or_404(PolicyAction, pk=action_id)
    _refuse_fields(
        {f for f in payload.model_fields_set if getattr(payload, f) is None},
        ("state", "progress"),
        _("Leave the field out to keep its value: null changes nothing."),
    )
    found = list(Petition.objects.restrict(request.user).filter(reference__in=payload.petitions))
    if len(found) != len(set(payload.petitions)):
        raise ServiceError({"petitions": _("Unknown petition reference.")})
    return services.policy_action_update(
        action=action,
        by=request.user,
        state=payload.state,
        progress=payload.progress,
        petitions=found,
        version=payload.version,
    )


# --- the inbox ----------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    petition: str | None = Field(None, alias="petition.reference")
    created_at: dt.datetime
    read_at: dt.datetime | None


class InboxQuery(Schema):
    unread: bool = False


@router.get("/inbox", response={200: list[NotificationOut], 401: ErrorOut}, summary="My notifications")
@paginate(Pages)
def inbox(request, query: Query[InboxQuery]):
    user = _user(request)
    qs = selectors.inbox(user=user)
    return qs.filter(read_at__isnull=True) if query.unread else qs


@router.post(
    "/inbox/{int:notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    auth=django_auth,
    summary="Mark a notification read",
)
def inbox_read(request, notification_id: int):
    notification = get_object_or_404(selectors.inbox(user=request.user), pk=notification_id)
    return services.notification_read(notification=notification)
