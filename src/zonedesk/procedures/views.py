"""The one-stop desk's pages: the public catalogue, lookup, figures and the check of a result; an
enterprise's dossiers and the filing of one; a dossier's page with the steps its reader may take;
a unit's queue. Thin: the reads are `selectors`, the writes `services`."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.cases.attachments import open_file
from zonedesk.core.errors import TransitionError
from zonedesk.core.formviews import bind, form_view, save
from zonedesk.core.permissions import get_restricted_or_404
from zonedesk.procedures import forms as pforms
from zonedesk.procedures import selectors, services
from zonedesk.procedures.models import CLOSED_STATUSES, Dossier, Procedure, Status, UnitMember
from zonedesk.procedures.workflow import DOSSIER

PAGE_SIZE = 50


def procedure_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    return render(request, "procedures/procedure_list.html", {"procedures": selectors.catalogue(q), "q": q})


def procedure_detail(request: HttpRequest, procedure_code: str) -> HttpResponse:
    procedure = get_object_or_404(Procedure, code=procedure_code, active=True)
    version = selectors.version_in_force(procedure)
    if version is None:
        raise Http404
    later = procedure.versions.filter(effective_from__gt=version.effective_from).order_by("effective_from")
    return render(
        request,
        "procedures/procedure_detail.html",
        {
            "procedure": procedure,
            "version": version,
            "later": later,
            "may_file": request.user.is_authenticated and (request.user.role == "enterprise" or _is_desk(request.user)),
            "earlier": procedure.versions.exclude(pk=version.pk).filter(effective_from__lt=version.effective_from),
        },
    )


def procedure_template(request: HttpRequest, procedure_code: str, part_id: int) -> HttpResponse:
    """The template of a part, to prepare the dossier (public)."""
    from zonedesk.procedures.models import DossierPart

    part = get_object_or_404(DossierPart, pk=part_id, version__procedure__code=procedure_code)
    if not part.template:
        raise Http404
    try:
        handle = part.template.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    name = part.template.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


def dossier_lookup(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip()[:40]
    found = selectors.lookup(code) if code else None
    return render(request, "procedures/lookup.html", {"code": code, "found": found, "asked": bool(code)})


def _dossier(request: HttpRequest, code: str) -> Dossier:
    return get_restricted_or_404(
        Dossier.objects.select_related("procedure", "procedure_version", "enterprise", "project", "unit"),
        request.user,
        code=code,
    )


def _forms(dossier: Dossier, user: Any, data: Any = None, files: Any = None, op: str = "") -> dict[str, Any]:
    """The forms of the steps this person may take now (the one sent, bound)."""
    made: dict[str, Any] = {}
    initial = {"version": dossier.version}
    for t in DOSSIER.allowed(dossier, user):
        bound = (data, files) if t.action == op else (None, None)
        if t.action == "request_supplement":
            made[t.action] = pforms.SupplementRequestForm(
                *bound, initial=initial, version_=dossier.procedure_version, prefix=t.action
            )
        elif t.action == "supplement":
            request_ = dossier.supplement_requests.filter(answered_at__isnull=True).order_by("-number").first()
            if request_ is not None:
                made[t.action] = pforms.SupplementForm(*bound, initial=initial, request_=request_, prefix=t.action)
        else:
            made[t.action] = pforms.StepForm(*bound, initial=initial, needs_reason=t.needs_reason, prefix=t.action)
    if DOSSIER.may_attempt(dossier, "apologise", user) and dossier.status in {"received", "processing", "processed"}:
        made["apologise"] = pforms.ApologyForm(
            *((data, files) if op == "apologise" else (None, None)), initial=initial, prefix="apologise"
        )
    if DOSSIER.may_attempt(dossier, "rate", user) and dossier.status == Status.RETURNED:
        made["rate"] = pforms.RatingForm(
            *((data, files) if op == "rate" else (None, None)),
            initial={**initial, "rating": dossier.rating},
            prefix="rate",
        )
    return made


def _page(
    request: HttpRequest, dossier: Dossier, forms: dict[str, Any] | None = None, status: int = 200, problem: str = ""
) -> HttpResponse:
    labels = {a: t.label for a, t in DOSSIER.table.items()}
    labels.update({"apologise": _("Apologise, with a new appointment"), "rate": _("Rate the handling")})
    forms = forms if forms is not None else _forms(dossier, request.user)
    context = {
        "dossier": dossier,
        "events": selectors.dossier_timeline(dossier, request.user),
        "slip": dossier.steps.select_related("unit", "holder").order_by("started_at", "id"),
        "files": dossier.files.filter(current=True).select_related("part"),
        "requests": dossier.supplement_requests.prefetch_related("items__part"),
        "apologies": dossier.apology_letters.all(),
        "result": getattr(dossier, "result", None),
        "officer": request.user.role in {"board", "leader", "admin"},
        "form_values": selectors.form_values(dossier),
        "forms": [
            (op, labels.get(op, op), f, DOSSIER.table[op].needs_reason if op in DOSSIER.table else False)
            for op, f in forms.items()
        ],
        "problem": problem,
        "is_owner": request.user.role == "enterprise",
    }
    return render(request, "procedures/dossier_detail.html", context, status=status)


def dossier_detail(request: HttpRequest, dossier_code: str) -> HttpResponse:
    return _page(request, _dossier(request, dossier_code))


DONE = {
    "receive": _("The dossier was received: the receipt gives its appointment."),
    "request_supplement": _("The supplement request was sent to the enterprise."),
    "supplement": _("Your supplement was sent: the processing goes on."),
    "forward": _("The dossier was sent to the next step."),
    "sign": _("The result was signed."),
    "return_result": _("The result was returned to the enterprise."),
    "apologise": _("The apology was sent to the enterprise with the new appointment."),
    "rate": _("Thank you: your rating was recorded."),
}


@require_POST
def dossier_do(request: HttpRequest, dossier_code: str, op: str) -> HttpResponse:
    """Take one step of a dossier from its page (the forms of `_forms`)."""
    dossier = _dossier(request, dossier_code)
    if op not in DOSSIER.table and op not in DOSSIER.other_writes:
        raise Http404
    if not DOSSIER.may_attempt(dossier, op, request.user):
        raise PermissionDenied
    forms = _forms(dossier, request.user, request.POST, request.FILES, op)
    form = forms.get(op)
    if form is None:  # not from this state (the dossier moved on): said on top, nothing written
        return _page(
            request, dossier, status=409, problem=str(_("This step cannot be taken now: the dossier moved on."))
        )

    def write(cd: dict[str, Any]) -> Any:
        user, version = request.user, cd["version"]
        if op == "apologise":
            return services.apologise(dossier, by=user, version=version, reason=cd["reason"], new_date=cd["new_date"])
        if op == "rate":
            return services.rate(dossier, by=user, version=version, rating=cd["rating"], comment=cd["comment"])
        if op == "request_supplement":
            return services.act(
                dossier, op, by=user, version=version, items=form.asked(), why_new_items=cd["why_new_items"]
            )
        if op == "supplement":
            return services.act(
                dossier, op, by=user, version=version, files=form.files_by_part(), form=form.form_values()
            )
        return services.act(dossier, op, by=user, version=version, reason=cd.get("reason", ""))

    saved = save(form, write, refused=(TransitionError,))
    if saved.ok:
        messages.success(request, str(DONE.get(op, _("Saved."))))
        return redirect(reverse("dossier_detail", args=[dossier.code]))
    status = 409 if getattr(form, "conflict", False) else 400
    fresh = _dossier(request, dossier.code)
    forms = {**_forms(fresh, request.user), op: form}
    return _page(request, fresh, forms=forms, status=status)


def dossier_file_download(request: HttpRequest, dossier_code: str, file_id: int) -> HttpResponse:
    dossier = _dossier(request, dossier_code)
    row = dossier.files.filter(pk=file_id).first()
    if row is None:
        raise Http404
    handle, content_type, name = open_file(row)
    return FileResponse(handle, content_type=content_type, as_attachment=True, filename=name)


def dossier_document(request: HttpRequest, dossier_code: str, doc: str) -> HttpResponse:
    """The one-stop forms of a dossier as PDF: receipt, slip, supplement-N, apology-N, refusal,
    and the signed result."""
    from django.core.files.base import ContentFile

    from zonedesk.procedures import documents

    dossier = _dossier(request, dossier_code)
    if doc == "result":
        result = getattr(dossier, "result", None)
        if result is None or not result.file or dossier.status not in {Status.PROCESSED, Status.RETURNED}:
            raise Http404
        if request.user.role == "enterprise" and dossier.status != Status.RETURNED:
            raise Http404  # the enterprise receives it once returned
        return FileResponse(
            result.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{result.code}.pdf",
        )
    kind, _sep, number = doc.partition("-")
    if kind == "receipt" and dossier.received_at:
        data = documents.receipt_pdf(dossier)
    elif kind == "slip":
        data = documents.slip_pdf(dossier)
    elif kind == "refusal" and dossier.status == Status.REFUSED:
        data = documents.refusal_pdf(dossier)
    elif (
        kind == "supplement"
        and number.isdigit()
        and (r := dossier.supplement_requests.filter(number=int(number)).first())
    ):
        data = documents.supplement_pdf(r)
    elif kind == "apology" and number.isdigit() and (a := dossier.apology_letters.filter(number=int(number)).first()):
        data = documents.apology_pdf(a)
    else:
        raise Http404
    return FileResponse(
        ContentFile(data), content_type="application/pdf", as_attachment=True, filename=f"{dossier.code}-{doc}.pdf"
    )


# --- the enterprise's dossiers and filing ----------------------------------------------------------
def portal_dossiers(request: HttpRequest) -> HttpResponse:
    rows = selectors.dossiers_for(request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "procedures/portal_dossiers.html", {"page": page, "closed": CLOSED_STATUSES})


def _is_desk(user: Any) -> bool:
    return UnitMember.objects.filter(user=user, unit__kind="desk").exists()


def dossier_new(request: HttpRequest, procedure_code: str) -> HttpResponse:
    """File a dossier: an enterprise online; the desk for a paper dossier brought to it."""
    from zonedesk.investment.models import Enterprise, Project

    procedure = get_object_or_404(Procedure, code=procedure_code, active=True)
    version = selectors.version_in_force(procedure)
    if version is None:
        raise Http404
    user = request.user
    paper = user.role != "enterprise"
    if paper and not _is_desk(user):
        raise PermissionDenied
    projects = None
    if procedure.needs_project:
        projects = Project.objects.filter(enterprise_id=user.enterprise_id) if not paper else Project.objects.all()
        projects = projects.order_by("code")
    chosen = projects.filter(code=request.GET.get("project", "")).first() if projects is not None else None
    if chosen is None and projects is not None and not paper and projects.count() == 1:
        chosen = projects.first()  # the enterprise's one project: its values filled in at once
    form = bind(
        request,
        pforms.FileDossierForm,
        files=True,
        initial=lambda: {
            **services.fields.prefill(version.form_fields, chosen),
            **({"project": chosen} if chosen else {}),
        },
        version=version,
        projects=projects,
        paper=paper,
    )

    def write(cd: dict[str, Any]) -> Dossier:
        enterprise = None
        if paper:
            enterprise = Enterprise.objects.filter(tax_code=cd.get("enterprise", "").strip()).first()
            if enterprise is None:
                form.add_error("enterprise", _("No enterprise has this tax code."))
                return None
        return services.dossier_file(
            procedure=procedure,
            by=user,
            project=cd.get("project"),
            enterprise=enterprise,
            channel="paper" if paper else "online",
            form=form.form_values(),
            files=form.files_by_part(),
        )

    return form_view(
        request,
        form,
        write=write,
        success=lambda d: reverse("dossier_detail", args=[d.code]),
        message=lambda d: _("Dossier %(code)s was filed: keep its code to follow it.") % {"code": d.code},
        page="procedures/dossier_new.html",
        context={"procedure": procedure, "version": version, "paper": paper, "chosen": chosen},
        invalid_status=400,
    )


# --- the board's queue ---------------------------------------------------------------------------------
def dossier_queue(request: HttpRequest) -> HttpResponse:
    mine = request.GET.get("all") != "1"
    rows = selectors.dossiers_for(request.user, status=request.GET.get("status", "")[:20], unit_only=mine)
    if not mine:
        rows = rows.exclude(status__in=CLOSED_STATUSES).order_by("due_at")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "procedures/queue.html",
        {"page": page, "mine": mine, "now": timezone.now(), "statuses": Status.choices},
    )


# --- the public's check of a result and the figures ----------------------------------------------------
def result_verify_page(request: HttpRequest) -> HttpResponse:
    from zonedesk.procedures import documents

    form = pforms.VerifyForm(request.POST or request.GET or None, request.FILES or None)
    checked, asked = None, False
    if form.is_bound and form.is_valid():
        upload, code = form.cleaned_data.get("pdf"), (form.cleaned_data.get("code") or "").strip()
        if upload is not None:
            from zonedesk.core.rules import rule_value
            from zonedesk.core.throttle import client_address, throttle_hit

            limit, window = rule_value("procedures.verify_throttle")
            if not throttle_hit(
                scope="result-verify", ident=client_address(request), limit=int(limit), window_seconds=int(window)
            ):
                form.add_error(None, _("Too many files checked from your address: try again in an hour."))
                return render(
                    request, "procedures/verify.html", {"form": form, "checked": None, "asked": False}, status=429
                )
            asked = True
            checked = documents.verify(upload.read(20 * 1024 * 1024 + 1))
        elif code:
            asked = True
            checked = documents.verify_code(code)
    return render(request, "procedures/verify.html", {"form": form, "checked": checked, "asked": asked})


def dossier_figures_page(request: HttpRequest) -> HttpResponse:
    """The public figures of a zone (or all) in a year: the headline, the service index with the
    groups not measured, charts of the on-time and online rates by month and of received against
    resolved by procedure, each over the rows of its data table (`core.charts`)."""
    from django.utils.text import Truncator

    from zonedesk.core.charts import Series, chart
    from zonedesk.core.inputs import zone_among
    from zonedesk.core.models import Zone
    from zonedesk.procedures import figures

    zones = list(Zone.objects.order_by("code"))
    zone = zone_among(zones, request.GET.get("zone", ""))
    years = figures.years()
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and 2000 <= int(asked) <= 2100 else years[0]
    years = sorted({*years, year}, reverse=True)
    data = figures.figures(zone=zone, year=year)
    names = {z.code: z.name for z in zones}

    def pct(rate: float | None) -> float | None:
        return None if rate is None else round(rate * 100, 1)

    def shown(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "on_time_pct": pct(row["on_time_rate"]), "online_pct": pct(row["online_rate"])}

    months = [{**shown(m), "label": f"{m['month'][5:]}/{m['month'][:4]}"} for m in data["by_month"]]
    procedures = [shown(p) for p in data["by_procedure"]]
    charts = {
        "months": chart(
            "bar",
            _("On time and online, by month of receipt (%)"),
            months,
            label=lambda r: r["label"],
            series=[
                Series(_("On time"), lambda r: r["on_time_pct"]),
                Series(_("Filed online"), lambda r: r["online_pct"]),
            ],
            unit="%",
            max=100,
        ),
        "procedures": chart(
            "bar",
            _("Received and resolved, by procedure"),
            procedures,
            label=lambda r: f"{r['code']} {Truncator(r['name']).chars(28)}",
            series=[Series(_("Received"), lambda r: r["received"]), Series(_("Resolved"), lambda r: r["resolved"])],
            unit=_("dossiers"),
            horizontal=True,
            integer=True,
        ),
    }
    return render(
        request,
        "procedures/figures.html",
        {
            "figures": data,
            "whole": shown(data),
            "months": months,
            "procedures": procedures,
            "units": [shown(u) for u in data["by_unit"]],
            "by_zone": [{**shown(z), "name": names.get(z["code"], z["code"])} for z in data["by_zone"]],
            "charts": charts,
            "zones": zones,
            "zone": zone,
            "year": year,
            "years": years,
        },
    )
