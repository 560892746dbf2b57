"""Pages of the investment registry: the public home, the project list and detail, the board's
dashboard and the enterprise portal.

Views stay thin: they parse the request, ask the permission layer, call selectors (reads) and
services (writes) and render. The only work done here is presentation: money in billion VND,
rates in per cent, chart data for `json_script`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from zonedesk.core.charts import Series, chart
from zonedesk.core.exports import Column, export_format, table_response
from zonedesk.core.formviews import bind, form_view
from zonedesk.core.inputs import zone_among
from zonedesk.core.models import Zone
from zonedesk.core.numbers import bn, bn_value, num, pct
from zonedesk.core.permissions import capability_required, get_restricted_or_404
from zonedesk.core.views import read_version
from zonedesk.investment import selectors, services
from zonedesk.investment.forms import ProjectFilterForm, ProjectStatusForm, ReportCorrectForm, ReportSubmitForm
from zonedesk.investment.models import REPORT_FIGURES, PeriodicReport, PeriodKind, Project, period_end, period_label

PAGE_SIZE = 25
DASHBOARD_ROWS = 10  # rows per dashboard table; "see all" leads to the whole list, paged
LIST_PAGE = 25  # rows a page of a dashboard's whole list

# --- presentation helpers ---------------------------------------------------------------------


def present_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """`selectors.zone_figures` with every number ready to show."""
    projects = figures["projects"]
    return figures | {
        "shown": {
            "projects": num(projects["total"]),
            "domestic": num(projects["domestic"]),
            "foreign": num(projects["foreign"]),
            "registered_capital": bn(figures["registered_capital_vnd"]),
            "disbursed_capital": bn(figures["disbursed_capital_vnd"]),
            "revenue": bn(figures["revenue_vnd"]),
            "export": bn(figures["export_vnd"]),
            "workers": num(figures["workers"]),
            "workers_degree": num(figures["workers_degree"]),
            "disbursement_rate": pct(figures["disbursement_rate"]),
            "land_registration_rate": pct(figures["land_registration_rate"]),
            "land_area_ha": num(Decimal(str(figures["land_area_m2"])) / 10_000, None),
        },
        "as_of_date": dt.date.fromisoformat(figures["as_of"]),
        # the current year: its flows are what the reports have brought so far
        "to_date": figures["as_of"] < f"{figures['year']}-12-31",
    }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _show_report(report: PeriodicReport) -> PeriodicReport:
    report.shown = {f: num(getattr(report, f)) for f in REPORT_FIGURES}
    return report


def zone_charts(*, zone: Zone | None, year: int, figures: dict[str, Any]) -> tuple[dict[str, dict], dict[str, list]]:
    """The three charts of a zone (or all zones) and the rows behind them, for the data tables."""
    by_year = [
        r | {"bn": bn_value(r["capital_vnd"]), "foreign_bn": bn_value(r["foreign_capital_vnd"])}
        for r in selectors.capital_by_year(zone=zone, until=year)
    ]
    for r in by_year:
        r["shown"] = {
            "projects": num(r["projects"]),
            "capital": num(r["bn"], None),
            "foreign": num(r["foreign_bn"], None),
        }
    sectors = [
        r | {"shown": {"projects": num(r["projects"]), "capital": bn(r["capital_vnd"])}}
        for r in selectors.sector_mix(zone=zone, year=year)
    ]
    billion, projects = _("billion VND"), _("projects")
    domestic, foreign = _("Domestic"), _("Foreign-invested")
    ownership = [(domestic, figures["projects"]["domestic"]), (foreign, figures["projects"]["foreign"])]
    return {
        "capital": chart(
            "bar",
            _("Capital at first registration, by year"),
            by_year,
            label=lambda r: r["year"],
            series=[
                Series(domestic, lambda r: _float(r["bn"] - r["foreign_bn"])),
                Series(foreign, lambda r: _float(r["foreign_bn"])),
            ],
            unit=billion,
            stacked=True,
        ),
        "ownership": chart(
            "doughnut",
            _("Projects: domestic and foreign-invested"),
            ownership,
            label=lambda r: r[0],
            series=[Series(_("Projects"), lambda r: r[1])],
            unit=projects,
        ),
        "sectors": chart(
            "bar",
            _("Projects by sector"),
            sectors,
            label=lambda r: r["label"],
            series=[Series(_("Projects"), lambda r: r["projects"])],
            unit=projects,
            horizontal=True,
        ),
    }, {"by_year": by_year, "sectors": sectors}


# --- request parsing ----------------------------------------------------------------------


def _year_choices(today: dt.date) -> list[int]:
    first = Project.objects.aggregate(first=Min("certificate_date"))["first"]
    start = first.year if first else today.year - 1
    return list(range(today.year, start - 1, -1))


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return default
    return year if 1990 <= year <= 2200 else default


def _zone(request: HttpRequest, zones: list[Zone]) -> Zone | None:
    return zone_among(zones, request.GET.get("zone"))  # its code in any case (core.inputs)


def _scope(request: HttpRequest) -> dict[str, Any]:
    """Zone and year chosen on the home page and the dashboard."""
    today = timezone.localdate()
    zones = list(Zone.objects.all())
    zone = _zone(request, zones)
    year = _year(request, selectors.default_year())
    years = sorted({*_year_choices(today), year}, reverse=True)
    return {"zones": zones, "zone": zone, "year": year, "years": years, "today": today}


# --- public pages -------------------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    year = scope["year"]
    rows = [{"zone": z, "figures": present_figures(selectors.zone_figures(zone=z, year=year))} for z in scope["zones"]]
    total = present_figures(selectors.zone_figures(zone=None, year=year))
    focus = next((r["figures"] for r in rows if r["zone"] == scope["zone"]), total)
    charts, chart_tables = zone_charts(zone=scope["zone"], year=year, figures=focus)
    return render(
        request,
        "investment/home.html",
        {**scope, "rows": rows, "total": total, "figures": focus, "charts": charts, **chart_tables},
    )


PROJECT_COLUMNS = [  # the public fields the list shows, whole (money in đồng, not rounded)
    Column(gettext_lazy("Project code"), lambda p: p.code),
    Column(gettext_lazy("Project"), lambda p: p.name),
    Column(gettext_lazy("Enterprise"), lambda p: p.enterprise.name),
    Column(gettext_lazy("Zone"), lambda p: p.zone.code),
    Column(gettext_lazy("Sector"), lambda p: p.get_sector_display()),
    Column(gettext_lazy("Status"), lambda p: p.get_status_display()),
    Column(gettext_lazy("Foreign-invested"), lambda p: p.is_foreign_invested),
    Column(gettext_lazy("Registered capital (VND)"), lambda p: p.registered_capital_vnd),
    Column(gettext_lazy("Certificate date"), lambda p: p.certificate_date),
    Column(gettext_lazy("synthetic (demo) data"), lambda p: p.is_synthetic),
]


def project_list(request: HttpRequest) -> HttpResponse:
    zones = list(Zone.objects.all())
    form = ProjectFilterForm(request.GET or None, zones=zones)
    form.is_valid()  # an unknown choice is dropped; the other filters still apply
    filters = selectors.ProjectFilters.from_mapping(getattr(form, "cleaned_data", {}))
    if fmt := export_format(request):  # the same filters, every row
        rows = selectors.project_list(user=request.user, filters=filters).select_related("zone", "enterprise")
        return table_response(
            fmt=fmt, name="projects", columns=PROJECT_COLUMNS, rows=rows.iterator(2000), title=_("Projects")
        )
    page = Paginator(selectors.project_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for p in page.object_list:
        p.capital_bn = bn(p.registered_capital_vnd)
    context = {
        "form": form,
        "page": page,
        "count": num(page.paginator.count),
        "filtered": any(vars(filters).values()),
    }
    # htmx live filtering swaps only the results; a history restore gets the whole page.
    partial = request.headers.get("HX-Target") == "project-results" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    response = render(
        request, "investment/_project_results.html" if partial else "investment/project_list.html", context
    )
    response["Vary"] = "HX-Request, HX-Target"
    return response


def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = get_restricted_or_404(
        Project.objects.select_related("zone", "enterprise"), request.user, "view", code=code
    )
    today = timezone.localdate()
    shares = list(project.shares.select_related("investor"))
    for share in shares:
        share.capital_bn = bn(share.capital_vnd)
        share.percent = (
            pct(share.capital_vnd / project.registered_capital_vnd) if project.registered_capital_vnd else None
        )
    milestones = list(project.milestones.all())
    for m in milestones:
        m.overdue = m.actual_date is None and m.planned_date < today
        m.late_days = (m.actual_date - m.planned_date).days if m.actual_date else None
    context: dict[str, Any] = {
        "project": project,
        "shown": {
            "capital": bn(project.registered_capital_vnd),
            "capital_vnd": num(project.registered_capital_vnd),
            "capital_usd": num(project.registered_capital_usd),
            "initial_capital": bn(project.initial_capital_vnd),
            "land_m2": num(project.land_area_m2, None),
            "land_ha": num(project.land_area_m2 / 10_000, None),
        },
        "shares": shares,
        "milestones": milestones,
        "status_changes": project.status_changes.all(),
        "amendments": project.amendments.all(),
        "today": today,
        "show_private": Project.objects.restrict(request.user, "view_private").filter(pk=project.pk).exists(),
        "can_report": Project.objects.restrict(request.user, "report").filter(pk=project.pk).exists(),
    }
    if context["show_private"]:
        context |= _private_project_context(request, project, today)
    return render(request, "investment/project_detail.html", context)


def _private_project_context(request: HttpRequest, project: Project, today: dt.date) -> dict[str, Any]:
    reports = PeriodicReport.objects.restrict(request.user, "view").filter(project=project)
    periods: dict[tuple, dict[str, Any]] = {}
    for r in reports.order_by("-year", "-period_kind", "-quarter", "-version"):  # the year before its quarters
        entry = periods.setdefault((r.period_kind, r.year, r.quarter), {"current": None, "earlier": []})
        _show_report(r)
        if r.is_current:
            entry["current"] = r
        else:
            entry["earlier"].append(r)
    selectors.report_timeliness([p["current"] for p in periods.values() if p["current"] is not None])
    last = today.year - 1
    years = range(max(project.certificate_date.year, last - 9), last + 1)
    series = selectors.project_yearly_series(project=project, years=years) if len(years) else []
    charts = {}
    if series:
        charts["revenue"] = chart(
            "bar",
            _("Revenue against target"),
            series,
            label=lambda r: r["year"],
            series=[
                Series(_("Revenue"), lambda r: _float(bn_value(r["revenue_vnd"]))),
                Series(_("Target"), lambda r: _float(bn_value(r["target_revenue_vnd"])), line=True),
            ],
            unit=_("billion VND"),
        )
        charts["workers"] = chart(
            "bar",
            _("Workers against target"),
            series,
            label=lambda r: r["year"],
            series=[
                Series(_("Workers"), lambda r: r["workers"]),
                Series(_("Target"), lambda r: r["target_workers"], line=True),
            ],
            unit=_("people"),
        )
    return {
        "report_periods": [p for p in periods.values() if p["current"] is not None],
        "series": series,
        "project_charts": charts,
        "targets": {
            "workers": num(project.target_workers),
            "revenue": bn(project.target_revenue_vnd),
            "export": bn(project.target_export_vnd),
        },
    }


# --- the board's dashboard ----------------------------------------------------------------


def _behind_rows(*, zone: Zone | None, today: dt.date) -> list[dict[str, Any]]:
    """Projects behind schedule, the most overdue first (the selector's order)."""
    rows = selectors.projects_behind_schedule(zone=zone, today=today)
    for row in rows:
        row["days_shown"] = num(row["days_overdue"])
    return rows


def _late_rows(*, zone: Zone | None, today: dt.date) -> list[dict[str, Any]]:
    """Periodic reports not filed by their due date, the latest first."""
    late = [
        {"obligation": o, "days_late": o.days_late, "days_shown": num(o.days_late)}
        for o in selectors.late_reports(zone=zone, today=today)
    ]
    late.sort(key=lambda r: (-r["days_late"], r["obligation"].project.code))
    return late


def _results_rows(request: HttpRequest, *, zone: Zone | None, year: int) -> list[dict[str, Any]]:
    """Projects with targets in their certificate, the furthest from target first."""
    projects = Project.objects.restrict(request.user, "view_private")
    if zone is not None:
        projects = projects.filter(zone=zone)
    results = [_result_row(r) for r in selectors.results_vs_targets(projects=projects, year=year)]
    results.sort(key=lambda r: (r["worst_rate"] is None, r["worst_rate"] or 0, r["project"].code))
    return results


@capability_required("dashboard.view")
def dashboard(request: HttpRequest) -> HttpResponse:
    """What a leader reads first: the headline figures and the charts, then the few most urgent
    rows of each list (`DASHBOARD_ROWS`), each with a link to the whole list, paged."""
    scope = _scope(request)
    zone, year, today = scope["zone"], scope["year"], scope["today"]
    figures = present_figures(selectors.zone_figures(zone=zone, year=year))
    charts, chart_tables = zone_charts(zone=zone, year=year, figures=figures)
    behind = _behind_rows(zone=zone, today=today)
    late = _late_rows(zone=zone, today=today)
    results = _results_rows(request, zone=zone, year=year)
    return render(
        request,
        "investment/dashboard.html",
        {
            **scope,
            "figures": figures,
            "charts": charts,
            **chart_tables,
            "behind": behind[:DASHBOARD_ROWS],
            "behind_total": len(behind),
            "behind_serious": sum(1 for r in behind if r["serious"]),
            "results": results[:DASHBOARD_ROWS],
            "results_total": len(results),
            "late": late[:DASHBOARD_ROWS],
            "late_total": len(late),
            "row_limit": DASHBOARD_ROWS,
        },
    )


DASHBOARD_LISTS = {  # the dashboard's lists, whole: their titles and templates
    "behind": (gettext_lazy("Projects behind schedule"), "investment/_behind_table.html"),
    "late": (gettext_lazy("Late reports"), "investment/_late_table.html"),
    "targets": (gettext_lazy("Results against targets"), "investment/_targets_table.html"),
}


def _dashboard_list(request: HttpRequest, which: str) -> HttpResponse:
    """One list of the dashboard, every row, `LIST_PAGE` a page, for the same zone and year."""
    scope = _scope(request)
    zone, year, today = scope["zone"], scope["year"], scope["today"]
    if which == "behind":
        rows = _behind_rows(zone=zone, today=today)
    elif which == "late":
        rows = _late_rows(zone=zone, today=today)
    else:
        rows = _results_rows(request, zone=zone, year=year)
    page = Paginator(rows, LIST_PAGE).get_page(request.GET.get("page"))
    title, table = DASHBOARD_LISTS[which]
    return render(
        request,
        "investment/dashboard_list.html",
        {**scope, "which": which, "title": title, "table": table, "page": page, "rows": page.object_list},
    )


@capability_required("dashboard.view")
def dashboard_behind(request: HttpRequest) -> HttpResponse:
    return _dashboard_list(request, "behind")


@capability_required("dashboard.view")
def dashboard_late(request: HttpRequest) -> HttpResponse:
    return _dashboard_list(request, "late")


@capability_required("dashboard.view")
def dashboard_targets(request: HttpRequest) -> HttpResponse:
    return _dashboard_list(request, "targets")


def _result_row(row: dict[str, Any]) -> dict[str, Any]:
    def money(vs):
        return vs | {"actual_shown": bn(vs["actual"]), "target_shown": bn(vs["target"]), "pct": pct(vs["rate"])}

    vs = row["workers"]
    workers = vs | {"actual_shown": num(vs["actual"]), "target_shown": num(vs["target"]), "pct": pct(vs["rate"])}
    revenue, export = money(row["revenue_vnd"]), money(row["export_vnd"])
    rates = [vs["rate"] for vs in (workers, revenue, export) if vs["rate"] is not None]
    return {
        "project": row["project"],
        "workers": workers,
        "revenue": revenue,
        "export": export,
        "worst_rate": min(rates) if rates else None,
    }


# --- the enterprise portal ----------------------------------------------------------------


@capability_required("portal.view")
def portal(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.restrict(request.user, "report").select_related("zone")
    obligations = selectors.report_obligations(projects=projects)
    counts = {state: sum(1 for o in obligations if o.state == state) for state in ("late", "due", "filed")}
    recent = selectors.report_timeliness(
        [
            _show_report(r)
            for r in PeriodicReport.objects.restrict(request.user, "view")
            .filter(is_current=True)
            .select_related("project")
            .order_by("-submitted_at", "-pk")[:20]
        ]
    )
    return render(
        request,
        "investment/portal.html",
        {
            "enterprise": request.user.enterprise,
            "projects": list(projects.order_by("code").prefetch_related("roadmaps")),
            "obligations": obligations,
            "counts": counts,
            "recent": recent,
        },
    )


def _period_in(data: Any) -> tuple[str, int, int] | None:
    """The period a report form names (kind, year, quarter), or None while it is incomplete."""
    kind = data.get("period_kind") or ""
    try:
        year = int(data.get("year") or "")
        quarter = int(data.get("quarter") or 0) if kind == PeriodKind.QUARTER else 0
    except ValueError:
        return None
    if (
        kind not in PeriodKind.values
        or not 1990 <= year <= 2200
        or (kind == PeriodKind.QUARTER and quarter not in (1, 2, 3, 4))
    ):
        return None
    return kind, year, quarter


def _report_form_context(form: ReportSubmitForm, project: Project | None, period, previous, today: dt.date):
    """What the report form shows beside its fields: the period's due date and how late filing
    it today is, and last period's figures the form starts from."""
    due = None
    if period is not None:
        due_date = selectors.report_due_date(*period)
        due = {
            "label": period_label(*period),
            "due_date": due_date,
            "days_late": selectors.days_late(due_date, today),
            "days_left": max((due_date - today).days, 0),
            "ended": period_end(*period) < today,
        }
    shown = {f: num(getattr(previous, f)) for f in REPORT_FIGURES} if previous is not None else {}
    return {
        "form": form,
        "project": project,
        "due": due,
        "previous": previous,
        "figure_rows": [(field, shown.get(field.name)) for field in form.figure_fields()],
    }


def _previous(project: Project | None, period: tuple[str, int, int] | None) -> PeriodicReport | None:
    if project is None or period is None:
        return None
    return selectors.previous_report(project=project, period_kind=period[0], year=period[1], quarter=period[2])


@capability_required("report.file")
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    projects = Project.objects.restrict(request.user, "report").order_by("code")
    today = timezone.localdate()
    data = request.POST if request.method == "POST" else request.GET
    project = None
    if data.get("project"):  # another enterprise's project does not exist for this person
        project = get_restricted_or_404(Project.objects.all(), request.user, "report", code=data["project"])
    if request.method == "POST":
        period = _period_in(request.POST)
        form = ReportSubmitForm(request.POST, projects=projects)
        previous = None  # read only to show the form again
    else:
        initial: dict[str, Any] = {
            k: request.GET[k] for k in ("project", "period_kind", "year", "quarter") if request.GET.get(k)
        }
        period = _period_in(request.GET)
        if period is None:  # opened from "File a report": the report owed longest (of the project, if named)
            mine = projects if project is None else projects.filter(pk=project.pk)
            owed = [o for o in selectors.report_obligations(projects=mine, today=today) if o.report is None]
            if owed:
                first = min(owed, key=lambda o: (o.due_date, o.project.code))
                project, period = first.project, (first.period_kind, first.year, first.quarter)
                initial |= {"project": project.code, "period_kind": first.period_kind, "year": first.year}
                initial["quarter"] = first.quarter or ""
        previous = _previous(project, period)
        if previous is not None:  # the person changes what changed
            initial |= {f: getattr(previous, f) for f in REPORT_FIGURES}
        form = ReportSubmitForm(initial=initial, projects=projects)

    def write(cd: dict[str, Any]) -> PeriodicReport | None:
        if project is None:  # never with a valid form (its project is required); said beside the field
            form.add_error("project", form.fields["project"].error_messages["required"])
            return None
        return services.report_submit(
            project=project,
            period_kind=cd["period_kind"],
            year=cd["year"],
            quarter=cd["quarter"],
            figures=form.figures(),
            by=request.user,
        )

    def page(form: ReportSubmitForm, status: int) -> HttpResponse:
        shown = previous if request.method != "POST" else _previous(project, period)
        context = _report_form_context(form, project, period, shown, today)
        return render(request, "investment/report_form.html", context, status=status)

    return form_view(
        request,
        form,
        write=write,
        message=lambda report: (
            _("The report of %(project)s for %(period)s was filed.")
            % {"project": project.code, "period": report.period_label}
        ),
        success=lambda report: f"{reverse('portal')}#report-{report.pk}",
        page=page,
    )


@capability_required("report.file")
@require_http_methods(["GET", "POST"])
def report_correct(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_restricted_or_404(PeriodicReport.objects.select_related("project"), request.user, "report", pk=pk)
    if not report.is_current and request.method != "POST":  # a correction starts from the current version
        current = PeriodicReport.objects.restrict(request.user, "report").get(
            project_id=report.project_id,
            period_kind=report.period_kind,
            year=report.year,
            quarter=report.quarter,
            is_current=True,
        )
        return redirect("report_correct", pk=current.pk)
    version = read_version(request, report)  # the version the page showed: corrected since, 409
    form = bind(request, ReportCorrectForm, initial=lambda: {f: getattr(report, f) for f in REPORT_FIGURES})
    return form_view(
        request,
        form,
        write=lambda cd: services.report_correct(
            report=report, figures=form.figures(), reason=cd["correction_reason"], by=request.user, version=version
        ),
        message=lambda new: (
            _("The report of %(project)s for %(period)s was corrected (version %(version)s).")
            % {"project": report.project.code, "period": new.period_label, "version": new.version}
        ),
        success=lambda new: f"{reverse('portal')}#report-{new.pk}",
        page="investment/report_correct.html",
        context={"report": report, "version": version},
    )


@capability_required("registry.edit")
@require_http_methods(["GET", "POST"])
def project_status(request: HttpRequest, code: str) -> HttpResponse:
    project = get_restricted_or_404(Project.objects.select_related("zone"), request.user, "change", code=code)
    version = read_version(request, project)
    return form_view(
        request,
        bind(request, ProjectStatusForm, initial=lambda: {"effective_date": timezone.localdate()}, project=project),
        write=lambda cd: services.project_change_status(
            project=project,
            to_status=cd["to_status"],
            reason=cd["reason"],
            effective_date=cd["effective_date"],
            by=request.user,
            version=version,
        ),
        message=_("The status of %(project)s was changed.") % {"project": project.code},
        success=reverse("project_detail", kwargs={"code": project.code}),
        page="investment/project_status.html",
        context={"project": project, "version": version},
    )
