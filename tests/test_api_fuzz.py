"""Issue 8, hostile input: property-based fuzzing of the whole JSON API from its own OpenAPI
document (schemathesis, in-process over WSGI), on the demo, as the public and as a board officer
(the role that may call every write). For each operation, schemathesis generates valid and invalid
parameters and bodies; every answer must be no server error and must conform to the document: a
documented status code, its content type, a body of its schema.

Not checked: that every schema-valid input is accepted (schemathesis' "positive data acceptance"):
the document gives types and forms, the services the rules no schema says (a zone that exists, a
title that is not empty), and answer 422 with the reasons.

Bounded for CI: a few examples per operation and role (`FUZZ_EXAMPLES`, more with
`ZONEDESK_FUZZ_EXAMPLES`), derandomized so that a run is reproducible, no example database.
Everything the board's calls write is rolled back after each operation's test."""

from __future__ import annotations

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
from zonedesk.core.models import User

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


@pytest.fixture
def identities(keep_connection, demo_everything, db, settings):
    """The headers of each identity: none for the public, a board officer's session (both steps of
    logging in given) and CSRF token for the board."""
    settings.PUBLIC_API_LIMIT = 1_000_000  # the limit itself is tested in tests/test_rate_limits.py
    client = Client()
    client.force_login(User.objects.get(username="bql"))
    session = client.cookies["sessionid"].value
    plain = {"Accept-Encoding": "identity"}  # the WSGI client does not unpack gzip (tests/test_answers.py does)
    return {
        "public": plain,
        "board": plain
        | {"Cookie": f"sessionid={session}; csrftoken={CSRF}", "X-CSRFToken": CSRF, "Referer": "http://testserver/"},
    }


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
def test_every_operation_answers_as_documented_and_never_fails(case, identities):
    for headers in identities.values():
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
