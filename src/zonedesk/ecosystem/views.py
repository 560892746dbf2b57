"""Pages of the innovation ecosystem: the scorecard of a zone and year (radar of the seven
conditions, trend over the years, each indicator against its target, the roadmap milestones
acting on each condition), the registry of actors, and the board's forms.

Thin: forms parse, services decide, selectors read. Everything here is public except the forms.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zonedesk.core.charts import Series, chart
from zonedesk.core.exports import Column, export_format, table_response
from zonedesk.core.formviews import form_view
from zonedesk.core.inputs import zone_by_code
from zonedesk.core.models import Zone
from zonedesk.core.numbers import bn, num, whole
from zonedesk.core.permissions import capability_required
from zonedesk.core.views import read_version
from zonedesk.ecosystem import selectors, services
from zonedesk.ecosystem.forms import ActorEndForm, ActorForm, MeasurementForm, TargetForm
from zonedesk.ecosystem.models import Actor, ActorKind, Measurement, Target

EDIT = "ecosystem.edit"


def _zone(request: HttpRequest) -> Zone | None:
    """The zone of ?zone=, its code in any case (`core.inputs.zone_by_code`), else HHTP, else the first."""
    zone = zone_by_code(request.GET.get("zone"))
    return zone or Zone.objects.filter(code="HHTP").first() or Zone.objects.order_by("code").first()


def _charts(card: dict[str, Any], trend: list[dict[str, Any]], years: list[int]) -> dict[str, dict]:
    """The radar of the seven conditions and their trend (a line each over the years), read from
    the rows of the tables beside them."""
    return {
        "radar": chart(
            "radar",
            _("The seven conditions in %(year)s (score, %%)") % {"year": card["year"]},
            card["conditions"],
            label=lambda c: f"{c.condition.number}. {c.condition.short}",
            series=[Series(str(card["year"]), lambda c: c.score), Series(_("Target"), lambda c: 100)],
            id="ecosystem-radar",
            unit="%",
            rmax=100,
        ),
        "trend": chart(
            "line",
            _("Score of each condition over the years (%)"),
            range(len(years)),  # a column of the trend table each
            label=lambda i: str(years[i]),
            series=[
                Series(f"{row['condition'].number}. {row['condition'].short}", lambda i, row=row: row["scores"][i])
                for row in trend
            ],
            id="ecosystem-trend",
            unit="%",
            max=100,
        ),
    }


def _shown(value: Decimal | None) -> Any:
    if value is None:
        return None
    return num(value, 0 if value == value.to_integral_value() else 2)


SCORECARD_COLUMNS = [  # rows: (condition score, indicator row)
    Column(gettext_lazy("Condition"), lambda cr: f"{cr[0].condition.number}. {cr[0].condition.name}"),
    Column(gettext_lazy("Score of the condition (%)"), lambda cr: cr[0].score),
    Column(gettext_lazy("Code"), lambda cr: cr[1].indicator.code),
    Column(gettext_lazy("Indicator"), lambda cr: cr[1].indicator.name),
    Column(gettext_lazy("Unit"), lambda cr: cr[1].indicator.unit),
    Column(gettext_lazy("Lower is better"), lambda cr: cr[1].indicator.lower_is_better),
    Column(gettext_lazy("Value"), lambda cr: cr[1].value),
    Column(gettext_lazy("Target"), lambda cr: cr[1].target),
    Column(gettext_lazy("Attainment (%)"), lambda cr: cr[1].attainment_pct),
    Column(gettext_lazy("Source"), lambda cr: cr[1].source),
]


def scorecard(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    if zone is None:
        return render(request, "ecosystem/scorecard.html", {"zone": None})
    years = selectors.years_with_data(zone)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or 0)
    except ValueError:
        year = 0
    if year not in years:
        past = [y for y in years if y <= today.year]
        year = past[-1] if past else (years[-1] if years else today.year)
    card = selectors.scorecard(zone=zone, year=year)
    if fmt := export_format(request):
        rows = [(c, r) for c in card["conditions"] for r in c.rows]
        name = f"scorecard-{zone.code}-{year}"
        return table_response(fmt=fmt, name=name, columns=SCORECARD_COLUMNS, rows=rows, title=_("Scorecard"))
    for c in card["conditions"]:
        for r in c.rows:
            r.shown = {"value": _shown(r.value), "target": _shown(r.target), "attainment": _shown(r.attainment_pct)}
    trend_years = [y for y in years if y <= max(year, today.year)]
    trend = selectors.trend(zone=zone, years=trend_years)
    actions = selectors.actions(user=request.user, zone=zone, today=today)
    for c in card["conditions"]:
        c.actions = actions.get(c.condition.pk, [])
    return render(
        request,
        "ecosystem/scorecard.html",
        {
            "zone": zone,
            "zones": Zone.objects.order_by("code"),
            "year": year,
            "years": years,
            "card": card,
            "trend": trend,
            "trend_years": trend_years,
            "charts": _charts(card, trend, trend_years),
            "can_edit": services.can_edit(request.user),
        },
    )


ACTOR_COLUMNS = [
    Column(gettext_lazy("Zone"), lambda a: a.zone.code),
    Column(gettext_lazy("Name"), lambda a: a.name_vi),
    Column(gettext_lazy("Name (English)"), lambda a: a.name_en),
    Column(gettext_lazy("Kind"), lambda a: a.get_kind_display()),
    Column(gettext_lazy("Enterprise"), lambda a: a.enterprise.name if a.enterprise_id else None),
    Column(gettext_lazy("Project code"), lambda a: a.project.code if a.project_id else None),
    Column(gettext_lazy("Foreign"), lambda a: a.foreign),
    Column(gettext_lazy("Kind of fund"), lambda a: a.get_fund_kind_display() if a.fund_kind else None),
    Column(gettext_lazy("Capital committed (VND)"), lambda a: a.capital_committed_vnd),
    Column(gettext_lazy("Researchers"), lambda a: a.researchers),
    Column(gettext_lazy("Legal basis"), lambda a: a.legal_basis),
    Column(gettext_lazy("Active from"), lambda a: a.active_from),
    Column(gettext_lazy("Until"), lambda a: a.active_until),
]


def actor_list(request: HttpRequest) -> HttpResponse:
    zone = _zone(request)
    kind = request.GET.get("kind") if request.GET.get("kind") in ActorKind.values else None
    rows = list(selectors.actors(zone=zone, kind=kind)) if zone else []
    if zone and (fmt := export_format(request)):  # the registry as the page lists it
        name = f"ecosystem-actors-{zone.code.lower()}"
        return table_response(fmt=fmt, name=name, columns=ACTOR_COLUMNS, rows=rows, title=_("Registry of actors"))
    for a in rows:
        a.shown_capital = bn(a.capital_committed_vnd)
    return render(
        request,
        "ecosystem/actors.html",
        {
            "zone": zone,
            "zones": Zone.objects.order_by("code"),
            "kind": kind,
            "kinds": ActorKind.choices,
            "actors": rows,
            "can_edit": services.can_edit(request.user),
        },
    )


def _page(*, title: str, lead: str, actors: bool = False, version: int | None = None) -> dict[str, Any]:
    """What the page of one form (core.formviews.FORM_PAGE) shows around an ecosystem form."""
    back = reverse("ecosystem_actors" if actors else "ecosystem_scorecard")
    label = _("Registry of actors") if actors else _("Innovation ecosystem")
    return {"title": title, "lead": lead, "back": back, "back_label": label, "version": version}


def _posted_version(request: HttpRequest) -> int:
    """The version of the target or measurement the form replaces: 0 when its writer knows of none
    (a new form); after a conflict, the one the page then showed."""
    return whole(request.POST.get("version"), max_digits=9) or 0


def _form_page(request: HttpRequest, form_class, model, save, done: str, **page: Any) -> HttpResponse:
    """A new target or measurement of an indicator, zone and year, which replaces the one there is
    only when its writer has seen it: a first send that finds one is refused with its value (409),
    and the page, sent again, replaces that one (unless it changed again meanwhile)."""
    posted = _posted_version(request) if request.method == "POST" else 0

    def shown_version(form) -> int:
        if not getattr(form, "conflict", False):
            return posted
        cd = form.cleaned_data  # the one there is now, which the page sent again replaces
        return model.objects.get(indicator=cd["indicator"], zone=cd["zone"], year=cd["year"]).version

    return form_view(
        request,
        form_class(request.POST or None, initial={"zone": request.GET.get("zone") or "HHTP"}),
        write=lambda cd: save(cd, posted),
        message=done,
        success=lambda zone: f"{reverse('ecosystem_scorecard')}?zone={zone.code}",
        context=lambda form: _page(version=shown_version(form), **page),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def measurement_new(request: HttpRequest) -> HttpResponse:
    def save(cd, version):
        services.measurement_record(
            by=request.user,
            indicator=cd["indicator"],
            zone=cd["zone"],
            year=cd["year"],
            value=cd["value"],
            source=cd["source"],
            version=version,
        )
        return cd["zone"]

    return _form_page(
        request,
        MeasurementForm,
        Measurement,
        save,
        _("The measurement was recorded."),
        title=_("Record a measurement"),
        lead=_(
            "Only measured indicators are listed: the counts of the registry of actors are never typed in. "
            "A new value for the same year replaces the old one."
        ),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def target_new(request: HttpRequest) -> HttpResponse:
    def save(cd, version):
        services.target_set(
            by=request.user,
            indicator=cd["indicator"],
            zone=cd["zone"],
            year=cd["year"],
            value=cd["value"],
            note=cd["note"],
            version=version,
        )
        return cd["zone"]

    return _form_page(
        request,
        TargetForm,
        Target,
        save,
        _("The target was set."),
        title=_("Set a target"),
        lead=_(
            "The target of an indicator for a zone and a year. A new target for the same year replaces the old one."
        ),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def actor_new(request: HttpRequest) -> HttpResponse:
    return form_view(
        request,
        ActorForm(request.POST or None, initial={"zone": request.GET.get("zone") or "HHTP"}),
        write=lambda cd: services.actor_create(by=request.user, **cd),
        message=lambda actor: _("“%(name)s” was added to the registry.") % {"name": actor.name},
        success=lambda actor: f"{reverse('ecosystem_actors')}?zone={actor.zone.code}",
        context=_page(
            title=_("Add an actor"),
            lead=_(
                "A fund says its kind; a sandbox pilot its legal basis and the day it was approved to start; "
                "an infrastructure work counts as built from the day it was completed."
            ),
            actors=True,
        ),
    )


@capability_required(EDIT)
@require_http_methods(["GET", "POST"])
def actor_end(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_object_or_404(Actor, pk=pk)
    version = read_version(request, actor)
    return form_view(
        request,
        ActorEndForm(request.POST or None, initial={"on": timezone.localdate()}),
        write=lambda cd: services.actor_end(by=request.user, actor=actor, on=cd["on"], version=version),
        message=_("“%(name)s” no longer counts after that day.") % {"name": actor.name},
        success=f"{reverse('ecosystem_actors')}?zone={actor.zone.code}",
        context=_page(title=_("An actor closes or a pilot ends"), lead=actor.name, actors=True, version=version),
    )
