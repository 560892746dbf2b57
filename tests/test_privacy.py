"""Issue 8, first part: the personal data of people who petition the city (their e-mail and
phone) never appears in a public output. The demo is built, then every page a visitor reaches by
following links from the home page, every page's spreadsheet export, every open dataset, the
DCAT catalogue, the OGC API and every public API operation without parameters are read, as a
visitor, and searched for each petitioner's e-mail address and phone number."""

from __future__ import annotations

import json
import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from zonedesk.opendata.datasets import DATASETS
from zonedesk.petitions.models import Petition

MAX_PAGES = 350  # pages followed from the home page (breadth first)
SKIP = ("/admin/", "/i18n/", "/static/", "/media/", "/login/", "/logout/", "/healthz", "/readyz")
HREF = re.compile(r'href="([^"#]+)"')


@pytest.fixture
def demo(demo_everything, db):
    """The whole demo (registry, plan, petitions, conferences, roadmaps, ecosystem), built once
    for the run (tests/conftest.py)."""
    return demo_everything


def _body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", errors="replace").casefold()


def _secrets() -> set[str]:
    """Every e-mail and phone number of a petitioner, as written and as digits only."""
    out: set[str] = set()
    for email, phone in Petition.objects.values_list("petitioner_email", "petitioner_phone"):
        if email:
            out.add(email.casefold())
        digits = re.sub(r"\D", "", phone or "")
        if len(digits) >= 8:
            out |= {phone.casefold(), digits}
    return out


def _leaks(body: str, secrets: set[str]) -> list[str]:
    return [s for s in secrets if s in body]


@pytest.mark.django_db
def test_no_public_output_shows_a_petitioners_email_or_phone(demo, client):
    secrets = _secrets()
    assert len(secrets) >= 5, "the demo has public petitioners with an e-mail or a phone"
    read: dict[str, list[str]] = {}

    def check(url: str) -> str | None:
        response = client.get(url)
        if response.status_code != 200:
            return None
        body = _body(response)
        read[url] = _leaks(body, secrets)
        return body if response["Content-Type"].startswith("text/html") else None

    # the pages a visitor reaches, and each one's spreadsheet export when it offers one
    queue, seen = deque(["/"]), {"/"}
    while queue and len([u for u in read if "export=" not in u]) < MAX_PAGES:
        url = queue.popleft()
        body = check(url)
        if body is None:
            continue
        for href in HREF.findall(body):
            href = href.replace("&amp;", "&")
            target = urljoin(url, href)
            parts = urlsplit(target)
            if parts.netloc or not parts.path.startswith("/") or parts.path.startswith(SKIP):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path not in seen:
                seen.add(path)
                queue.append(path)
    # every open dataset in every format, and the catalogue
    for slug in DATASETS:
        for fmt in ("csv", "json"):
            check(f"/open-data/{slug}.{fmt}")
    check("/open-data/catalog.jsonld")
    # the OGC API and every public API operation that takes no parameter in its path
    for url in ("/ogc/", "/ogc/collections", "/ogc/collections/parcels/items?limit=1000"):
        check(url)
    spec = json.loads(client.get("/api/v1/openapi.json").content)
    for path, operations in spec["paths"].items():
        if "get" in operations and "{" not in path:
            check(path)

    pages = [u for u in read if "export=" not in u and not u.startswith(("/open-data/", "/api/", "/ogc/"))]
    assert len(pages) >= 100, f"the crawl reached only {len(pages)} pages"
    assert any(u.startswith("/answers/") for u in read) and any(u.startswith("/api/v1/") for u in read)
    assert {u: leaks for u, leaks in read.items() if leaks} == {}


@pytest.mark.django_db
def test_the_demos_published_petitions_have_a_summary_without_names(demo):
    """Issue 22, item 8: what the demo publishes has the board's summary, never empty, and it
    names neither the enterprise nor a public petitioner."""
    from zonedesk.core.text import fold
    from zonedesk.petitions.summary import organisation_names, person_names

    published = list(Petition.objects.filter(published_at__isnull=False).select_related("enterprise"))
    assert len(published) >= 20, "the demo publishes answers"
    for p in published:
        assert p.public_summary.strip(), p.reference
        names = person_names(p.petitioner_name) | (organisation_names(p.enterprise.name) if p.enterprise else set())
        summary = fold(p.public_summary)
        named = [n for n in names if re.search(rf"(?<!\w){re.escape(fold(n))}(?!\w)", summary)]
        assert not named, (p.reference, p.public_summary)
