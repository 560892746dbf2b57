"""Planning decisions: the public list per zone, one decision with its revisions, its signed
document (a PDF, shown in the browser), and the board's form to record a new one.

Decisions are public legal acts: everyone sees them and their documents. The revisions made
under a decision are those the person may see (`PlanRevision.objects.restrict`): the public
does not see a revision before it comes into force.
"""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zonedesk.core.files import clean_name
from zonedesk.core.formviews import form_view
from zonedesk.core.inputs import zone_by_code
from zonedesk.core.models import Zone
from zonedesk.core.permissions import capability_required, has_capability
from zonedesk.core.views import read_version
from zonedesk.planning import selectors, services
from zonedesk.planning.forms_decisions import DecisionForm, DocumentForm
from zonedesk.planning.models import PlanningDecision
from zonedesk.planning.views import canonical


def document_name(decision: PlanningDecision) -> str:
    """The name a decision's document is shown and downloaded under: the sender's file name,
    cleaned, or one made from the decision's number ("899/QĐ-TTg" → "899-QĐ-TTg.pdf")."""
    return clean_name(decision.document_name or f"{decision.number.replace('/', '-')}.pdf")


def _mark(revisions, today, current_ids: set[int]) -> None:
    for r in revisions:
        r.not_yet = r.effective_date > today
        r.in_force = r.pk in current_ids


def _current_ids(zone: Zone) -> set[int]:
    return selectors.in_force_ids(Zone.objects.filter(pk=zone.pk))


@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    zones = list(Zone.objects.order_by("code"))
    code = request.GET.get("zone")
    if code:
        zone = zone_by_code(code)
        if zone is None:
            raise Http404
        if zone.code != code:
            return canonical(request, request.path, zone=zone.code)
    else:  # the first zone with a decision, else the first zone
        first = PlanningDecision.objects.order_by("zone__code").values_list("zone_id", flat=True).first()
        zone = next((z for z in zones if z.pk == first), zones[0] if zones else None)
    decisions = list(
        PlanningDecision.objects.filter(zone=zone).with_revisions(request.user).order_by("-date", "number")
    )
    if zone is not None:
        today, current = timezone.localdate(), _current_ids(zone)
        for d in decisions:
            _mark(d.shown_revisions, today, current)
    return render(
        request,
        "planning/decisions.html",
        {
            "zones": zones,
            "zone": zone,
            "decisions": decisions,
            "can_edit": has_capability(request.user, "planning.edit"),
        },
    )


def _detail(request: HttpRequest, pk: int, *, form: DocumentForm | None = None, status: int = 200) -> HttpResponse:
    decision = get_object_or_404(PlanningDecision.objects.with_revisions(request.user), pk=pk)
    _mark(decision.shown_revisions, timezone.localdate(), _current_ids(decision.zone))
    can_edit = has_capability(request.user, "planning.edit")
    return render(
        request,
        "planning/decision.html",
        {
            "decision": decision,
            "revisions": decision.shown_revisions,
            "document_name": document_name(decision) if decision.document else "",
            "document_form": (form or DocumentForm()) if can_edit else None,
        },
        status=status,
    )


@require_GET
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


@capability_required("planning.edit")
@require_POST
def decision_attach(request: HttpRequest, pk: int) -> HttpResponse:
    """The board adds the signed PDF of a decision, or replaces it."""
    decision = get_object_or_404(PlanningDecision, pk=pk)
    version = read_version(request, decision)  # another document attached since the page was read: 409
    return form_view(
        request,
        DocumentForm(request.POST, request.FILES),
        write=lambda cd: services.decision_attach_document(
            decision=decision, by=request.user, upload=cd["document"], version=version
        ),
        message=_("The signed document of decision %(number)s was saved.") % {"number": decision.number},
        success=reverse("plan_decision", args=[decision.pk]),
        # shown again as it is now (a document attached meanwhile among it), with its present version
        page=lambda form, status: _detail(request, pk, form=form, status=status),
        invalid_status=400,
    )


@require_GET
def decision_document(request: HttpRequest, pk: int) -> FileResponse:
    """The signed PDF, shown in the browser under its original (cleaned) name."""
    decision = get_object_or_404(PlanningDecision, pk=pk)
    if not decision.document:
        raise Http404
    try:
        handle = decision.document.storage.open(decision.document.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type="application/pdf", filename=document_name(decision))
    response["X-Content-Type-Options"] = "nosniff"
    return response


@capability_required("planning.edit")
@require_http_methods(["GET", "POST"])
def decision_new(request: HttpRequest) -> HttpResponse:
    initial = {}
    if code := request.GET.get("zone"):
        initial["zone"] = zone_by_code(code)
    return form_view(
        request,
        DecisionForm(request.POST or None, request.FILES or None, initial=initial),
        write=lambda d: services.decision_create(
            zone=d["zone"],
            by=request.user,
            number=d["number"],
            date=d["date"],
            authority=d["authority"],
            title=d["title"],
            document=d["document"] or None,
            authority_en=d["authority_en"],
            title_en=d["title_en"],
        ),
        message=lambda decision: _("Decision %(number)s was recorded.") % {"number": decision.number},
        success=lambda decision: reverse("plan_decision", args=[decision.pk]),
        page="planning/decision_new.html",
    )
