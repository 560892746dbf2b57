"""Issue 8: user text is always shown as text, and the Content Security Policy runs nothing inline.

The whole demo is built, then every free-text field people type (names, titles, bodies, notes,
reasons, answers: the list below) of every row is replaced by a payload naming its field: an
element with a probe class, an image whose error handler calls `xss()`, and a script calling it.
Chromium opens the pages that show them, as the public, an enterprise and a board officer, and
for each page: no call of `xss()` happened, no probe element is in the document (so the text
was escaped, not merely blocked by the CSP), and the page carries the policy. On some pages the
payload must be visible as text, or the check proves nothing.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.browser

PAYLOAD = '<b class="xss-probe">{label}</b><img src="x" onerror="xss(\'{label}\')"><script>xss("{label}")</script>'


def _fields():
    from zonedesk.core.models import Agency, User, Zone
    from zonedesk.dialogue.models import Conference, ConferenceSeries, Tabling
    from zonedesk.ecosystem.models import Actor, Measurement, Target
    from zonedesk.investment.models import Amendment, Enterprise, Investor, Project, ScheduleMilestone, StatusChange
    from zonedesk.petitions.models import Answer, Notification, Petition, PetitionEvent, PolicyAction
    from zonedesk.planning.models import FunctionalArea, Parcel, PlanningDecision, PlanRevision
    from zonedesk.roadmaps.models import ClearancePackage, ClearanceProgress, Milestone, Roadmap, RoadmapReview

    return {
        Zone: ["name_vi", "name_en", "description"],
        Agency: ["name_vi", "name_en"],
        User: ["first_name", "last_name"],
        Investor: ["name"],
        Enterprise: ["name", "address"],
        Project: ["name_vi", "name_en", "objectives"],
        Amendment: ["summary"],
        ScheduleMilestone: ["title"],
        StatusChange: ["reason"],
        Petition: ["title", "body", "petitioner_name", "procedure", "public_summary", "confidential_note"],
        PetitionEvent: ["reason"],
        Answer: ["body", "review_note"],
        PolicyAction: ["title", "description"],
        Notification: ["subject", "body"],
        ConferenceSeries: ["name_vi", "name_en"],
        Conference: ["theme_vi", "theme_en", "description", "venue", "chair", "cancel_reason"],
        Tabling: ["spot_answer", "spot_speaker"],
        PlanningDecision: ["authority", "title"],
        PlanRevision: ["note"],
        FunctionalArea: ["name"],
        Parcel: ["private_note"],
        Roadmap: ["title_vi", "title_en", "description", "owner_name"],
        Milestone: ["title", "responsible_name"],
        ClearancePackage: ["resettlement_note"],
        ClearanceProgress: ["note"],
        RoadmapReview: ["note"],
        Actor: ["name_vi", "name_en", "note"],
        Target: ["note"],
        Measurement: ["source"],
    }


def _poison() -> int:
    """Every row's free text becomes the payload (written directly: the test's own set-up)."""
    rows = 0
    for model, names in _fields().items():
        for name in names:  # only where there is text (an empty one may be required to stay so)
            payload = PAYLOAD.format(label=f"{model.__name__}.{name}")
            rows += model.objects.exclude(**{name: ""}).update(**{name: payload})
    cache.clear()  # cached figures and answers were computed from the old names
    return rows


CHECK = """() => ({
    calls: window.__xss,
    probes: document.querySelectorAll('.xss-probe').length,
    shown: document.body.innerText.includes('class="xss-probe"'),
})"""


def _pages(role: str) -> list[str]:
    from zonedesk.dialogue.models import Conference
    from zonedesk.investment.models import Project
    from zonedesk.petitions.models import Petition, Status
    from zonedesk.roadmaps.models import Roadmap

    project = Project.objects.order_by("code").first()
    public = [
        reverse("home"),
        reverse("project_list"),
        reverse("project_detail", args=[project.code]),
        reverse("conference_list"),
        reverse("conference_detail", args=[Conference.objects.filter(public=True).first().pk]),
        reverse("roadmap_list"),
        reverse("roadmap_detail", args=[Roadmap.objects.filter(public=True).first().pk]),
        reverse("ecosystem_scorecard"),
        reverse("ecosystem_actors"),
        reverse("public_answers"),
        reverse("plan_decisions"),
        reverse("plan_revisions"),
        reverse("planning_map"),
    ]
    if role == "public":
        return public
    if role == "enterprise":
        return [reverse("portal"), reverse("portal_petitions")]
    petition = Petition.objects.filter(status=Status.PUBLISHED).first()
    return [
        reverse("dashboard"),
        reverse("petition_queue"),
        reverse("petition_detail", args=[petition.reference]),
        reverse("inbox"),
        reverse("board_report"),
        reverse("roadmap_attention"),
        reverse("roadmap_reviews"),
    ]


def test_hostile_text_in_every_free_text_field_is_shown_as_text_and_never_run(demo_everything, visit, settings):
    """On the demo of the run (tests/conftest.py), which this test changes: it runs last."""
    from zonedesk_demo.investment import DEMO_PASSWORD

    settings.DEMO_MODE = True
    assert _poison() > 1000
    page = visit.page
    page.add_init_script("window.__xss = []; window.xss = (label) => window.__xss.push(label);")
    ran, escaped_not, without_policy, shown_on = [], [], [], []
    for role, account in (("public", None), ("enterprise", "fpt"), ("board", "bql")):
        if account:
            visit.page.context.clear_cookies()
            visit.login(account, DEMO_PASSWORD)
        for path in _pages(role):
            response = visit.goto(path)
            assert response.status < 400, f"{path} as {role}: {response.status}"
            page.wait_for_load_state("networkidle")
            seen = page.evaluate(CHECK)
            if seen["calls"]:
                ran.append(f"{path} as {role}: {sorted(set(seen['calls']))}")
            if seen["probes"]:
                escaped_not.append(f"{path} as {role}: {seen['probes']} element(s)")
            if "script-src 'self'" not in (response.headers.get("content-security-policy") or ""):
                without_policy.append(path)
            if seen["shown"]:
                shown_on.append(path)
    assert not ran, "a payload ran:\n" + "\n".join(ran)
    assert not escaped_not, "a payload became markup:\n" + "\n".join(escaped_not)
    assert not without_policy, f"pages without the policy: {without_policy}"
    assert len(shown_on) >= 10, f"the payloads were shown as text on too few pages: {shown_on}"
