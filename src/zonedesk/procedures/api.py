"""API of the one-stop desk, with the pages' permission rules: the catalogue, the public lookup,
the figures and a result's check are everyone's; a dossier is its enterprise's and the board's.
Every step (`POST /dossiers/{code}/actions`) carries the `version` it read: a stale one is 409.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Form, Query, Router, Schema, Status
from ninja.errors import AuthenticationError
from ninja.security import django_auth

from zonedesk.core.errors import ServiceError
from zonedesk.core.schemas import ERRORS, ErrorOut, InputSchema, version_field
from zonedesk.procedures import figures, selectors, services
from zonedesk.procedures.models import Channel, Dossier, Procedure

router = Router(tags=["procedures"])


def _user(request):
    if not request.user.is_authenticated:
        raise AuthenticationError
    return request.user


# --- the catalogue ---------------------------------------------------------------------------------
class ProcedureOut(Schema):
    code: str
    name_vi: str
    name_en: str
    field: str
    result_kind: str
    registry_effect: str
    processing_time: int | None
    time_kind: str | None
    effective_from: dt.date | None


class PartOut(Schema):
    id: int
    order: int
    name_vi: str
    name_en: str
    required: bool
    file_types: list[str]


class StepOut(Schema):
    order: int
    kind: str
    unit: str
    time: int


class VersionOut(Schema):
    effective_from: dt.date
    processing_time: int
    time_kind: str
    legal_basis: str


class ProcedureDetailOut(ProcedureOut):
    legal_basis: str
    fee_vnd: int
    fee_note: str
    uncertain: bool
    form_fields: list[str]
    parts: list[PartOut]
    steps: list[StepOut]
    versions: list[VersionOut]


def _procedure_row(p: Procedure, v: Any) -> dict[str, Any]:
    return {
        "code": p.code,
        "name_vi": p.name_vi,
        "name_en": p.name_en,
        "field": p.field_vi,
        "result_kind": p.result_kind,
        "registry_effect": p.registry_effect,
        "processing_time": v.processing_time if v else None,
        "time_kind": v.time_kind if v else None,
        "effective_from": v.effective_from if v else None,
    }


class CatalogueQuery(Schema):
    q: str = Field("", max_length=200, description="words of the code, name or field, accents optional")


@router.get("/procedures", response=list[ProcedureOut], summary="The catalogue of procedures (public)")
def procedure_list(request, query: Query[CatalogueQuery]):
    return [_procedure_row(p, version) for p, version in selectors.catalogue_in_force(query.q)]


@router.get(
    "/procedures/{procedure_code}", response={200: ProcedureDetailOut, 404: ErrorOut}, summary="One procedure (public)"
)
def procedure_detail(request, procedure_code: str):
    procedure = get_object_or_404(Procedure, code=procedure_code, active=True)
    v = selectors.version_in_force(procedure)
    if v is None:
        raise Http404
    return {
        **_procedure_row(procedure, v),
        "legal_basis": v.legal_basis,
        "fee_vnd": v.fee_vnd,
        "fee_note": v.fee_note,
        "uncertain": v.uncertain,
        "form_fields": v.form_fields,
        "parts": [
            {
                "id": p.pk,
                "order": p.order,
                "name_vi": p.name_vi,
                "name_en": p.name_en,
                "required": p.required,
                "file_types": sorted(p.kinds),
            }
            for p in v.parts.all()
        ],
        "steps": [{"order": s.order, "kind": s.kind, "unit": s.unit.code, "time": s.time} for s in v.steps.all()],
        "versions": [
            {
                "effective_from": x.effective_from,
                "processing_time": x.processing_time,
                "time_kind": x.time_kind,
                "legal_basis": x.legal_basis,
            }
            for x in procedure.versions.order_by("effective_from")
        ],
    }


# --- dossiers ----------------------------------------------------------------------------------------
class DossierOut(Schema):
    code: str
    procedure: str
    status: str
    channel: str
    enterprise: str
    project: str | None
    filed_at: dt.datetime
    received_at: dt.datetime | None
    appointment_date: dt.date | None
    on_time: bool | None
    unit: str | None
    version: int


class DossierDetailOut(DossierOut):
    form: dict[str, Any]
    supplements: int
    apologies: int
    rating: int | None
    closing_reason: str
    result: str | None
    actions: list[str]
    steps: list[dict[str, Any]]
    events: list[dict[str, Any]]


def _row(d: Dossier) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "code": d.code,
        "procedure": d.procedure.code,
        "status": d.status,
        "channel": d.channel,
        "enterprise": d.enterprise.name,
        "project": d.project.code if d.project_id else None,
        "filed_at": d.filed_at,
        "received_at": d.received_at,
        "appointment_date": timezone.localdate(d.due_at) if d.due_at else None,
        "on_time": d.on_time,
        "unit": d.unit.code if d.unit_id else None,
        "version": d.version,
    }


def _detail(request, d: Dossier) -> dict[str, Any]:
    from zonedesk.procedures.workflow import DOSSIER

    result = getattr(d, "result", None)
    officer = request.user.role in {"board", "leader", "admin"}
    return {
        **_row(d),
        "form": d.form,
        "supplements": d.supplements,
        "apologies": d.apologies,
        "rating": d.rating,
        "closing_reason": d.closing_reason,
        "result": result.code if result else None,
        "actions": [t.action for t in DOSSIER.allowed(d, request.user)],
        "steps": [
            {
                "order": s.order,
                "kind": s.kind,
                "unit": s.unit.code,
                "holder": (s.holder.username if s.holder else None) if officer else None,
                "started_at": s.started_at,
                "due_at": s.due_at,
                "ended_at": s.ended_at,
                "on_time": s.on_time,
            }
            for s in d.steps.select_related("unit", "holder").order_by("started_at", "id")
        ],
        "events": [
            {"at": e.at, "action": e.action, "who": e.who, "status": e.to_status, "reason": e.reason}
            for e in selectors.dossier_timeline(d, request.user)
        ],
    }


def _dossier(request, code: str) -> Dossier:
    from zonedesk.core.permissions import get_restricted_or_404

    return get_restricted_or_404(
        Dossier.objects.select_related("procedure", "procedure_version", "enterprise", "project", "unit"),
        _user(request),
        code=code,
    )


class DossierIn(InputSchema):
    procedure: str = Field(..., max_length=30, description="the procedure's code")
    project: str | None = Field(None, max_length=20, description="the project's code, for a procedure about one")
    form: dict[str, Any] = Field(default_factory=dict, description="the fields the procedure's form asks")
    channel: Channel = Channel.ONLINE
    enterprise: str | None = Field(None, max_length=14, description="paper dossiers: the enterprise's tax code")


def _file(request, payload: DossierIn, files: dict[int, Any]) -> Status:
    from zonedesk.investment.models import Enterprise, Project

    user = _user(request)
    procedure = Procedure.objects.filter(code=payload.procedure, active=True).first()
    if procedure is None:
        raise ServiceError({"procedure": _("Unknown procedure.")})
    project = Project.objects.filter(code=payload.project).first() if payload.project else None
    if payload.project and project is None:
        raise ServiceError({"project": _("Choose one of your enterprise's projects.")})
    enterprise = Enterprise.objects.filter(tax_code=payload.enterprise).first() if payload.enterprise else None
    dossier = services.dossier_file(
        procedure=procedure,
        by=user,
        project=project,
        enterprise=enterprise,
        channel=payload.channel,
        form=payload.form,
        files=files,
    )
    return Status(201, _row(dossier))


@router.post("/dossiers", response={201: DossierOut, **ERRORS}, auth=django_auth, summary="File a dossier")
def dossier_file(request, payload: DossierIn):
    """For a procedure whose parts are all optional; with files, `POST /dossiers/with-files`."""
    return _file(request, payload, {})


class DossierFormIn(InputSchema):
    procedure: str = Field(..., max_length=30, description="the procedure's code")
    project: str | None = Field(None, max_length=20, description="the project's code, for a procedure about one")
    form: str = Field("{}", max_length=100_000, description="the form's fields, as a JSON object")
    channel: Channel = Channel.ONLINE
    enterprise: str | None = Field(None, max_length=14, description="paper dossiers: the enterprise's tax code")


@router.post(
    "/dossiers/with-files",
    response={201: DossierOut, **ERRORS},
    auth=django_auth,
    summary="File a dossier with its parts (multipart)",
)
def dossier_file_with_files(request, payload: Form[DossierFormIn]):
    """Multipart form data: the fields of `POST /dossiers` (`form` as a JSON text) and one file per
    part, named `part_<order>` (the part's order in `GET /procedures/{code}`). Every file is
    checked by its content against its part's types before anything is written."""
    import json

    try:
        form = json.loads(payload.form or "{}")
    except ValueError:
        form = None
    if not isinstance(form, dict):
        raise ServiceError({"form": _("Send the form's fields as a JSON object.")})
    procedure = Procedure.objects.filter(code=payload.procedure, active=True).first()
    if procedure is None:
        raise ServiceError({"procedure": _("Unknown procedure.")})
    from django.utils import timezone

    version = services.version_on(procedure, timezone.localdate())
    by_order = {p.order: p.pk for p in version.parts.all()}
    files: dict[int, Any] = {}
    for name, upload in request.FILES.items():
        order = name.removeprefix("part_")
        if not order.isdigit() or int(order) not in by_order:
            raise ServiceError({name: _("This procedure has no such part.")})
        files[by_order[int(order)]] = upload
    fields = payload.model_dump()
    fields["form"] = form
    return _file(request, DossierIn(**fields), files)


class DossierQuery(Schema):
    status: str = Field("", max_length=20)
    waiting_for_me: bool = Field(False, description="the dossiers at the steps of my units")


@router.get("/dossiers", response={200: list[DossierOut], 401: ErrorOut}, summary="Dossiers I may see")
def dossier_list(request, query: Query[DossierQuery]):
    user = _user(request)
    if query.waiting_for_me:  # a unit's queue: the same for every member of the same units, cached under the generation
        from django.utils.translation import get_language

        from zonedesk.core.jsoncache import cached_json
        from zonedesk.procedures.figures import PROCEDURE_FIGURES_GENERATION
        from zonedesk.procedures.models import UnitMember

        units = sorted(UnitMember.objects.filter(user=user).values_list("unit_id", flat=True))

        def build():
            rows = selectors.dossiers_for(user, status=query.status, unit_only=True)
            return [DossierOut(**_row(d)).model_dump(mode="json") for d in rows.select_related("project")[:500]], None

        return cached_json(
            request, PROCEDURE_FIGURES_GENERATION, f"unit-queue:{units}:{query.status}:{get_language()}", build
        )
    rows = selectors.dossiers_for(user, status=query.status, unit_only=query.waiting_for_me)
    return [_row(d) for d in rows.select_related("project")[:500]]


class LookupQuery(Schema):
    code: str = Field(..., max_length=40)


class LookupOut(Schema):
    code: str
    procedure: str
    status: str
    status_label: str
    filed_on: dt.date
    received_at: dt.datetime | None
    appointment_date: dt.date | None
    returned_at: dt.datetime | None
    on_time: bool | None
    late_now: bool


@router.get(
    "/dossiers/lookup", response={200: LookupOut, 404: ErrorOut}, summary="Look up a dossier by its code (public)"
)
def dossier_lookup(request, query: Query[LookupQuery]):
    """What anyone may read of a dossier: its status, appointment and timeliness; no names, no files."""
    from django.utils import timezone

    found = selectors.lookup(query.code)
    if found is None:
        raise Http404(_("No dossier has this code."))
    return {
        **found.__dict__,
        "appointment_date": timezone.localdate(found.appointment) if found.appointment else None,
    }


class FiguresQuery(Schema):
    zone: str | None = Field(None, max_length=20)
    year: int | None = Field(None, ge=2000, le=2100)


@router.get("/dossiers/figures", response=dict, summary="The one-stop desk's figures (public)")
def dossier_figures(request, query: Query[FiguresQuery]):
    from zonedesk.core.inputs import zone_or_404

    zone = zone_or_404(query.zone) if query.zone else None
    return figures.figures_response(request, zone=zone, year=query.year)  # rendered once, cached (core.jsoncache)


@router.get(
    "/dossiers/{dossier_code}", response={200: DossierDetailOut, 401: ErrorOut, 404: ErrorOut}, summary="One dossier"
)
def dossier_detail(request, dossier_code: str):
    return _detail(request, _dossier(request, dossier_code))


class ItemIn(Schema):
    part: int | None = Field(None, description="the part's order")
    field: str | None = Field(None, max_length=50)
    reason: str = Field("", max_length=2000)


class ActionIn(InputSchema):
    action: str = Field(
        ...,
        max_length=30,
        description="receive, pay, request_supplement, supplement, forward, send_back, sign, return_result, "
        "refuse, withdraw, stop, apologise, rate",
    )
    version: int = version_field("dossier")
    reason: str = Field("", max_length=5000)
    items: list[ItemIn] = Field(default_factory=list, description="request_supplement: everything missing")
    why_new_items: str = Field("", max_length=5000)
    form: dict[str, Any] = Field(default_factory=dict, description="supplement: the fields asked")
    new_date: dt.date | None = Field(None, description="apologise: the new appointment")
    rating: int | None = Field(None, description="rate: 1 to 5")
    comment: str = Field("", max_length=2000)


@router.post(
    "/dossiers/{dossier_code}/actions",
    response={200: DossierDetailOut, **ERRORS},
    auth=django_auth,
    summary="Take a step of a dossier",
)
def dossier_action(request, dossier_code: str, payload: ActionIn):
    dossier = _dossier(request, dossier_code)
    user = request.user
    if payload.action == "apologise":
        services.apologise(dossier, by=user, version=payload.version, reason=payload.reason, new_date=payload.new_date)
    elif payload.action == "rate":
        services.rate(dossier, by=user, version=payload.version, rating=payload.rating, comment=payload.comment)
    else:
        parts = {p.order: p.pk for p in dossier.procedure_version.parts.all()}
        items = [
            {"part": parts.get(i.part, -1) if i.part is not None else None, "field": i.field, "reason": i.reason}
            for i in payload.items
        ]
        services.act(
            dossier,
            payload.action,
            by=user,
            version=payload.version,
            reason=payload.reason,
            items=items,
            why_new_items=payload.why_new_items,
            form=payload.form,
        )
    return _detail(request, _dossier(request, dossier_code))


class VerifyOut(Schema):
    code: str
    known: bool
    kind: str | None
    decision_date: dt.date | None
    signed: bool
    intact: bool
    trusted: bool
    signer: str | None
    signed_at: dt.datetime | None
    demo: bool
    problem: str


@router.get(
    "/results/{result_code}/verify", response={200: VerifyOut, 404: ErrorOut}, summary="Check a result (public)"
)
def result_verify(request, result_code: str):
    """Whether the result of this number was signed by the board and is unchanged since."""
    return selectors.verification(result_code)


__all__ = ["router"]
