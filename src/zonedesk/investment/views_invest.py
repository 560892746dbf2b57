"""The investor's side of the public site (`/invest/`, issue 26): a landing page for a foreign
site selector, the incentives in force, the park profiles, the board's contacts, a guide to the
procedures (the one-stop desk's public catalogue) and the tenant directory. Every page is public
and reads only what is already public; the board keeps the reference data (Django's admin)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zonedesk.core.forms import ServiceForm
from zonedesk.core.formviews import bind, form_view
from zonedesk.core.inputs import zone_by_code
from zonedesk.core.models import Zone
from zonedesk.core.numbers import num
from zonedesk.core.permissions import capability_required, get_restricted_or_404, has_capability
from zonedesk.core.views import read_version
from zonedesk.investment import selectors_invest, services, services_invest
from zonedesk.investment.forms import BoardContactForm, IncentiveForm, ZoneProfileForm
from zonedesk.investment.models import BoardContact, Incentive, Project, Sector, ZoneProfile

TENANT_PAGE = 50


def _profile(p: ZoneProfile) -> dict:
    return {
        "profile": p,
        "zone": p.zone,
        "km_noi_bai": num(p.km_noi_bai, 0),
        "km_hai_phong": num(p.km_hai_phong, 0),
        "km_hanoi": num(p.km_hanoi, 0),
        "min_wage": num(p.min_wage_vnd),
    }


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    profiles = [_profile(p) for p in selectors_invest.profiles()]
    return render(
        request,
        "investment/invest/landing.html",
        {
            "profiles": profiles,
            "incentives": list(selectors_invest.incentives_in_force()[:4]),
            "contacts": list(selectors_invest.contacts().filter(zone__isnull=True)[:1]),
        },
    )


@require_GET
def incentives(request: HttpRequest) -> HttpResponse:
    """The incentives in force today, or on the day asked (`?on=YYYY-MM-DD`), by kind of zone."""
    on = timezone.localdate()
    asked = request.GET.get("on") or ""
    bad_date = False
    if asked:
        try:
            if len(asked) != 10:  # YYYY-MM-DD, what the date field sends
                raise ValueError(asked)
            on = dt.date.fromisoformat(asked)
        except ValueError:  # the page says so and shows today's (400)
            bad_date, asked = True, ""
    applies = request.GET.get("for") or ""
    if applies not in Incentive.AppliesTo.values:
        applies = ""
    rows = list(selectors_invest.incentives_in_force(on, applies_to=applies))
    groups = [
        {"category": label, "code": code, "rows": [r for r in rows if r.category == code]}
        for code, label in Incentive.Category.choices
    ]
    return render(
        request,
        "investment/invest/incentives.html",
        {
            "groups": [g for g in groups if g["rows"]],
            "on": on,
            "asked": bool(asked),
            "applies": applies,
            "applies_choices": Incentive.AppliesTo.choices,
            "count": len(rows),
            "bad_date": bad_date,
            "may_edit": has_capability(request.user, "invest.edit"),
        },
        status=400 if bad_date else 200,
    )


@require_GET
def parks(request: HttpRequest) -> HttpResponse:
    may_edit = has_capability(request.user, "invest.edit")
    profiles = [_profile(p) for p in selectors_invest.profiles()]
    # for the board: the zones without a profile yet, to write one
    missing = list(Zone.objects.filter(profile__isnull=True).order_by("code")[:200]) if may_edit else []
    return render(
        request, "investment/invest/parks.html", {"profiles": profiles, "may_edit": may_edit, "missing": missing}
    )


@require_GET
def park(request: HttpRequest, zone: str) -> HttpResponse:
    z = zone_by_code(zone)
    profile = ZoneProfile.objects.select_related("zone").filter(zone=z).first() if z else None
    if profile is None:
        raise Http404(_("No profile of this zone."))
    return render(
        request,
        "investment/invest/park.html",
        {
            "p": _profile(profile),
            "contacts": list(selectors_invest.contacts(z)),
            "may_edit": has_capability(request.user, "invest.edit"),
        },
    )


@require_GET
def contacts(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "investment/invest/contacts.html",
        {"contacts": list(selectors_invest.contacts()), "may_edit": has_capability(request.user, "invest.edit")},
    )


@require_GET
def procedures(request: HttpRequest) -> HttpResponse:
    return render(request, "investment/invest/procedures.html", {})


@require_GET
def tenants(request: HttpRequest) -> HttpResponse:
    """The tenant directory, filtered by sector, country and zone (unknown values: no filter)."""
    sector = request.GET.get("sector") or ""
    sector = sector if sector in Sector.values else ""
    countries = selectors_invest.tenant_countries()
    country = (request.GET.get("country") or "").upper()
    country = country if country in {c for c, _n in countries} else ""
    zones = list(Zone.objects.order_by("code"))
    zone = zone_by_code(request.GET.get("zone")) if request.GET.get("zone") else None
    page = Paginator(selectors_invest.tenants(sector=sector, country=country, zone=zone), TENANT_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "investment/invest/tenants.html",
        {
            "rows": [selectors_invest.tenant_row(e) for e in page.object_list],
            "page": page,
            "count": num(page.paginator.count),
            "sectors": Sector.choices,
            "sector": sector,
            "countries": countries,
            "country": country,
            "zones": zones,
            "zone": zone,
        },
    )


class ProjectEnglishForm(ServiceForm):
    """The English of a project's texts the board wrote in Vietnamese: its objectives and its
    milestones' titles (one field a milestone with a title)."""

    objectives_en = forms.CharField(
        label=gettext_lazy("Objectives and scale (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives_en"].help_text = project.objectives
        for m in project.milestones.exclude(title=""):
            self.fields[f"milestone_{m.kind}"] = forms.CharField(
                label=format_lazy(gettext_lazy("Milestone “{title}” (English)"), title=m.title),
                required=False,
                max_length=255,
            )


@capability_required("registry.edit")
@require_http_methods(["GET", "POST"])
def project_english(request: HttpRequest, code: str) -> HttpResponse:
    """The board writes the English of a project's objectives and milestones (else the English
    view shows the Vietnamese, marked "Vietnamese only")."""
    project = get_restricted_or_404(Project.objects.select_related("zone"), request.user, "change", code=code)
    version = read_version(request, project)

    def initial() -> dict:
        start = {"objectives_en": project.objectives_en}
        start |= {f"milestone_{m.kind}": m.title_en for m in project.milestones.exclude(title="")}
        return start

    def write(cd: dict) -> Project:
        titles = {name.removeprefix("milestone_"): value for name, value in cd.items() if name.startswith("milestone_")}
        return services.project_english(
            project=project,
            by=request.user,
            objectives_en=cd["objectives_en"],
            milestone_titles_en=titles,
            version=version,
        )

    back = reverse("project_detail", args=[project.code])
    return form_view(
        request,
        bind(request, ProjectEnglishForm, initial=initial, project=project),
        write=write,
        message=_("The English of %(project)s was saved.") % {"project": project.code},
        success=back,
        context={
            "title": _("English of project %(code)s") % {"code": project.code},
            "lead": _("Shown to readers of the English view; what is left empty shows the Vietnamese, marked as such."),
            "back": back,
            "back_label": project.name,
            "version": version,
        },
        invalid_status=400,
    )


# --- the board keeps the reference data of these pages (services_invest) --------------------------------


def _reference_form(request: HttpRequest, form_class: Any, instance: Any, *, write: Any, title: str, back: str):
    version = read_version(request, instance) if instance is not None and instance.pk else 0
    form = form_class(request.POST, instance=instance) if request.method == "POST" else form_class(instance=instance)
    return form_view(
        request,
        form,
        write=lambda cd: write(cd, version),
        message=_("Saved: the public pages show it now."),
        success=lambda saved: back,
        context={"title": title, "back": back, "back_label": _("Back"), "version": version},
        invalid_status=400,
    )


@capability_required("invest.edit")
@require_http_methods(["GET", "POST"])
def incentive_edit(request: HttpRequest, incentive_id: int | None = None) -> HttpResponse:
    """A new incentive, or a change to one (its dates end it: never deleted)."""
    incentive = get_object_or_404(Incentive, pk=incentive_id) if incentive_id is not None else None
    return _reference_form(
        request,
        IncentiveForm,
        incentive,
        write=lambda cd, v: services_invest.incentive_save(by=request.user, incentive=incentive, version=v, **cd),
        title=_("Change an incentive") if incentive else _("Add an incentive"),
        back=reverse("invest_incentives"),
    )


@capability_required("invest.edit")
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, zone: str) -> HttpResponse:
    z = zone_by_code(zone)
    if z is None:
        raise Http404(_("No such zone."))
    profile = ZoneProfile.objects.filter(zone=z).first()
    return _reference_form(
        request,
        ZoneProfileForm,
        profile or ZoneProfile(zone=z),
        write=lambda cd, v: services_invest.profile_save(by=request.user, zone=z, version=v, **cd),
        title=_("Profile of %(zone)s") % {"zone": z.name},
        back=reverse("invest_park", args=[z.code]),
    )


@capability_required("invest.edit")
@require_http_methods(["GET", "POST"])
def contact_edit(request: HttpRequest, contact_id: int | None = None) -> HttpResponse:
    contact = get_object_or_404(BoardContact, pk=contact_id) if contact_id is not None else None
    return _reference_form(
        request,
        BoardContactForm,
        contact,
        write=lambda cd, v: services_invest.contact_save(by=request.user, contact=contact, version=v, **cd),
        title=_("Change an office") if contact else _("Add an office"),
        back=reverse("invest_contacts"),
    )
