"""Issue 22: the screenshot walk. Every main page, as the public and as each role, at 1366 and
390 px wide, on the whole demo.

The main pages of a role are the links of its own main menu, plus the detail pages people open
from them (a project, a conference, a roadmap, a parcel, a petition). One browser; one context
per role, logged in through the login page. Each page is loaded once at 1366 px, then the window
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
from django.db.models import Count
from django.urls import reverse

from tests.browser.conftest import new_visit

pytestmark = [pytest.mark.browser, pytest.mark.demo_writes]

SCREENS = Path(os.environ.get("ZONEDESK_SCREENS") or Path(__file__).resolve().parents[1] / "screens")
WIDTHS = ({"width": 1366, "height": 900}, {"width": 390, "height": 844})
ROLES = ("public", "board", "leader", "agency", "commune", "enterprise", "admin")

MENU = """() => Array.from(document.querySelectorAll('#site-menu a[href]'))
  .map((a) => new URL(a.href))
  .filter((u) => u.origin === location.origin)
  .map((u) => u.pathname + u.search)"""
# charts drawn, fitted to their boxes (they follow a resized window a frame or more later) and
# done animating, a map drawn: what the page shows once it has settled
SETTLED = """() => {
  const canvases = document.querySelectorAll('canvas[data-chart]');
  const drawn = document.querySelectorAll('canvas[data-chart][data-drawn], .chart-empty canvas[data-chart]');
  const charts = window.Chart ? Object.values(window.Chart.instances) : [];
  const map = document.querySelector('[data-planning-map]');
  return drawn.length === canvases.length && charts.every((c) => !window.Chart.animator.running(c))
    && charts.every((c) => c.canvas.getBoundingClientRect().width <= c.canvas.parentNode.clientWidth + 1)
    && (!map || !window.L || map.dataset.ready === '1' || map.classList.contains('map-empty')
        || map.classList.contains('map-failed'))
    && (!document.getElementById('swagger-ui') || !!document.querySelector('#swagger-ui .opblock'));
}"""
OVERFLOW = "document.scrollingElement.scrollWidth - window.innerWidth"


def _accounts() -> dict[str, str | None]:
    """The demo's account of each role (the commune's: the demo's officer of the Hòa Lạc commune)."""
    from zonedesk.core.models import Agency, Role, User
    from zonedesk.investment.demo import DEMO_PASSWORD

    communes = User.objects.filter(role=Role.AGENCY, agency__kind=Agency.Kind.COMMUNE, is_active=True)
    commune = next((u for u in communes.order_by("username") if u.check_password(DEMO_PASSWORD)), None)
    assert commune is not None, "the demo has no commune officer who can log in"
    return {
        "public": None,
        "board": "bql",
        "leader": "lanhdao",
        "agency": "thue",
        "commune": commune.username,
        "enterprise": "fpt",
        "admin": "admin",
    }


def _details(role: str, username: str | None) -> list[str]:
    """The detail pages a role opens from its main pages."""
    from zonedesk.core.models import User
    from zonedesk.dialogue.models import Conference
    from zonedesk.investment.models import Project
    from zonedesk.petitions.models import Petition
    from zonedesk.planning.models import Layer
    from zonedesk.planning.selectors import current_features
    from zonedesk.roadmaps.models import Roadmap, RoadmapKind

    user = User.objects.get(username=username) if username else None
    projects = Project.objects.order_by("code")
    if user is not None and user.enterprise_id:
        projects = projects.filter(enterprise=user.enterprise)
    conference = Conference.objects.filter(public=True).annotate(n=Count("tablings")).order_by("-n").first()
    clearance = Roadmap.objects.filter(kind=RoadmapKind.CLEARANCE, public=True).first()
    parcel = current_features(Layer.PARCELS).select_related("zone").order_by("zone__code", "code").first()
    pages = [
        reverse("project_detail", args=[projects.first().code]),
        reverse("conference_detail", args=[conference.pk]),
        reverse("roadmap_detail", args=[clearance.pk]),
        reverse("planning_parcel", args=[parcel.zone.code, parcel.code]),
    ]
    petitions = Petition.objects.order_by("-received_at")
    if role in ("board", "leader", "admin"):
        pages.append(reverse("petition_detail", args=[petitions.first().reference]))
    elif role in ("agency", "commune") and user.agency_id:
        own = petitions.filter(lead_agency=user.agency).first()
        if own is not None:
            pages.append(reverse("petition_detail", args=[own.reference]))
    elif role == "enterprise":
        own = petitions.filter(enterprise=user.enterprise).first()
        if own is not None:
            pages.append(reverse("petition_detail", args=[own.reference]))
    return pages


def _name(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9À-ỹ-]+", "_", path.strip("/")).strip("_") or "home"


def test_every_main_page_as_every_role_at_both_widths(demo_site, browser, settings):
    """On the run's demo (tests/conftest.py), served by `demo_site` (tests/browser/conftest.py)."""
    from zonedesk.investment.demo import DEMO_PASSWORD

    settings.DEMO_MODE = True
    accounts = _accounts()
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
        if accounts[role]:
            visit.login(accounts[role], DEMO_PASSWORD, "/")
            assert page.locator("form.logout").count() == 1, f"{accounts[role]} ({role}) is not logged in"
        else:
            visit.goto("/")
        menu = page.evaluate(MENU)
        assert len(menu) >= 8, f"{role}: the menu has {menu}"
        paths = list(dict.fromkeys([*menu, *_details(role, accounts[role])]))
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
