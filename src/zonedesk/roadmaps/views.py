"""Pages of the roadmaps: the list, a roadmap with its timeline (and, for site clearance, its
figures and charts), a zone's timeline and clearance charts, what is late or at risk, the
enterprises' reviews, and the forms that record progress.

Thin: forms parse, services decide, selectors read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from zonedesk.core.charts import Series, chart
from zonedesk.core.errors import ServiceError, TransitionError
from zonedesk.core.exports import Column, export_format, table_response
from zonedesk.core.formviews import bind, form_view
from zonedesk.core.inputs import zone_by_code, zone_or_404
from zonedesk.core.models import Zone
from zonedesk.core.numbers import bn, num
from zonedesk.core.permissions import capability_required, get_restricted_or_404
from zonedesk.core.views import read_version
from zonedesk.investment.models import Project
from zonedesk.planning.models import Layer
from zonedesk.planning.selectors import current_features
from zonedesk.roadmaps import selectors, services
from zonedesk.roadmaps.forms import (
    HandOverForm,
    MilestoneForm,
    PackageForm,
    PackageRecordForm,
    PlanForm,
    ProgressForm,
    ReviewForm,
    RoadmapEditForm,
    RoadmapForm,
)
from zonedesk.roadmaps.models import ClearancePackage, Milestone, Roadmap, RoadmapKind
from zonedesk.roadmaps.status import Status

HA = Decimal(10_000)


def _zone(request: HttpRequest) -> Zone | None:
    """The zone of ?zone=, its code in any case (`core.inputs.zone_by_code`); None for none."""
    return zone_by_code(request.GET.get("zone"))


def _roadmap(request: HttpRequest, pk: int) -> Roadmap:
    return get_restricted_or_404(
        Roadmap.objects.select_related("zone", "owner_agency", "owner_enterprise", "project"),
        request.user,
        "view",
        pk=pk,
    )


_version = read_version  # the version a change form was read at (core.views)
REFUSED = (TransitionError,)  # a step the roadmap's state does not allow: on top of the form


def roadmap_list(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    zone = _zone(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in RoadmapKind.values else None
    roadmaps = selectors.roadmap_list(user=request.user, today=today, zone=zone, kind=kind)
    zones = Zone.objects.filter(pk__in=selectors.visible_roadmaps(user=request.user).values("zone")).order_by("code")
    return render(
        request,
        "roadmaps/list.html",
        {
            "roadmaps": roadmaps,
            "zone": zone,
            "zones": zones,
            "kind": kind,
            "kinds": RoadmapKind.choices,
            "today": today,
            "can_edit": services.can_edit_any(request.user),
        },
    )


def _clearance_charts(history: list[dict[str, Any]], prefix: str) -> dict[str, dict]:
    """Two charts of site clearance over time (area in ha, households), for zonedesk.js."""

    def on(row: dict[str, Any]) -> str:
        return row["on"].strftime("%d/%m/%Y")

    return {
        "area": chart(
            "line",
            _("Area handed over (ha)"),
            history,
            label=on,
            series=[Series(_("Area handed over"), lambda r: float(r["area_m2"] / HA))],
            id=f"{prefix}-area",
            unit=_("ha"),
            stepped=True,
        ),
        "households": chart(
            "line",
            _("Households that agreed"),
            history,
            label=on,
            series=[Series(_("Households that agreed"), lambda r: r["households_agreed"])],
            id=f"{prefix}-households",
            unit=_("households"),
            stepped=True,
            integer=True,
        ),
    }


def _shown_history(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for row in history:
        row["area_ha"] = num(row["area_m2"] / HA, None)
        row["paid"] = bn(row["paid_vnd"])
    return history


def _shown_totals(t: selectors.ClearanceTotals) -> dict[str, Any]:
    return {
        "area_to_clear_ha": num(t.area_to_clear_m2 / HA, None),
        "area_handed_over_ha": num(t.area_handed_over_m2 / HA, None),
        "households_affected": num(t.households_affected),
        "households_agreed": num(t.households_agreed),
        "approved": bn(t.compensation_approved_vnd),
        "paid": bn(t.compensation_paid_vnd),
        "resettlement": num(t.resettlement_households),
    }


def _show_package(p: ClearancePackage) -> ClearancePackage:
    p.shown = {
        "to_clear_ha": num(p.area_to_clear_m2 / HA, None),
        "handed_ha": num(p.area_handed_over_m2 / HA, None),
        "approved": bn(p.compensation_approved_vnd),
        "paid": bn(p.compensation_paid_vnd),
    }
    return p


# a milestone as the lists export it: the roadmap's list, and the late and at-risk list across roadmaps
_TITLE = Column(gettext_lazy("Milestone"), lambda m: m.title)
_PLAN = [
    Column(gettext_lazy("Responsible party"), lambda m: m.responsible_name),
    Column(gettext_lazy("Planned start"), lambda m: m.planned_start),
    Column(gettext_lazy("Planned end"), lambda m: m.planned_end),
    Column(gettext_lazy("Actual start"), lambda m: m.actual_start),
]
_PROGRESS = [
    Column(gettext_lazy("Progress (%)"), lambda m: m.progress_pct),
    Column(gettext_lazy("Share of the planned time gone (%)"), lambda m: m.expected_pct),
    Column(gettext_lazy("Status"), lambda m: m.status.label),
]
MILESTONE_COLUMNS = [
    _TITLE,
    *_PLAN,
    Column(gettext_lazy("Actual end"), lambda m: m.actual_end),
    *_PROGRESS,
    Column(gettext_lazy("Depends on"), lambda m: "; ".join(d.title for d in m.depends_on.all())),
]


def roadmap_detail(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = _roadmap(request, pk)
    today = timezone.localdate()
    milestones, summary = selectors.roadmap_milestones(roadmap, today)
    if fmt := export_format(request):  # the milestones as the page lists them
        return table_response(
            fmt=fmt, name=f"roadmap-{roadmap.pk}", columns=MILESTONE_COLUMNS, rows=milestones, title=_("Milestones")
        )
    context: dict[str, Any] = {
        "roadmap": roadmap,
        "milestones": milestones,
        "summary": summary,
        "timeline": selectors.timeline(milestones, today),
        "today": today,
        "can_change": services.can_change(request.user, roadmap),
        "can_review": services.can_review(request.user, roadmap),
        "reviews": list(roadmap.reviews.select_related("reviewed_by")[:10]),
        "review_form": ReviewForm(),
    }
    if roadmap.kind == RoadmapKind.CLEARANCE:
        totals = selectors.clearance_totals(user=request.user, roadmap=roadmap)
        history = _shown_history(selectors.clearance_history(user=request.user, roadmap=roadmap))
        context |= {
            "totals": totals,
            "totals_shown": _shown_totals(totals),
            "history": history,
            "charts": _clearance_charts(history, "roadmap"),
            "packages": [_show_package(m.package) for m in milestones if m.package_or_none],
        }
    return render(request, "roadmaps/detail.html", context)


def zone_roadmaps(request: HttpRequest, code: str) -> HttpResponse:
    """A zone's roadmaps on one timeline, and its site clearance in figures and charts."""
    zone = zone_or_404(code)  # its code in any case
    today = timezone.localdate()
    timelines = selectors.zone_timeline(user=request.user, zone=zone, today=today)
    totals = selectors.clearance_totals(user=request.user, zone=zone)
    history = _shown_history(selectors.clearance_history(user=request.user, zone=zone))
    return render(
        request,
        "roadmaps/zone.html",
        {
            "zone": zone,
            "timeline": timelines[0] if timelines else None,
            "totals": totals,
            "totals_shown": _shown_totals(totals),
            "history": history,
            "charts": _clearance_charts(history, "zone"),
            "attention": selectors.attention(user=request.user, today=today, zone=zone)[:20],
            "today": today,
        },
    )


ATTENTION_COLUMNS = [
    _TITLE,
    Column(gettext_lazy("Roadmap"), lambda m: m.roadmap.title),
    Column(gettext_lazy("Zone"), lambda m: m.roadmap.zone.code),
    *_PLAN,
    *_PROGRESS,
    Column(gettext_lazy("Days late"), lambda m: m.days_late or None),
]


def attention(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    zone = _zone(request)
    rows = selectors.attention(user=request.user, today=today, zone=zone)
    if fmt := export_format(request):
        name = f"milestones-late-at-risk-{zone.code}" if zone else "milestones-late-at-risk"
        return table_response(fmt=fmt, name=name, columns=ATTENTION_COLUMNS, rows=rows, title=_("Late and at risk"))
    return render(
        request,
        "roadmaps/attention.html",
        {"rows": rows, "zone": zone, "today": today, "late": sum(m.status == Status.LATE for m in rows)},
    )


@capability_required("dashboard.view")
def enterprise_reviews(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    zone = _zone(request) or Zone.objects.filter(code="HHTP").first() or Zone.objects.first()
    if zone is None:
        raise Http404
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    rows = selectors.enterprise_reviews(zone=zone, year=year)
    return render(
        request,
        "roadmaps/reviews.html",
        {
            "zone": zone,
            "zones": Zone.objects.order_by("code"),
            "year": year,
            "rows": rows,
            "reviewed": sum(r["reviewed"] for r in rows),
            "total": len(rows),
        },
    )


def _milestone(request: HttpRequest, pk: int) -> Milestone:
    m = get_object_or_404(Milestone.objects.select_related("roadmap"), pk=pk)
    if not Roadmap.objects.restrict(request.user).filter(pk=m.roadmap_id).exists():
        raise Http404
    if not services.can_change(request.user, m.roadmap):
        raise PermissionDenied
    return m


@login_required
@require_http_methods(["GET", "POST"])
def milestone_new(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = _roadmap(request, pk)
    if not services.can_change(request.user, roadmap):
        raise PermissionDenied
    others = list(Milestone.objects.filter(roadmap=roadmap))
    chosen = {str(m.pk): m for m in others}
    return form_view(
        request,
        MilestoneForm(request.POST or None, milestones=others),
        write=lambda cd: services.milestone_add(
            by=request.user,
            roadmap=roadmap,
            title=cd["title"],
            responsible_name=cd["responsible_name"],
            planned_start=cd["planned_start"],
            planned_end=cd["planned_end"],
            depends_on=[chosen[k] for k in cd["depends_on"]],
        ),
        message=_("The milestone was added."),
        success=reverse("roadmap_detail", args=[roadmap.pk]),
        page="roadmaps/milestone_form.html",
        context={"roadmap": roadmap},
        refused=REFUSED,
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_progress(request: HttpRequest, pk: int) -> HttpResponse:
    m = _milestone(request, pk)
    if hasattr(m, "package"):
        return redirect("package_record", pk=m.package.pk)
    version = _version(request, m)
    initial = {"progress_pct": m.progress_pct, "actual_start": m.actual_start, "actual_end": m.actual_end}
    return form_view(
        request,
        bind(request, ProgressForm, initial=initial),
        write=lambda cd: services.milestone_progress(
            by=request.user,
            milestone=m,
            progress_pct=cd["progress_pct"],
            actual_start=cd["actual_start"],
            actual_end=cd["actual_end"],
            version=version,
        ),
        message=_("The progress of “%(title)s” was recorded.") % {"title": m.title},
        success=reverse("roadmap_detail", args=[m.roadmap_id]),
        page="roadmaps/progress_form.html",
        context={"milestone": m, "version": version},
        refused=REFUSED,
    )


def _package(request: HttpRequest, pk: int) -> ClearancePackage:
    package = get_object_or_404(ClearancePackage.objects.select_related("milestone__roadmap"), pk=pk)
    _milestone(request, package.milestone_id)
    return package


@login_required
@require_http_methods(["GET", "POST"])
def package_record(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package(request, pk)
    m = package.milestone
    version = _version(request, m)
    return form_view(
        request,
        bind(
            request,
            PackageRecordForm,
            initial=lambda: {
                "on": timezone.localdate(),
                "area_handed_over_m2": package.area_handed_over_m2,
                "households_agreed": package.households_agreed,
                "compensation_paid_vnd": package.compensation_paid_vnd,
                "compensation_approved_vnd": package.compensation_approved_vnd,
            },
        ),
        write=lambda cd: services.package_record(
            by=request.user,
            package=package,
            on=cd["on"],
            area_handed_over_m2=cd["area_handed_over_m2"],
            households_agreed=cd["households_agreed"],
            compensation_paid_vnd=cd["compensation_paid_vnd"],
            compensation_approved_vnd=cd["compensation_approved_vnd"],
            note=cd["note"],
            version=version,
        ),
        message=_("The figures of package %(code)s were recorded.") % {"code": package.code},
        success=reverse("roadmap_detail", args=[m.roadmap_id]),
        page="roadmaps/package_form.html",
        context=lambda form: {"package": _show_package(package), "milestone": m, "version": version},
        refused=REFUSED,
    )


@login_required
@require_http_methods(["GET", "POST"])
def package_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    package = _package(request, pk)
    m = package.milestone
    version = _version(request, m)
    return form_view(
        request,
        bind(request, HandOverForm, initial=lambda: {"on": timezone.localdate()}),
        write=lambda cd: services.package_hand_over(
            by=request.user, package=package, on=cd["on"], note=cd["note"], version=version
        ),
        message=_("Package %(code)s was handed over.") % {"code": package.code},
        success=reverse("roadmap_detail", args=[m.roadmap_id]),
        page="roadmaps/hand_over_form.html",
        context=lambda form: {"package": _show_package(package), "milestone": m, "version": version},
        refused=REFUSED,
    )


@login_required
@require_POST
def roadmap_review(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = _roadmap(request, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The note is too long."))
        return redirect("roadmap_detail", pk=roadmap.pk)
    try:
        services.roadmap_review(by=request.user, roadmap=roadmap, note=form.cleaned_data["note"])
    except PermissionDenied:
        raise
    except ServiceError as exc:
        messages.error(request, " ".join(str(m) for m in exc.messages))
    else:
        messages.success(request, _("Your review of the roadmap was recorded."))
    return redirect("roadmap_detail", pk=roadmap.pk)


@login_required
@require_POST
def roadmap_from_project(request: HttpRequest, code: str) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.restrict(request.user, "view_private").select_related("enterprise", "zone"), code=code
    )
    existing = Roadmap.objects.filter(kind=RoadmapKind.ENTERPRISE, project=project).first()
    if existing is not None and Roadmap.objects.restrict(request.user).filter(pk=existing.pk).exists():
        return redirect("roadmap_detail", pk=existing.pk)
    try:
        roadmap = services.roadmap_from_project(by=request.user, project=project)
    except ServiceError as exc:
        made = Roadmap.objects.restrict(request.user).filter(kind=RoadmapKind.ENTERPRISE, project=project).first()
        if made is not None:  # made by a request a moment earlier (a double click)
            return redirect("roadmap_detail", pk=made.pk)
        messages.error(request, " ".join(str(m) for m in exc.messages))
        return redirect("roadmap_list")
    messages.success(request, _("The development roadmap of %(code)s was made from its schedule.") % {"code": code})
    return redirect("roadmap_detail", pk=roadmap.pk)


@capability_required("roadmap.edit")
@require_http_methods(["GET", "POST"])
def roadmap_new(request: HttpRequest) -> HttpResponse:
    return form_view(
        request,
        RoadmapForm(request.POST or None, initial={"zone": request.GET.get("zone") or "HHTP"}),
        write=lambda cd: services.roadmap_create(by=request.user, **cd),
        message=_("The roadmap was created: add its milestones."),
        success=lambda roadmap: reverse("roadmap_detail", args=[roadmap.pk]),
        context={
            "title": _("New roadmap"),
            "lead": _(
                "A site-clearance roadmap, or a task of the city or the board. Enterprises make their own from their project."
            ),
            "back": reverse("roadmap_list"),
            "back_label": _("Roadmaps"),
        },
        refused=REFUSED,
    )


def _codes(text: str) -> list[str]:
    return [c.strip() for c in (text or "").replace(",", "\n").splitlines() if c.strip()]


@login_required
@require_http_methods(["GET", "POST"])
def package_new(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = _roadmap(request, pk)
    if not services.can_change(request.user, roadmap) or roadmap.kind != RoadmapKind.CLEARANCE:
        raise PermissionDenied
    others = list(Milestone.objects.filter(roadmap=roadmap))
    chosen = {str(m.pk): m for m in others}

    def write(cd: dict[str, Any]) -> ClearancePackage | None:
        codes = _codes(cd["parcels"])
        found = {p.code: p for p in current_features(Layer.PARCELS, zone=roadmap.zone).filter(code__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            message = _("No parcel of the plan in force has the code: %(codes)s.") % {"codes": ", ".join(missing)}
            form.add_error("parcels", message)
            return None
        return services.package_create(
            by=request.user,
            roadmap=roadmap,
            code=cd["code"],
            title=cd["title"],
            responsible_name=cd["responsible_name"],
            planned_start=cd["planned_start"],
            planned_end=cd["planned_end"],
            area_to_clear_m2=cd["area_to_clear_m2"],
            households_affected=cd["households_affected"],
            compensation_approved_vnd=cd["compensation_approved_vnd"] or 0,
            resettlement_households=cd["resettlement_households"] or 0,
            resettlement_note=cd["resettlement_note"],
            parcels=[found[c] for c in codes],
            depends_on=[chosen[k] for k in cd["depends_on"]],
        )

    form = PackageForm(request.POST or None, milestones=others)
    return form_view(
        request,
        form,
        write=write,
        message=lambda package: _("Package %(code)s was added.") % {"code": package.code},
        success=reverse("roadmap_detail", args=[roadmap.pk]),
        context={
            "title": _("New site-clearance package"),
            "lead": roadmap.title,
            "back": reverse("roadmap_detail", args=[roadmap.pk]),
            "back_label": roadmap.title,
        },
        refused=REFUSED,
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_plan(request: HttpRequest, pk: int) -> HttpResponse:
    m = _milestone(request, pk)
    visible = Roadmap.objects.restrict(request.user).filter(zone=m.roadmap.zone)
    others = list(Milestone.objects.filter(roadmap__in=visible).exclude(pk=m.pk).select_related("roadmap"))
    initial = {
        "title": m.title,
        "responsible_name": m.responsible_name,
        "planned_start": m.planned_start,
        "planned_end": m.planned_end,
        "depends_on": [str(d.pk) for d in m.depends_on.all()],
        "condition": m.condition_id,
    }
    chosen = {str(o.pk): o for o in others}
    version = _version(request, m)
    form = PlanForm(request.POST or None, initial=initial, milestones=others)
    return form_view(
        request,
        form,
        write=lambda cd: services.milestone_plan(
            by=request.user,
            milestone=m,
            title=cd["title"],
            responsible_name=cd["responsible_name"],
            planned_start=cd["planned_start"],
            planned_end=cd["planned_end"],
            depends_on=[chosen[k] for k in cd["depends_on"]],
            condition=cd["condition"],
            version=version,
        ),
        message=lambda _m: _("The plan of “%(title)s” was changed.") % {"title": form.cleaned_data["title"]},
        success=reverse("roadmap_detail", args=[m.roadmap_id]),
        context={
            "title": _("Change the plan of a milestone"),
            "lead": m.title,
            "back": reverse("roadmap_detail", args=[m.roadmap_id]),
            "back_label": m.roadmap.title,
            "version": version,
        },
        refused=REFUSED,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roadmap_edit(request: HttpRequest, pk: int) -> HttpResponse:
    roadmap = _roadmap(request, pk)
    if not services.can_change(request.user, roadmap):
        raise PermissionDenied
    fields = list(RoadmapEditForm.base_fields)
    form = RoadmapEditForm(request.POST or None, initial={f: getattr(roadmap, f) for f in fields})
    if not services.can_edit_any(request.user):
        del form.fields["key_task"]  # the board names key local tasks
    version = _version(request, roadmap)
    return form_view(
        request,
        form,
        write=lambda cd: services.roadmap_update(by=request.user, roadmap=roadmap, version=version, **cd),
        message=_("The roadmap was saved."),
        success=reverse("roadmap_detail", args=[roadmap.pk]),
        context={
            "title": _("Change the roadmap"),
            "lead": roadmap.title,
            "back": reverse("roadmap_detail", args=[roadmap.pk]),
            "back_label": roadmap.title,
            "version": version,
        },
        refused=REFUSED,
    )
