"""The public figures of the one-stop desk in Chromium, as the public sees them, at 1366 and 390 px:
both charts are drawn (Chart.js, served by the app: no other host asked), their bars are the
numbers of the tables beside them, and nothing overflows the narrow screen. Screenshots go to
/tmp/shots (procedure-figures-1366.png, procedure-figures-390.png)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import new_visit
from tests.browser.test_charts_browser import drawn, number, rows, settle
from tests.test_procedure_figures import year  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 390])
def test_the_public_sees_the_figures_drawn_as_their_tables_say(browser, live_server, transactional_db, year, width):  # noqa: F811
    v = new_visit(browser, live_server.url, {"width": width, "height": 900}, reduced_motion="reduce")
    try:
        v.goto("/dossiers/figures/?year=2026")
        v.page.locator("details.chart-data summary").first.click()
        settle(v.page)
        months = drawn(v.page, "chart-dossier-months")
        table = rows(v.page, "#figures-months")
        assert len(months["labels"]) == len(table) == 12
        on_time = [number(r[3])[0] for r in table]
        assert on_time[2:5] == [100.0, 50.0, 0.0]
        for got, want in zip(months["datasets"][0]["drawn"], on_time, strict=True):
            assert abs((got or 0) - (want or 0)) <= 1.0, (got, want)
        procedures = drawn(v.page, "chart-dossier-procedures")
        by_procedure = rows(v.page, "#figures-by-procedure")
        assert [round(x or 0) for x in procedures["datasets"][0]["drawn"]] == [int(r[1]) for r in by_procedure] == [7]
        assert [round(x or 0) for x in procedures["datasets"][1]["drawn"]] == [int(r[2]) for r in by_procedure] == [5]
        index = rows(v.page, "#service-index")
        assert [r[2] for r in index if r[2] == "chưa đo"] == ["chưa đo"] * 3
        overflow = v.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page is {overflow}px wider than the screen at {width}px"
        assert v.errors == [] and v.foreign_requests() == []
        v.shot(f"procedure-figures-{width}")
    finally:
        v.page.context.close()
