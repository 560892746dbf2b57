"""The board's periodic report: a printable page and the same report as an XLSX workbook."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.core.charts import Series, chart
from zonedesk.core.inputs import zone_among
from zonedesk.core.models import Zone
from zonedesk.core.numbers import bn, bn_value, num, pct
from zonedesk.core.permissions import capability_required
from zonedesk.investment.selectors import default_year
from zonedesk.reporting import workbook
from zonedesk.reporting.selectors import board_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FLOWS = ("revenue_vnd", "export_vnd", "import_vnd", "taxes_paid_vnd")


def _scope(request: HttpRequest) -> tuple[dict[str, Any], list[str]]:
    """Zone (blank: every zone) and year of the form, with the errors of what could not be read."""
    today = timezone.localdate()
    zones = list(Zone.objects.order_by("code"))
    errors = []
    code = request.GET.get("zone", "").strip()
    zone = zone_among(zones, code)  # its code in any case (core.inputs)
    if code and zone is None:
        errors.append(_("Unknown zone “%(code)s”.") % {"code": code})
    raw = request.GET.get("year", "").strip()
    year = default_year(today=today)  # the dashboard's default: this year to date once reported
    if raw:
        try:
            year = int(raw)
        except ValueError:
            errors.append(_("Enter the year as four digits."))
        else:
            if not 2000 <= year <= today.year:
                errors.append(_("Choose a year from 2000 to %(year)s.") % {"year": today.year})
                year = today.year
    years = list(range(today.year, today.year - 15, -1))
    return {"zones": zones, "zone": zone, "year": year, "years": years}, errors


def _shown(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        show = bn if r["unit"] == "vnd" else num
        r["shown"] = {"now": show(r["now"]), "before": show(r["before"]), "change": num(r["change_pct"], 1)}


def _charts(report: dict[str, Any], score_rows: list[dict[str, Any]]) -> dict[str, dict]:
    """The page's charts (Chart.js through static/zonedesk/zonedesk.js), read from the rows of
    the tables beside them."""
    year, last = str(report["year"]), str(report["year"] - 1)
    flows = [r for r in report["results"] if r["key"] in FLOWS]
    agencies = [a for a in report["agencies"] if a["key"]]
    cards = report["scorecards"]
    return {
        "results": chart(
            "bar",
            _("Results against last year"),
            flows,
            label=lambda r: str(r["label"]),
            series=[
                Series(year, lambda r: float(bn_value(r["now"]) or 0)),
                Series(last, lambda r: float(bn_value(r["before"]) or 0)),
            ],
            unit=_("billion VND"),
        ),
        "petitions": chart(
            "bar",
            _("Petitions resolved on time, by agency"),
            agencies,
            label=lambda a: a["name"],
            series=[
                Series(_("Received"), lambda a: a["received"]),
                Series(_("Resolved on time"), lambda a: a["resolved_on_time"]),
            ],
            unit=_("petitions"),
            horizontal=True,
            integer=True,
        ),
        "clearance": chart(
            "bar",
            _("Site clearance: area handed over"),
            report["clearance"],
            label=lambda c: c["zone"].code,
            series=[Series(_("Area handed over (%)"), lambda c: c["totals"].area_pct or 0)],
            unit="%",
            max=100,
        ),
        "scorecard": chart(
            "bar",
            _("Ecosystem score by condition"),
            score_rows,
            label=lambda r: r["condition"].short,
            series=[
                Series(card["zone"].code, lambda r, i=i: None if r["scores"][i] is None else float(r["scores"][i]))
                for i, card in enumerate(cards)
            ],
            unit="%",
            max=100,
        ),
    }


REPORT_ROWS = 15  # projects behind schedule listed on the page


@capability_required("dashboard.view")
def report_page(request: HttpRequest) -> HttpResponse:
    scope, errors = _scope(request)
    if errors:
        return render(request, "reporting/board_report.html", {**scope, "errors": errors}, status=400)
    report = board_report(user=request.user, zone=scope["zone"], year=scope["year"])
    if request.GET.get("format") == "xlsx":
        name = f"bao-cao-{(scope['zone'].code if scope['zone'] else 'tat-ca').lower()}-{scope['year']}.xlsx"
        response = HttpResponse(workbook.build(report), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    _shown(report["results"])
    _shown(report["attraction"])
    for a in [*report["agencies"], report["petitions"]]:
        a["shown"] = {
            "received": num(a["received"]),
            "resolved": num(a["resolved"]),
            "on_time": num(a["resolved_on_time"]),
            "rate": pct(a["resolved_on_time_rate"]),
            "overdue": num(a["overdue"]),
        }
    behind = report["behind"][:REPORT_ROWS]  # the most overdue; the dashboard's list and the workbook have all
    for r in behind:
        r["days_shown"] = num(r["days_overdue"])
    cards = report["scorecards"]
    score_rows = [
        {"condition": c.condition, "scores": [card["conditions"][i].score for card in cards]}
        for i, c in enumerate(cards[0]["conditions"] if cards else [])
    ]
    context = {
        **scope,
        "report": report,
        "behind": behind,
        "row_limit": REPORT_ROWS,
        "charts": _charts(report, score_rows),
        "score_rows": score_rows,
    }
    return render(request, "reporting/board_report.html", context)
