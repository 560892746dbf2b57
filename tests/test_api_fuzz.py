"""Issue 8, hostile input: property-based fuzzing of the whole JSON API from its own OpenAPI
document (schemathesis, in-process over WSGI), on the demo, as every role: each example as the
role at the first example of each operation (the public, an enterprise, an agency, a commune, a
board officer, a leader, an admin), then each example as the public, as a board officer (the role
that may call every write) and as one of the others in turn. For each operation, schemathesis generates valid and invalid
parameters and bodies; every answer must be no server error and must conform to the document: a
documented status code, its content type, a body of its schema.

Not checked: that every schema-valid input is accepted (schemathesis' "positive data acceptance"):
the document gives types and forms, the services the rules no schema says (a zone that exists, a
title that is not empty), and answer 422 with the reasons.

Bounded for CI: a few examples per operation and role (`FUZZ_EXAMPLES`, more with
`ZONEDESK_FUZZ_EXAMPLES`), derandomized so that a run is reproducible, no example database.
Everything the board's calls write is rolled back after each operation's test."""

from __future__ import annotations

import itertools
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from zonedesk.api import api
from zonedesk.core.models import Agency, Role, User

FUZZ_EXAMPLES = int(os.environ.get("ZONEDESK_FUZZ_EXAMPLES", "6"))
CSRF = "zonedeskfuzzcsrftoken0123456789a"  # a CSRF secret of the right form, sent as cookie and header

DOCUMENT = api.get_openapi_schema(path_prefix="/api/v1/")
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = WSGIHandler()
schema.location = "/api/v1/openapi.json"

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def keep_connection():
    """As Django's test client does: the requests do not close the database connection at their
    start and end, which on PostgreSQL would close it inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


OTHER_ROLES = ["enterprise", "agency", "commune", "leader", "admin"]


@pytest.fixture
def identities(keep_connection, demo_everything, db, settings):
    """The headers of each identity: none for the public; for each role a session of one of the
    demo's accounts (both steps of logging in given) and its CSRF token. The commune's officer is
    made here (the demo has no account for it), in the test's transaction."""
    settings.PUBLIC_API_LIMIT = 1_000_000  # the limit itself is tested in tests/test_rate_limits.py
    commune = Agency.objects.filter(kind=Agency.Kind.COMMUNE).first() or Agency.objects.create(
        code="FUZZ-XA", kind=Agency.Kind.COMMUNE, name_vi="UBND xã (thử)"
    )
    users = {
        "board": User.objects.get(username="bql"),
        "enterprise": User.objects.get(username="fpt"),
        "agency": User.objects.get(username="thue"),
        "commune": User.objects.create_user(username="fuzz-xa", role=Role.AGENCY, agency=commune),
        "leader": User.objects.get(username="lanhdao"),
        "admin": User.objects.get(username="admin"),
    }
    plain = {"Accept-Encoding": "identity"}  # the WSGI client does not unpack gzip (tests/test_answers.py does)
    headers = {"public": plain}
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        session = client.cookies["sessionid"].value
        headers[role] = plain | {
            "Cookie": f"sessionid={session}; csrftoken={CSRF}",
            "X-CSRFToken": CSRF,
            "Referer": "http://testserver/",
        }
    return headers


@pytest.fixture
def turns():
    """Who calls each example of this operation: every role the first, then the public, the
    board and one of the others in turn (so an operation hypothesis gives one example is still
    called by every role)."""
    others = itertools.cycle(OTHER_ROLES)
    first = [["public", "board", *OTHER_ROLES]]
    return (first.pop() if first else ["public", "board", next(others)] for _ in itertools.count())


def test_the_fuzzed_document_is_the_one_served(demo_everything, client):
    served = client.get("/api/v1/openapi.json").json()
    assert served["paths"] == DOCUMENT["paths"]
    every = [op for item in served["paths"].values() for op in item.values()]
    assert len(every) >= 50
    assert all({"403", "429", "503"} <= set(op["responses"]) for op in every), "each operation lists its errors"


@schema.parametrize()
@hypothesis_settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented_and_never_fails(case, identities, turns):
    for role in next(turns):
        case.call_and_validate(headers=identities[role], excluded_checks=[positive_data_acceptance])
