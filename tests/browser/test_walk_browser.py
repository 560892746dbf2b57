"""Issue 22: the screenshot walk. Every main page, as the public and as each role, at 1366 and
390 px wide, on the whole demo.

The main pages of a role are the links of its own main menu, plus the detail pages people open
from them (a project, a conference, a roadmap, a parcel, a petition): tests/browser/pages.py, the
list the accessibility scan shares. One browser; one context per role, logged in through the
login page. Each page is loaded once at 1366 px, then the window
is narrowed to 390 px. At each width the page must have no console error, no horizontal
overflow (document.scrollingElement.scrollWidth <= innerWidth), and no answer of 500 or more
(the page or anything it asks for); its full-page screenshot is written to
tests/screens/<role>/<width>/<page>.png (ignored by git; ZONEDESK_SCREENS names another folder)
for a person to look at. Every problem is listed at the end, not only the first.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.browser.conftest import new_visit
from tests.browser.pages import ROLES, SETTLED, WIDTHS, accounts, main_pages

pytestmark = [pytest.mark.browser, pytest.mark.demo_writes]

SCREENS = Path(os.environ.get("ZONEDESK_SCREENS") or Path(__file__).resolve().parents[1] / "screens")
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


def _name(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9À-ỹ-]+", "_", path.strip("/")).strip("_") or "home"


def test_every_main_page_as_every_role_at_both_widths(demo_site, browser, settings):
    """On the run's demo (tests/conftest.py), served by `demo_site` (tests/browser/conftest.py)."""
    from zonedesk_demo.investment import DEMO_PASSWORD

    settings.DEMO_MODE = True
    users = accounts()
    problems: list[str] = []
    shots = 0
    for role in ROLES:
        # without animation (as a person who asked for reduced motion sees them): a full-page
        # screenshot resizes the page, and an animated chart would be caught redrawing
        visit = new_visit(browser, demo_site.url, WIDTHS[0], reduced_motion="reduce", timeout=60_000)
        page = visit.page
        # what went wrong, with the address on screen when it happened (a page may log after its checks)
        logged: list[str] = []
        page.on("console", lambda m, p=page, log=logged: m.type == "error" and log.append(f"{p.url}: {m.text}"))
        page.on("pageerror", lambda e, p=page, log=logged: log.append(f"{p.url}: {e}"))
        page.on("response", lambda r, log=logged: r.status >= 500 and log.append(f"{r.url}: answered {r.status}"))
        if users[role]:
            visit.login(users[role], DEMO_PASSWORD, "/")
            assert page.locator("form.logout").count() == 1, f"{users[role]} ({role}) is not logged in"
        else:
            visit.goto("/")
        paths = main_pages(page, role, users[role])
        for path in paths:
            page.set_viewport_size(WIDTHS[0])
            response = visit.goto(path)
            if response is None or response.status >= 400:
                problems.append(f"{role} {path}: answered {response and response.status}")
                continue
            page.wait_for_load_state("load")
            for size in WIDTHS:
                page.set_viewport_size(size)
                page.wait_for_function(f"window.innerWidth === {size['width']}")
                page.wait_for_function(SETTLED)
                page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
                overflow = page.evaluate(OVERFLOW)
                if overflow > 0:
                    problems.append(f"{role} {path} at {size['width']} px: {overflow} px wider than the window")
                folder = SCREENS / role / str(size["width"])
                folder.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(folder / f"{_name(path)}.png"), full_page=True)
                shots += 1
        page.context.close()
        problems += [f"{role} {line.removeprefix(demo_site.url)}" for line in logged]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems)
    assert shots >= 150, shots
