"""The pipeline's pages (the board's; leaders read; an agency reads the prospects it helps with),
the events, the figures, the screening weights, and the public enquiry with its tracking page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zonedesk.cases.attachments import open_file
from zonedesk.core.errors import TransitionError
from zonedesk.core.formviews import FORM_PAGE, bind, form_view, save
from zonedesk.core.inputs import zone_by_code
from zonedesk.core.models import User
from zonedesk.core.numbers import whole
from zonedesk.core.permissions import actor_of
from zonedesk.core.rules import rule_value
from zonedesk.core.throttle import client_address, throttle_hit
from zonedesk.core.views import read_version
from zonedesk.investment.models import Sector
from zonedesk.promotion import figures as pfigures
from zonedesk.promotion import forms as pforms
from zonedesk.promotion import screening, selectors, services
from zonedesk.promotion.models import Criterion, PromotionEvent, Prospect, ScreeningWeight, Source, Stage
from zonedesk.promotion.workflow import PROSPECT

PAGE_SIZE = 50


def _is_officer(user: Any) -> bool:
    return actor_of(user).role in {"board", "admin"}


def _prospect(request: HttpRequest, prospect_id: int) -> Prospect:
    found = Prospect.objects.restrict(request.user).select_related("manager", "dossier", "project", "enterprise")
    p = found.filter(pk=prospect_id).first()
    if p is None:
        raise Http404
    return p


def _filters(request: HttpRequest) -> dict[str, Any]:
    managers = User.objects.filter(prospects_managed__isnull=False).distinct().order_by("username")
    return {
        "stages": Stage.choices,
        "sources": Source.choices,
        "sectors": Sector.choices,
        "managers": managers,
        "params": {
            k: request.GET.get(k, "")[:100]
            for k in ("stage", "source", "sector", "country", "manager", "min_score", "overdue", "q", "sort")
        },
    }


def prospect_list(request: HttpRequest) -> HttpResponse:
    """The pipeline as a table: sorted and filtered by score, stage, source, sector, country,
    account manager, an overdue next step."""
    qs = selectors.prospects_for(request.user, request.GET)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    return render(
        request,
        "promotion/list.html",
        {"page": page, "today": today, "officer": _is_officer(request.user), **_filters(request)},
    )


def prospect_kanban(request: HttpRequest) -> HttpResponse:
    columns = selectors.kanban(request.user, request.GET)
    return render(
        request,
        "promotion/kanban.html",
        {"columns": columns, "today": timezone.localdate(), "officer": _is_officer(request.user), **_filters(request)},
    )


def _prospect_form_page(request: HttpRequest, prospect: Prospect | None) -> HttpResponse:
    if not _is_officer(request.user):
        raise PermissionDenied
    version = prospect.version if prospect else None
    if request.method == "POST" and prospect is not None:
        version = read_version(request, prospect)

    def initial() -> dict[str, Any]:
        if prospect is None:
            return {"manager": request.user, "environment": "medium", "needs_networks": True}
        data = {f: getattr(prospect, f) for f in services.FIELDS if f != "published"}
        data["agencies"] = list(prospect.helping_agencies.all())
        return data

    form = bind(request, pforms.ProspectForm, initial=initial)

    def write(cd: dict[str, Any]) -> Prospect:
        values = form.values()
        agencies = cd.get("agencies") or []
        if prospect is None:
            return services.prospect_create(by=request.user, agencies=agencies, **values)
        return services.prospect_update(prospect, by=request.user, version=version, agencies=agencies, **values)

    title = _("Edit the prospect") if prospect else _("Record a prospect")
    return form_view(
        request,
        form,
        write=write,
        success=lambda p: reverse("prospect_detail", args=[p.pk]),
        message=_("The prospect was saved; its scorecard follows its data."),
        page=FORM_PAGE,
        context={
            "title": title,
            "lead": _("An investor the board is courting, and the project it has in mind."),
            "back": reverse("prospect_detail", args=[prospect.pk]) if prospect else reverse("prospect_list"),
            "back_label": str(prospect) if prospect else _("Prospects"),
            "version": version,
        },
        invalid_status=400,
    )


@require_http_methods(["GET", "POST"])
def prospect_new(request: HttpRequest) -> HttpResponse:
    return _prospect_form_page(request, None)


@require_http_methods(["GET", "POST"])
def prospect_edit(request: HttpRequest, prospect_id: int) -> HttpResponse:
    return _prospect_form_page(request, _prospect(request, prospect_id))


def _forms(prospect: Prospect, user: Any, data: Any = None, files: Any = None, op: str = "") -> dict[str, Any]:
    if not _is_officer(user):
        return {}
    bound = {"data": data, "files": files}
    today = timezone.localdate()
    return {
        "stage": pforms.StageForm(**bound) if op == "stage" else pforms.StageForm(),
        "contact": pforms.ContactForm(**bound) if op == "contact" else pforms.ContactForm(initial={"date": today}),
        "document": pforms.DocumentForm(**bound) if op == "document" else pforms.DocumentForm(),
        "reserve": pforms.ReserveForm(**bound)
        if op == "reserve"
        else pforms.ReserveForm(initial={"until": today + dt.timedelta(days=90)}),
    }


def _page(
    request: HttpRequest, p: Prospect, *, forms: dict | None = None, status: int = 200, problem: str = ""
) -> HttpResponse:
    card = screening.scorecard(p)
    actions = PROSPECT.allowed(p, request.user)
    return render(
        request,
        "promotion/detail.html",
        {
            "p": p,
            "card": card,
            "actions": actions,
            "forms": forms if forms is not None else _forms(p, request.user),
            "contacts": p.contacts.select_related("by"),
            "documents": p.documents.all(),
            "timeline": selectors.prospect_timeline(p, request.user),
            "reservations": selectors.reservations_of(p),
            "agencies": p.helping_agencies.all(),
            "events": p.events_attended.all(),
            "overdue": selectors.overdue(p),
            "officer": _is_officer(request.user),
            "board_side": actor_of(request.user).is_board_side,  # the enquirer's contact: not a helping agency's
            "problem": problem,
            "technology": screening.technology_met(p),
        },
        status=status,
    )


def prospect_detail(request: HttpRequest, prospect_id: int) -> HttpResponse:
    return _page(request, _prospect(request, prospect_id))


@require_POST
def prospect_do(request: HttpRequest, prospect_id: int, op: str) -> HttpResponse:
    """A write from the prospect's page: a stage move, a contact, a document, a parcel reserved or
    released, the reply to an enquiry."""
    p = _prospect(request, prospect_id)
    if op not in {"stage", "contact", "document", "reserve", "release", "reply"}:
        raise Http404
    if not _is_officer(request.user):
        raise PermissionDenied
    user = request.user
    if op in {"release", "reply"}:
        if op == "reply":
            services.enquiry_reply(p, by=user)
            messages.success(request, _("The reply was recorded: the investor's tracking page says so."))
        else:
            from zonedesk.planning.models import ParcelReservation

            raw = request.POST.get("reservation", "")
            r = ParcelReservation.objects.filter(pk=whole(raw, max_digits=12) or 0, holder=p.holder_key).first()
            if r is None:
                raise Http404
            services.release(p, by=user, reservation=r)
            messages.success(request, _("The parcel is free again."))
        return redirect(reverse("prospect_detail", args=[p.pk]))
    forms = _forms(p, user, request.POST, request.FILES, op)
    form = forms[op]

    def write(cd: dict[str, Any]) -> Any:
        if op == "stage":
            version = read_version(request, p)
            dossier = None
            if cd["action"] == "file_dossier":
                from zonedesk.procedures.models import Dossier

                dossier = Dossier.objects.filter(code=cd.get("dossier", "").strip()).select_related("procedure").first()
            return services.prospect_act(
                p, cd["action"], by=user, version=version, reason=cd["reason"], dossier=dossier
            )
        if op == "contact":
            return services.contact_add(p, by=user, **cd)
        if op == "document":
            return services.document_add(p, by=user, title=cd["title"], upload=cd["file"])
        zone_code, _sep, code = cd["parcel"].strip().partition(":")
        zone = zone_by_code(zone_code)
        return services.reserve(p, by=user, zone=zone, parcel_code=code.strip(), until=cd["until"])

    saved = save(form, write, refused=(TransitionError,))
    if saved.ok:
        messages.success(request, _("Saved."))
        return redirect(reverse("prospect_detail", args=[p.pk]))
    status = 409 if getattr(form, "conflict", False) else 400
    fresh = _prospect(request, p.pk)
    return _page(request, fresh, forms={**_forms(fresh, user), op: form}, status=status)


def prospect_document(request: HttpRequest, prospect_id: int, doc_id: int) -> HttpResponse:
    p = _prospect(request, prospect_id)
    row = p.documents.filter(pk=doc_id).first()
    if row is None:
        raise Http404
    handle, content_type, name = open_file(row)
    return FileResponse(handle, content_type=content_type, as_attachment=True, filename=name)


def prospect_land(request: HttpRequest, prospect_id: int) -> HttpResponse:
    """The vacant-land finder prefilled from the prospect's needs (area, land use, networks)."""
    p = _prospect(request, prospect_id)
    if not _is_officer(request.user):
        raise PermissionDenied
    zone = zone_by_code(request.GET.get("zone", "")[:20]) if request.GET.get("zone") else None
    parcels = list(selectors.land_for(p, zone)[:100])
    return render(
        request,
        "promotion/land.html",
        {
            "p": p,
            "parcels": parcels,
            "zone": zone,
            "form": pforms.ReserveForm(initial={"until": timezone.localdate() + dt.timedelta(days=90)}),
            "reservations": selectors.reservations_of(p),
        },
    )


def prospect_figures(request: HttpRequest) -> HttpResponse:
    from zonedesk.core.charts import Series, chart

    asked = request.GET.get("year", "")
    number = whole(asked, max_digits=4)
    year = number if number is not None and 2000 <= number <= 2100 else None
    data = pfigures.figures(Prospect.objects.restrict(request.user), year=year)
    charts = {
        "funnel": chart(
            "bar",
            _("The funnel: prospects that reached each stage"),
            data["funnel"],
            label=lambda r: r["label"],
            series=[Series(_("Prospects"), lambda r: r["count"])],
            horizontal=True,
            integer=True,
            id="chart-funnel",
        ),
        "sources": chart(
            "bar",
            _("Capital licensed: projected at the proposal and realised, by source (bn VND)"),
            data["by_source"],
            label=lambda r: r["label"],
            series=[
                Series(_("Projected"), lambda r: round(r["projected_capital_vnd"] / 1e9, 1)),
                Series(_("Realised"), lambda r: round(r["realised_capital_vnd"] / 1e9, 1)),
            ],
            id="chart-sources",
        ),
    }
    return render(request, "promotion/figures.html", {"f": data, "charts": charts, "year": year})


@require_http_methods(["GET", "POST"])
def screening_weights(request: HttpRequest) -> HttpResponse:
    """The screening weights in force and their history; the board's officers add a new one."""
    officer = _is_officer(request.user)
    if request.method == "POST" and not officer:
        raise PermissionDenied
    form = bind(request, pforms.WeightForm, initial={"effective_from": timezone.localdate()})
    if request.method == "POST":
        saved = save(form, lambda cd: services.weight_set(by=request.user, **{**cd, "target": cd["target"] or 0}))
        if saved.ok:
            messages.success(request, _("The weight was saved; every prospect was scored again."))
            return redirect("screening_weights")
    weights = screening.weights_on()
    labels = dict(Criterion.choices)
    rows = [{"criterion": c, "label": labels[c], "points": w[0], "target": w[1]} for c, w in weights.items()]
    return render(
        request,
        "promotion/weights.html",
        {
            "rows": rows,
            "history": ScreeningWeight.objects.all()[:200],
            "form": form if officer else None,
            "tiers": screening.TIERS,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- events -----------------------------------------------------------------------------------------


def promotion_events(request: HttpRequest) -> HttpResponse:
    events = PromotionEvent.objects.prefetch_related("prospects", "enterprises")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "promotion/events.html", {"page": page, "officer": _is_officer(request.user)})


def promotion_event(request: HttpRequest, event_id: int) -> HttpResponse:
    event = PromotionEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    visible = Prospect.objects.restrict(request.user)
    return render(
        request,
        "promotion/event.html",
        {
            "event": event,
            "prospects": event.prospects.filter(pk__in=visible.values("pk")),
            "enterprises": event.enterprises.all(),
            "officer": _is_officer(request.user),
        },
    )


def _event_form(request: HttpRequest, event: PromotionEvent | None) -> HttpResponse:
    if not _is_officer(request.user):
        raise PermissionDenied

    def initial() -> dict[str, Any]:
        if event is None:
            return {"date": timezone.localdate()}
        return {
            "kind": event.kind,
            "title": event.title,
            "date": event.date,
            "place": event.place,
            "organisers": event.organisers,
            "follow_up": event.follow_up,
            "prospects": list(event.prospects.all()),
            "enterprises": list(event.enterprises.all()),
        }

    form = bind(request, pforms.EventForm, initial=initial)
    version = read_version(request, event) if event is not None else None
    return form_view(
        request,
        form,
        write=lambda cd: services.event_save(by=request.user, event=event, version=version, **cd),
        success=lambda e: reverse("promotion_event", args=[e.pk]),
        message=_("The event was saved."),
        page=FORM_PAGE,
        context={
            "title": _("Edit the event") if event else _("Record an event"),
            "lead": _("A forum, roadshow, delegation or site visit, and who came."),
            "back": reverse("promotion_events"),
            "back_label": _("Promotion events"),
            "version": version,
        },
        invalid_status=400,
    )


@require_http_methods(["GET", "POST"])
def promotion_event_new(request: HttpRequest) -> HttpResponse:
    return _event_form(request, None)


@require_http_methods(["GET", "POST"])
def promotion_event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    event = PromotionEvent.objects.filter(pk=event_id).first()
    if event is None:
        raise Http404
    return _event_form(request, event)


# --- the public enquiry -------------------------------------------------------------------------------


def _within_limit(request: HttpRequest) -> bool:
    limit, window = rule_value("promotion.enquiry_throttle")
    return throttle_hit(
        scope="promotion-enquiry", ident=client_address(request), limit=int(limit), window_seconds=int(window)
    )


@require_http_methods(["GET", "POST"])
def promotion_enquire(request: HttpRequest) -> HttpResponse:
    """The investor's enquiry or site-visit request: it becomes a prospect, with the reply
    promised by a date and a private tracking link (no account needed)."""
    asked = request.GET.get("parcel", "")[:70]

    def initial() -> dict[str, Any]:
        # the plot card's "Request a site visit" asks with visit=1; its "Enquire about this plot" does not
        return {"parcel_wished": asked, "site_visit_wished": request.GET.get("visit") == "1"}

    form = bind(request, pforms.EnquiryForm, initial=initial)

    def page(form, status: int, *, throttled: bool = False) -> HttpResponse:
        return render(
            request, "promotion/enquire.html", {"form": form, "throttled": throttled, "parcel": asked}, status=status
        )

    if request.method == "POST" and not _within_limit(request):
        return page(form, 429, throttled=True)

    def write(cd: dict[str, Any]) -> Prospect:
        return services.enquiry_submit(**cd)

    return form_view(
        request,
        form,
        write=write,
        success=lambda p: reverse("promotion_enquiry_status", args=[p.tracking_token]),
        message=_("Thank you: your enquiry was received. Keep this page's address to follow it."),
        page=page,
        invalid_status=400,
    )


def promotion_enquiry_status(request: HttpRequest, token: str) -> HttpResponse:
    """What the visitor reads of their enquiry: its status and the reply date, nothing else."""
    p = selectors.by_token(token)
    if p is None:
        raise Http404
    return render(request, "promotion/enquiry_status.html", {"p": p, "today": timezone.localdate()})


def invest_pipeline(request: HttpRequest) -> HttpResponse:
    """The public's view of the pipeline: the prospects the board published (company, country,
    sector, the project in mind and how far it is: in talks, dossier filed, licensed with its
    project), never a figure, a contact or a note."""
    from zonedesk.investment.countries import country_name

    labels = {
        "talks": _("In talks with the board"),
        "filed": _("Investment dossier filed"),
        "licensed": _("Licensed"),
    }
    page = Paginator(selectors.published_prospects(), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "p": p,
            "country": country_name(p.country),
            "step": selectors.PUBLIC_STAGES[p.stage],
            "step_label": labels[selectors.PUBLIC_STAGES[p.stage]],
        }
        for p in page
    ]
    return render(request, "promotion/invest_pipeline.html", {"rows": rows, "page": page})
