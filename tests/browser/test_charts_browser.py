"""Issue 22, item 2: every chart draws what its table says.

On the whole demo, Chromium opens each page with charts, waits until Chart.js has finished
animating, and reads what is drawn: for a bar, the value at the end of the bar less the value at
its base (its pixels read back through the chart's own value axis); for a line or radar point,
the value at its position; for a doughnut slice, its share of the circle. Each is compared with
the number shown in the table (or the figures) beside the chart. Every kind of chart the site
draws is read: vertical and horizontal bars, grouped and stacked, counts and rates on a fixed
0-100 axis, a doughnut, lines (stepped and on a fixed axis) and a radar.

The bug it guards against: a chart with a fixed 0-100 axis had its axis set by an update while
its first animation ran, so its bars kept the lengths of the first scale (69.2% drawn at full
length, 51% at about 85%).
"""

from __future__ import annotations

import re

import pytest
from django.db.models import Count
from django.urls import reverse

from tests.browser.conftest import new_visit

pytestmark = [pytest.mark.browser, pytest.mark.demo_writes]

# What a chart draws, read back from its elements' geometry (after the animations end).
DRAWN = """(canvas) => {
  const chart = window.Chart.getChart(canvas);
  if (!chart) return null;
  const horizontal = chart.options.indexAxis === "y";
  return {
    labels: chart.data.labels.map(String),
    datasets: chart.data.datasets.map((ds, i) => {
      const meta = chart.getDatasetMeta(i);
      if (meta.type === "doughnut") {
        return { label: ds.label, kind: "doughnut", range: 1,
                 drawn: meta.data.map((arc) => (arc.endAngle - arc.startAngle) / (2 * Math.PI)) };
      }
      if (meta.type === "radar") {
        const r = chart.scales.r;
        return { label: ds.label, kind: "radar", range: r.max - r.min,
                 drawn: meta.data.map((pt, j) => ds.data[j] == null ? null
                   : r.getValueForDistanceFromCenter(Math.hypot(pt.x - r.xCenter, pt.y - r.yCenter))) };
      }
      const scale = chart.scales[meta.vAxisID];
      return { label: ds.label, kind: meta.type, range: scale.max - scale.min,
               drawn: meta.data.map((el, j) => {
                 if (ds.data[j] == null) return null;
                 const end = scale.getValueForPixel(horizontal ? el.x : el.y);
                 return meta.type === "bar" ? end - scale.getValueForPixel(el.base) : end;
               }) };
    }),
  };
}"""

SETTLED = """(n) => {
  const charts = Object.values(window.Chart ? window.Chart.instances : {});
  return charts.length === n && charts.every((c) => !window.Chart.animator.running(c));
}"""

CELLS = """(selector) => Array.from(document.querySelectorAll(selector + " tbody tr"))
  .map((tr) => Array.from(tr.cells).map((c) => c.textContent.replace(/\\s+/g, " ").trim()))"""


def number(text: str) -> tuple[float | None, int]:
    """A number as the page writes it in Vietnamese (1.234,5 · 69,2% · —), and its decimals."""
    match = re.search(r"-?[\d.]+(,\d+)?", text or "")
    if not match:
        return None, 0
    written = match.group(0)
    decimals = len(match.group(1)) - 1 if match.group(1) else 0
    return float(written.replace(".", "").replace(",", ".")), decimals


def settle(page) -> None:
    n = page.locator("canvas[data-chart]").count()
    page.wait_for_function("(n) => document.querySelectorAll('canvas[data-chart][data-drawn]').length === n", arg=n)
    page.wait_for_function(SETTLED, arg=n)
    page.wait_for_timeout(150)  # and a frame or two later, still settled
    page.wait_for_function(SETTLED, arg=n)


def drawn(page, chart_id: str) -> dict:
    result = page.locator(f'canvas[data-chart="{chart_id}"]').evaluate(DRAWN)
    assert result, f"no chart drawn on {chart_id}"
    return result


def rows(page, selector: str) -> list[list[str]]:
    found = page.evaluate(CELLS, selector)
    assert found, f"no table rows for {selector}"
    return found


class Check:
    """Collects every mismatch between what a chart draws and what its table says."""

    def __init__(self):
        self.wrong: list[str] = []
        self.compared = 0

    def values(self, where: str, chart: dict, dataset: int, expected: list[str | float | None]) -> None:
        ds = chart["datasets"][dataset]
        assert len(ds["drawn"]) == len(expected), f"{where}: {len(ds['drawn'])} drawn, {len(expected)} in the table"
        for label, got, want in zip(chart["labels"], ds["drawn"], expected, strict=True):
            value, decimals = number(want) if isinstance(want, str) else (want, 3)
            value = value or 0.0  # "—" in a table: nothing drawn, or a zero-length bar
            # a pixel's worth of the axis, and half the last digit the table shows
            tolerance = 0.01 * ds["range"] + 0.5 * 10**-decimals
            self.compared += 1
            if abs((got or 0.0) - value) > tolerance:
                self.wrong.append(f"{where} · {ds['label']} · {label}: drawn {got or 0:.2f}, table {want}")


def test_every_chart_draws_the_numbers_of_its_table(demo_site, browser, settings):
    """On the run's demo (tests/conftest.py), served by `demo_site` (tests/browser/conftest.py)."""
    from zonedesk.dialogue.models import Conference
    from zonedesk.roadmaps.models import Roadmap, RoadmapKind
    from zonedesk_demo.investment import DEMO_PASSWORD

    settings.DEMO_MODE = True
    visit = new_visit(browser, demo_site.url, timeout=60_000)
    page = visit.page
    check = Check()

    # the home page: capital by year (stacked bars), projects (doughnut), sectors (horizontal bars)
    visit.goto("/")
    settle(page)
    capital = drawn(page, "chart-capital")
    by_year = rows(page, 'figure:has(canvas[data-chart="chart-capital"]) table')
    total, foreign = [number(r[2])[0] or 0 for r in by_year], [number(r[3])[0] or 0 for r in by_year]
    check.values("home: capital, domestic", capital, 0, [t - f for t, f in zip(total, foreign, strict=True)])
    check.values("home: capital, foreign-invested", capital, 1, foreign)
    projects = [
        number(n)[0]
        for n in re.findall(r"[\d.]+", page.locator('li:has([data-figure="projects"]) .figure-note').inner_text())
    ]
    check.values("home: projects", drawn(page, "chart-ownership"), 0, [p / sum(projects) for p in projects])
    sectors = rows(page, 'figure:has(canvas[data-chart="chart-sectors"]) table')
    check.values("home: sectors", drawn(page, "chart-sectors"), 0, [r[1] for r in sectors])

    # published answers: petitions by month (grouped bars), on time by agency (0-100), categories
    visit.goto(reverse("public_answers"))
    settle(page)
    months = rows(page, 'figure:has(canvas[data-chart="chart-petition-months"]) table')
    chart = drawn(page, "chart-petition-months")
    check.values("answers: months, received", chart, 0, [r[1] for r in months])
    check.values("answers: months, resolved", chart, 1, [r[2] for r in months])
    ranking = rows(page, ".ranking-table")
    check.values("answers: on time by agency", drawn(page, "chart-petition-ranking"), 0, [r[4] for r in ranking])
    categories = rows(page, 'section[aria-labelledby="by-category-title"] table')
    check.values("answers: categories", drawn(page, "chart-petition-categories"), 0, [r[1] for r in categories])

    # the ecosystem scorecard: the seven conditions (radar) and their scores over the years (lines, 0-100)
    visit.goto(reverse("ecosystem_scorecard"))
    settle(page)
    radar = page.locator("canvas[data-chart$='-radar']").get_attribute("data-chart")
    conditions = page.locator("[data-figure^='condition-']").all_inner_texts()
    check.values("ecosystem: radar", drawn(page, radar), 0, conditions)
    trend_id = page.locator("canvas[data-chart$='-trend']").get_attribute("data-chart")
    trend = drawn(page, trend_id)
    for i, row in enumerate(rows(page, "table.trend")):
        check.values(f"ecosystem: trend of condition {i + 1}", trend, i, row[1:])

    # a site-clearance roadmap: area and households over time (stepped lines)
    clearance = Roadmap.objects.filter(kind=RoadmapKind.CLEARANCE, public=True).first()
    visit.goto(reverse("roadmap_detail", args=[clearance.pk]))
    settle(page)
    history = rows(page, "table.clearance-history")
    area_id = page.locator("canvas[data-chart$='-area']").get_attribute("data-chart")
    households_id = page.locator("canvas[data-chart$='-households']").get_attribute("data-chart")
    check.values("clearance: area", drawn(page, area_id), 0, [r[1] for r in history])
    check.values("clearance: households", drawn(page, households_id), 0, [r[2] for r in history])

    # a dialogue conference: its tabled petitions by lead agency (stacked horizontal bars)
    conference = Conference.objects.filter(public=True).annotate(n=Count("tablings")).order_by("-n").first()
    visit.goto(reverse("conference_detail", args=[conference.pk]))
    settle(page)
    agencies = rows(page, "table.agency-report")
    chart = drawn(page, "chart-conference-agencies")
    still_open, overdue = [number(r[4])[0] or 0 for r in agencies], [number(r[5])[0] or 0 for r in agencies]
    check.values("conference: resolved since", chart, 0, [r[3] for r in agencies])
    check.values("conference: open, not overdue", chart, 1, [o - d for o, d in zip(still_open, overdue, strict=True)])
    check.values("conference: rejected or merged", chart, 2, [r[6] for r in agencies])
    check.values("conference: overdue", chart, 3, overdue)

    # the board's periodic report: results (grouped bars), petitions by agency (horizontal),
    # site clearance and the scorecard (both on a fixed 0-100 axis)
    visit.login("bql", DEMO_PASSWORD, reverse("board_report"))
    settle(page)
    chart = drawn(page, "results")
    by_label = {r[0]: r for r in rows(page, "#report-results")}
    results = [next(r for head, r in by_label.items() if head.startswith(label)) for label in chart["labels"]]
    check.values("report: results, this year", chart, 0, [r[1] for r in results])
    check.values("report: results, last year", chart, 1, [r[2] for r in results])
    chart = drawn(page, "petitions")
    by_agency = {r[0]: r for r in rows(page, "#report-petitions")}
    check.values("report: petitions received", chart, 0, [by_agency[a][1] for a in chart["labels"]])
    check.values("report: petitions on time", chart, 1, [by_agency[a][3] for a in chart["labels"]])
    check.values("report: site clearance", drawn(page, "clearance"), 0, [r[3] for r in rows(page, "#report-clearance")])
    chart = drawn(page, "scorecard")
    scores = rows(page, "#report-scorecard")
    for i in range(len(chart["datasets"])):
        check.values(f"report: scorecard of zone {i + 1}", chart, i, [r[1 + i] for r in scores])

    # the promotion pipeline's figures: the funnel (horizontal bars), capital projected and
    # realised by source (grouped bars, in bn VND; the table in VND)
    visit.goto(reverse("prospect_figures"))
    settle(page)
    check.values("pipeline: funnel", drawn(page, "chart-funnel"), 0, [r[1] for r in rows(page, "#funnel")])
    chart = drawn(page, "chart-sources")
    sources = rows(page, "#by-source")
    check.values("pipeline: projected by source", chart, 0, [(number(r[3])[0] or 0) / 1e9 for r in sources])
    check.values("pipeline: realised by source", chart, 1, [(number(r[4])[0] or 0) / 1e9 for r in sources])

    # the follow-up of directions: tasks by lead unit (stacked horizontal bars, the first 15 units)
    visit.goto(reverse("direction_followup"))
    settle(page)
    chart = drawn(page, "chart-task-units")
    units = rows(page, "#unit-ranking")[: len(chart["labels"])]
    for i, column in enumerate((4, 5, 6, 7)):  # done on time, done late, overdue, under way
        check.values(f"follow-up: tasks by unit ({i + 1})", chart, i, [r[column] for r in units])

    assert not check.wrong, "charts that do not draw their table:\n" + "\n".join(check.wrong)
    assert check.compared > 100, check.compared  # every chart had something to compare
    assert visit.errors == []
    page.context.close()
