"""API of the plan's history: planning decisions (public legal acts, with their signed PDF),
the revisions of each layer and the comparison of two revisions.

The public sees every decision and the revisions in force or past; the board side also sees
revisions not yet in force (`PlanRevision.objects.restrict`). A comparison shows the private
parcel fields (lease price, internal note) only to those with `planning.view_private`. An
unknown zone code in a query is 404, as elsewhere in the API (any case is accepted, as on the
planning pages); in a form it is a 422 error on `zone`.
"""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from zonedesk.core.errors import ServiceError
from zonedesk.core.models import Zone
from zonedesk.core.pagination import Pages
from zonedesk.core.permissions import has_capability
from zonedesk.core.schemas import ERRORS, ErrorOut, refuse_unknown_form_fields
from zonedesk.planning import selectors, services
from zonedesk.planning.models import PlanningDecision, PlanRevision

router = Router(tags=["planning"])

LayerName = Literal["boundary", "areas", "parcels"]


def _zone(code: str) -> Zone | None:
    """The zone of a `zone` query parameter, its code in any case (as on the planning pages);
    404 for an unknown code, None when none is given."""
    if not code:
        return None
    zone = selectors.zone_by_code(code)
    if zone is None:
        raise Http404
    return zone


def _in_force(request) -> set[int]:
    """The ids of the revisions in force today, worked out once per request."""
    if not hasattr(request, "_plan_in_force"):
        request._plan_in_force = selectors.in_force_ids()
    return request._plan_in_force


# --- decisions ----------------------------------------------------------------------------


class RevisionRef(Schema):
    id: int
    layer: str
    number: int
    effective_date: dt.date


class DecisionOut(Schema):
    id: int
    zone: str = Field(alias="zone.code")
    number: str
    date: dt.date
    authority: str
    title: str
    document_url: str | None = Field(None, description="The signed decision (PDF); null when not attached")
    revisions: list[RevisionRef] = Field(
        alias="shown_revisions", description="Revisions of the plan made under it that the caller may see"
    )
    version: int = Field(description="Raised when its document is attached or replaced: send it with the next one")

    @staticmethod
    def resolve_document_url(obj: PlanningDecision, context: dict[str, Any]) -> str | None:
        if not obj.document:
            return None
        return context["request"].build_absolute_uri(reverse("plan_decision_document", args=[obj.pk]))


class DecisionQuery(Schema):
    zone: str = Field("", description="Zone code")


@router.get("/planning/decisions", response={200: list[DecisionOut], 404: ErrorOut}, summary="Planning decisions")
@paginate(Pages)
def decisions(request, query: Query[DecisionQuery]):
    """Every planning decision (they are public legal acts), newest first within each zone."""
    qs = PlanningDecision.objects.with_revisions(request.user)
    if zone := _zone(query.zone):
        qs = qs.filter(zone=zone)
    return qs.order_by("zone__code", "-date", "number", "pk")


@router.get(
    "/planning/decisions/{int:decision_id}", response={200: DecisionOut, 404: ErrorOut}, summary="One planning decision"
)
def decision(request, decision_id: int):
    return get_object_or_404(PlanningDecision.objects.with_revisions(request.user), pk=decision_id)


class DecisionIn(Schema):
    zone: str = Field(description="Zone code")
    number: str = Field(max_length=60, description="As written on the decision, e.g. 899/QĐ-TTg")
    date: dt.date
    authority: str = Field(max_length=255)
    title: str = Field("", max_length=500)


@router.post(
    "/planning/decisions",
    response={201: DecisionOut, **ERRORS},
    auth=django_auth,
    summary="Record a planning decision (multipart, with its signed PDF)",
)
def decision_add(request, payload: Form[DecisionIn], document: File[UploadedFile] = None):
    """Board officers and admins (`planning.edit`). The optional `document` must be a real PDF
    (checked by its content, its name ending in .pdf), at most 20 MB. Errors are 422 by field;
    nothing is written when one is found."""
    if not has_capability(request.user, "planning.edit"):
        raise PermissionDenied
    refuse_unknown_form_fields(request, [*DecisionIn.model_fields, "document"])  # an empty file input is a field
    zone = selectors.zone_by_code(payload.zone)
    if zone is None:
        raise ServiceError({"zone": _("Choose a zone from the list.")})
    created = services.decision_create(
        zone=zone,
        by=request.user,
        number=payload.number,
        date=payload.date,
        authority=payload.authority,
        title=payload.title,
        document=document,
    )
    return Status(201, PlanningDecision.objects.with_revisions(request.user).get(pk=created.pk))


@router.post(
    "/planning/decisions/{int:decision_id}/document",
    response={200: DecisionOut, **ERRORS},
    auth=django_auth,
    summary="Attach or replace the signed PDF of a planning decision (multipart)",
)
def decision_document(
    request,
    decision_id: int,
    document: File[UploadedFile],
    version: int = Form(
        ...,
        ge=1,
        description="The `version` of the decision you read (its GET answers it). Required; if the decision "
        "changed since (another document attached), the answer is 409 and nothing is written: read it again.",
    ),
):
    """Board officers and admins (`planning.edit`). The `document` must be a real PDF of at most
    20 MB; the previous one, if any, is removed once the new one is saved."""
    if not has_capability(request.user, "planning.edit"):
        raise PermissionDenied
    refuse_unknown_form_fields(request, ["version", "document"])
    decision = get_object_or_404(PlanningDecision, pk=decision_id)
    services.decision_attach_document(decision=decision, by=request.user, upload=document, version=version)
    return PlanningDecision.objects.with_revisions(request.user).get(pk=decision.pk)


# --- revisions ----------------------------------------------------------------------------


class DecisionRef(Schema):
    id: int
    number: str


class RevisionOut(Schema):
    id: int
    zone: str = Field(alias="zone.code")
    layer: str
    number: int
    effective_date: dt.date
    in_force: bool = Field(description="This is the revision of its layer in force today")
    not_yet_in_force: bool = Field(description="Its effective date is still to come (the board side only)")
    decision: DecisionRef | None
    feature_count: int
    source_format: str
    source_crs: str
    created_at: dt.datetime

    @staticmethod
    def resolve_in_force(obj: PlanRevision, context: dict[str, Any]) -> bool:
        return obj.pk in _in_force(context["request"])

    @staticmethod
    def resolve_not_yet_in_force(obj: PlanRevision) -> bool:
        return obj.effective_date > timezone.localdate()


def _revisions(user: Any):
    """The revisions this person may see."""
    return PlanRevision.objects.restrict(user).select_related("zone", "decision")


class RevisionQuery(Schema):
    zone: str = Field("", description="Zone code")
    layer: LayerName | None = None


@router.get("/planning/revisions", response={200: list[RevisionOut], 404: ErrorOut}, summary="Plan revisions")
@paginate(Pages)
def revisions(request, query: Query[RevisionQuery]):
    """The revisions the caller may see (the public: those in force or past), newest first."""
    qs = _revisions(request.user)
    if zone := _zone(query.zone):
        qs = qs.filter(zone=zone)
    if query.layer:
        qs = qs.filter(layer=query.layer)
    return qs.order_by("zone__code", "layer", "-number", "pk")


@router.get(
    "/planning/revisions/{int:revision_id}", response={200: RevisionOut, 404: ErrorOut}, summary="One plan revision"
)
def revision(request, revision_id: int):
    return get_object_or_404(_revisions(request.user), pk=revision_id)


class RevisionNumber(Schema):
    id: int
    number: int


class FieldChange(Schema):
    old: Any
    new: Any


class ChangedFeature(Schema):
    code: str
    fields: dict[str, FieldChange] = Field(
        description="Changed fields with their old and new values; `geometry` gives the areas in m²"
    )


class DiffOut(Schema):
    zone: str
    layer: str
    old: RevisionNumber
    new: RevisionNumber
    added: list[str] = Field(description="Codes of the features only in the newer revision")
    removed: list[str] = Field(description="Codes of the features only in the older revision")
    changed: list[ChangedFeature]


class DiffQuery(Schema):
    with_: int | None = Field(
        None, alias="with", description="The other revision (default: the previous one the caller may see)"
    )


@router.get(
    "/planning/revisions/{int:revision_id}/diff",
    response={200: DiffOut, 404: ErrorOut, 422: ErrorOut},
    summary="Compare two revisions of a layer",
)
def revision_diff(request, revision_id: int, query: Query[DiffQuery]):
    """From the older to the newer of the two, whatever the order given. Features are matched by
    code. Lease prices and internal notes only for the board side."""
    visible = PlanRevision.objects.restrict(request.user).select_related("zone")
    this = get_object_or_404(visible, pk=revision_id)
    same_layer = visible.filter(zone_id=this.zone_id, layer=this.layer)
    if query.with_ is not None:
        if query.with_ == this.pk:
            raise ServiceError({"with": _("Compare two different revisions.")})
        other = get_object_or_404(same_layer, pk=query.with_)
    else:
        other = same_layer.filter(number__lt=this.number).order_by("-number").first()
        if other is None:
            raise ServiceError(
                {"with": _("This is the first revision of its layer: say which one to compare it with.")}
            )
    old, new = (other, this) if other.number < this.number else (this, other)
    diff = selectors.public_diff(selectors.revision_diff(old, new), request.user)
    return {
        **diff,
        "old": {"id": old.pk, "number": old.number},
        "new": {"id": new.pk, "number": new.number},
    }
