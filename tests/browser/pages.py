"""The main pages of the site, per role: the one list the page-walking browser tests share (the
screenshot walk, test_walk_browser.py; the accessibility scan, test_accessibility_browser.py).

A role's main pages are the links of its own main menu and of the footer as the page draws them
(`MENU`), the detail pages people open from them (`details`), and the pages of `EXTRA_PAGES`
(linked from elsewhere: the header's login and account links). To add a page to every walk: link
it from the menu or the footer (a privacy page linked from the footer is in as soon as the link
is), or add its URL name or path to `EXTRA_PAGES` with the roles that see it.
"""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

WIDTHS = ({"width": 1366, "height": 900}, {"width": 390, "height": 844})
ROLES = ("public", "board", "leader", "agency", "commune", "enterprise", "admin")

LOGGED_IN = ROLES[1:]
# Main pages linked from neither the menu nor the footer: (URL name or path, the roles that see it;
# an empty tuple: every role).
EXTRA_PAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("login", ("public",)),
    ("two_factor_setup", LOGGED_IN),
    # the one-stop desk's public pages linked from the catalogue
    ("dossier_figures", ()),
    ("result_verify", ()),
    # the investor's side: the prospects the board published (issue 26)
    ("invest_pipeline", ()),
)

MENU = """() => Array.from(document.querySelectorAll('#site-menu a[href], .site-footer a[href]'))
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


def accounts() -> dict[str, str | None]:
    """The demo's account of each role (the commune's: the demo's officer of the Hòa Lạc commune)."""
    from zonedesk.core.models import Agency, Role, User
    from zonedesk_demo.investment import DEMO_PASSWORD

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


def details(role: str, username: str | None) -> list[str]:
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
    from zonedesk.procedures.models import Dossier, Procedure

    procedure = Procedure.objects.filter(needs_project=True).order_by("code").first()
    if procedure is not None:
        pages.append(reverse("procedure_detail", args=[procedure.code]))
    dossiers = Dossier.objects.order_by("-filed_at")
    if dossiers.exists():
        pages.append(reverse("dossier_lookup") + f"?code={dossiers.first().code}")
    if role in ("board", "leader", "admin") and dossiers.exists():
        waiting = dossiers.filter(status="filed").first() or dossiers.first()  # the desk's forms on it
        pages.append(reverse("dossier_detail", args=[waiting.code]))
    elif role == "enterprise" and dossiers.filter(enterprise=user.enterprise).exists():
        pages.append(reverse("dossier_detail", args=[dossiers.filter(enterprise=user.enterprise).first().code]))
        if procedure is not None:
            pages.append(reverse("dossier_new", args=[procedure.code]))
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


def extra(role: str) -> list[str]:
    """The pages of `EXTRA_PAGES` the role sees."""
    return [
        name if name.startswith("/") else reverse(name) for name, roles in EXTRA_PAGES if not roles or role in roles
    ]


def main_pages(page, role: str, username: str | None) -> list[str]:
    """The role's main pages, in order and each once: its menu and footer as `page` (a Playwright
    page of the site, logged in as the role) shows them, then the details, then the extra pages."""
    menu = page.evaluate(MENU)
    assert len(menu) >= 8, f"{role}: the menu has {menu}"
    return list(dict.fromkeys([*menu, *details(role, username), *extra(role)]))
