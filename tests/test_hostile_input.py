"""Issue 8: search parameters cannot inject SQL. Every search goes through the ORM with bound
parameters; these payloads are searched for as text on the pages and API operations that
search, and must find nothing, break nothing and change nothing."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from zonedesk.core.models import User
from zonedesk.investment.models import Enterprise, Project

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "' OR '1'='1",
    "' OR 1=1 --",
    "1; DROP TABLE investment_project; --",
    "%' UNION SELECT password, username FROM core_user --",
    '" OR ""="',
    "\\'; SELECT 1; --",
    "%",
    "_",
]
SEARCHES = [
    "/projects/?q=",
    "/api/v1/projects?q=",
    "/api/v1/enterprises?q=",
    "/api/v1/investors?q=",
    "/answers/?q=",
]


def test_search_parameters_are_searched_as_text_never_run_as_sql(client, project, other_project, board_user):
    before = (Project.objects.count(), Enterprise.objects.count(), User.objects.count())
    officer = client.__class__()
    officer.force_login(board_user)
    for payload in PAYLOADS:
        for url in [*SEARCHES, "/petitions/?q="]:
            who = officer if url.startswith("/petitions/") else client
            response = who.get(url + quote(payload))
            assert response.status_code == 200, (url, payload, response.status_code)
            if url.startswith("/api/"):
                body = response.json()
                items = body["items"] if isinstance(body, dict) else body
                # "%" and "_" are plain characters in a search, not wildcards
                assert items == [], (url, payload, items)
            else:
                assert project.name not in response.content.decode(), (url, payload)
    assert (Project.objects.count(), Enterprise.objects.count(), User.objects.count()) == before
    assert client.get("/api/v1/projects?q=" + quote(project.name)).json()["items"]  # a real search finds it


def test_a_list_filter_that_can_match_nothing_answers_an_empty_page(db, client, project):
    """Found by the API fuzzing (tests/test_api_fuzz.py): a status no project can have made the
    page's cache key fail (the query compiles to "nothing"), a server error instead of no rows."""
    response = client.get("/api/v1/projects", {"status": "£ãTÊ%", "ownership": "foreign", "zone": "😍"})
    assert response.status_code in {200, 404, 422}, response.content
    if response.status_code == 200:
        assert response.json()["count"] == 0


def test_an_api_path_no_operation_has_answers_json_404(db, client):
    """A word where an id belongs matches no route: the API's error shape, not the HTML page."""
    for path in ("/api/v1/reports/null,null", "/api/v1/no-such-thing"):
        response = client.get(path)
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json")
        assert response.json()["detail"]
    page = client.get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
