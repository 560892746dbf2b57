"""Issue 23: accessibility kept as it is. axe-core scans every main page as the public and as each
role, at 1366 and 390 px wide, on the whole demo; any serious or critical violation fails.

What is scanned: the main pages of tests/browser/pages.py (the list the screenshot walk uses: each
role's menu and footer links, the detail pages opened from them, the login and two-step pages),
for every role that sees them, at both widths, with axe-core's default rules (WCAG 2.0/2.1/2.2 A
and AA and its best practices; not the experimental ones). One browser context per role, logged
in through the login page; a page is loaded once, scanned at 1366 px, narrowed to 390 px (the menu
folds behind its button) and scanned again.

Each page as each role, but what is the same once: most pages show every role the same thing or
the same kinds of thing (the project list, the roadmaps, the API docs; a conference's list of
petitions, each role seeing the titles of its own), and a scan takes a second or more (6 s for
the API docs; colour contrast is most of it), so the whole matrix (some 130 pages by 2 widths)
took over 7 minutes on this machine. So every page a role sees is first fetched with the role's
session, and scanned in the browser only if it has a kind of element (tag and classes, under a
parent of given tag and classes, with given attribute names, holding text or not) that no scan of
that page as another role has seen: each page is scanned as the first role of ROLES that sees it
(the public first), and again for each role that sees more on it (the header and menu of a
logged-in person; the board's buttons on a conference; the dashboard; a petition). Text alone
(another petition's title in the same cell) does not make a page new. What a script loads later
(the map's features) is not compared. ZONEDESK_AXE_FULL=1 scans the whole matrix.
tests/screens/accessibility.txt lists what was scanned and what was not, and every finding.

How: axe-core is the one the PyPI package axe-playwright-python bundles (axe.min.js, MPL-2.0; see
docs/ACCESSIBILITY.md), never downloaded at run time. It is put into the page with Playwright's
`page.evaluate`, which the site's Content-Security-Policy (scripts from our own files only) does
not govern; a <script> tag would be refused by it, and nothing in the site changes for the scan.

Moderate and minor findings do not fail: they are written, with the serious ones, to
tests/screens/accessibility.txt (ZONEDESK_SCREENS names another folder) and listed in
docs/ACCESSIBILITY.md. The page list is tests/browser/pages.py: a page linked from the menu or the
footer is in; another goes in its EXTRA_PAGES.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser.conftest import new_visit
from tests.browser.pages import ROLES, SETTLED, WIDTHS, accounts, main_pages

pytestmark = [pytest.mark.browser]

SCREENS = Path(os.environ.get("ZONEDESK_SCREENS") or Path(__file__).resolve().parents[1] / "screens")
BLOCKING = ("serious", "critical")
TARGETS_SHOWN = 3  # the first few elements of a violation named in the message
# axe's default rules, violations only (its passes and "incomplete" answers would only slow it)
RUN = "(options) => window.axe.run(document, options)"
OPTIONS = {"resultTypes": ["violations"]}
FULL = os.environ.get("ZONEDESK_AXE_FULL") == "1"  # every page as every role, the same content or not


def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def scan(page, script: str) -> list[dict]:
    """axe-core's violations on the page as it is now (the engine is put in once per document)."""
    if not page.evaluate("() => !!window.axe"):
        page.evaluate(script)
    return page.evaluate(RUN, OPTIONS)["violations"]


def describe(where: str, violation: dict) -> str:
    """One line a person can act on: where, the rule and its impact, the first elements, the help."""
    targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
    shown = ", ".join(targets[:TARGETS_SHOWN]) + (
        f" (+{len(targets) - TARGETS_SHOWN} more)" if len(targets) > TARGETS_SHOWN else ""
    )
    return (
        f"{where}: {violation['id']} ({violation['impact']}) on {shown}: {violation['help']} — {violation['helpUrl']}"
    )


def _settle(page, size: dict) -> None:
    page.set_viewport_size(size)
    page.wait_for_function(f"window.innerWidth === {size['width']}")
    page.wait_for_function(SETTLED)
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")


class _Shapes(HTMLParser):
    """The kinds of element a page has: (its parent's tag and classes, its tag and classes, the
    names of its other attributes), with whether it holds text of its own."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = [("", "")]
        self.shapes: set[tuple] = set()
        self.current: tuple | None = None

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        me = (tag, " ".join(sorted((named.get("class") or "").split())))
        self.current = (self.stack[-1], me, tuple(sorted(k for k in named if k != "class")))
        self.shapes.add(self.current)
        if tag not in self.VOID:
            self.stack.append(me)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break
        self.current = None

    def handle_data(self, data):
        if self.current is not None and data.strip():
            self.shapes.add((*self.current, "text"))


def shapes(html: str) -> set[tuple]:
    """The kinds of element of a page as the server wrote it (`_Shapes`)."""
    parser = _Shapes()
    parser.feed(html)
    return parser.shapes


@pytest.mark.demo_writes
def test_no_serious_accessibility_violation_on_any_main_page(demo_site, browser, settings):
    """On the run's demo (tests/conftest.py), served by `demo_site` (tests/browser/conftest.py)."""
    from zonedesk_demo.investment import DEMO_PASSWORD

    settings.DEMO_MODE = True
    script = _axe_script()
    users = accounts()
    blocking: list[str] = []
    others: dict[tuple[str, str], list[str]] = defaultdict(list)  # (rule, impact): where
    seen: dict[str, set[tuple]] = defaultdict(set)  # a page's path: the kinds of element scanned on it
    scanned: list[str] = []
    covered: list[str] = []
    scans = 0
    started = time.monotonic()
    for role in ROLES:
        visit = new_visit(browser, demo_site.url, WIDTHS[0], reduced_motion="reduce", timeout=60_000)
        page = visit.page
        if users[role]:
            visit.login(users[role], DEMO_PASSWORD, "/")
            assert page.locator("form.logout").count() == 1, f"{users[role]} ({role}) is not logged in"
        else:
            visit.goto("/")
        for path in main_pages(page, role, users[role]):
            answer = page.context.request.get(visit.url(path))  # the server's page, with the role's session
            assert answer.status < 400, f"{role} {path}: answered {answer.status}"
            kinds = shapes(answer.text())
            if kinds <= seen[path] and not FULL:  # nothing on it that a scan of the page has not seen
                covered.append(f"{path} as {role}")
                continue
            seen[path] |= kinds
            scanned.append(f"{path} as {role}")
            page.set_viewport_size(WIDTHS[0])
            visit.goto(path)
            page.wait_for_load_state("load")
            for size in WIDTHS:
                _settle(page, size)
                where = f"{path} as {role} at {size['width']} px"
                for violation in scan(page, script):
                    if violation["impact"] in BLOCKING:
                        blocking.append(describe(where, violation))
                    else:
                        others[(violation["id"], violation["impact"])].append(describe(where, violation))
                scans += 1
        page.context.close()
    seconds = time.monotonic() - started
    SCREENS.mkdir(parents=True, exist_ok=True)
    report = [f"{scans} scans in {seconds:.0f} s", "", "serious or critical:", *blocking, "", "moderate or minor:"]
    for (rule, impact), lines in sorted(others.items()):
        report += [f"{rule} ({impact}): {len(lines)} scan(s)", *(f"  {line}" for line in lines)]
    report += ["", "scanned:", *scanned, "", "nothing new, not scanned again:", *covered]
    (SCREENS / "accessibility.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    assert not blocking, f"{len(blocking)} serious or critical accessibility violation(s):\n" + "\n".join(blocking)
    assert scans >= 40, scans


def test_the_scan_finds_a_serious_violation_and_names_it(visit):
    """The scan can fail: a page given an unnamed button and an image without a text is caught,
    with the rule, its impact, the element and the help page named; axe goes in under the site's
    Content-Security-Policy, which refuses it as a <script> tag."""
    from playwright.sync_api import Error

    script = _axe_script()
    response = visit.goto("/")
    assert "script-src" in response.headers["content-security-policy"]
    with pytest.raises(Error):  # the policy forbids inline scripts: a <script> tag cannot bring axe in
        visit.page.add_script_tag(content=script)
    assert scan(visit.page, script) is not None
    blocking = [v for v in scan(visit.page, script) if v["impact"] in BLOCKING]
    assert blocking == [], [describe("/", v) for v in blocking]

    visit.page.evaluate(
        """() => {
          const b = document.createElement('button'); b.id = 'nameless'; document.querySelector('main').append(b);
          const i = document.createElement('img'); i.id = 'textless'; i.src = '/static/zonedesk/favicon.svg';
          document.querySelector('main').append(i);
        }"""
    )
    found = {v["id"]: v for v in scan(visit.page, script)}
    assert found["button-name"]["impact"] == "critical"
    assert found["image-alt"]["impact"] == "critical"
    line = describe("/ as public at 1366 px", found["button-name"])
    assert line.startswith("/ as public at 1366 px: button-name (critical) on #nameless: ")
    assert "https://dequeuniversity.com/rules/axe/" in line
