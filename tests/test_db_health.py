"""The PostgreSQL backend checks a reused connection only after it was idle: a connection the
server dropped while idle is replaced before the request's first query (nobody sees an error),
and a busy one costs no extra round trip."""

from __future__ import annotations

import os

import pytest
from django.db import connections

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
        reason="only when DATABASE_URL names a PostgreSQL server",
    ),
]


def _own_connection():
    """A second connection of the same settings, outside the test's transaction."""
    other = connections.create_connection("default")
    other.settings_dict = dict(connections["default"].settings_dict)
    other.health_check_enabled = True
    return other


def _pid(conn) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _drop(pid: int) -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_an_idle_connection_the_server_dropped_is_replaced_before_the_first_query():
    other = _own_connection()
    try:
        first = _pid(other)
        _drop(first)
        other.used_at = float("-inf")  # idle for long
        other.health_check_done = False  # a new request starts
        other.close_if_health_check_failed()
        assert other.connection is None  # the check found it dead and dropped it
        assert _pid(other) != first  # the request's first query runs on a new connection
    finally:
        other.close()


def test_a_connection_used_a_moment_ago_is_not_checked_again():
    other = _own_connection()
    try:
        first = _pid(other)  # used just now
        _drop(first)
        other.health_check_done = False
        other.close_if_health_check_failed()
        assert other.connection is not None and other.health_check_done  # no round trip spent
        # the broken connection fails one query; Django's end-of-request cleanup then drops it
        with pytest.raises(Exception):  # noqa: B017 - psycopg's error of a terminated backend
            _pid(other)
        other.close_if_unusable_or_obsolete()
        assert other.connection is None
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_losing_the_database_mid_request_answers_503_and_the_next_request_works(project):
    """The request's own connection is killed by the server between two of its queries: the page
    answers 503 with Retry-After (JSON on the API), nothing is half written, and the next
    request runs on a new connection."""
    from django.db import connection
    from django.test import Client

    killer = _own_connection()
    seen = {"queries": 0}

    def kill_before_the_second_query(execute, sql, params, many, context):
        seen["queries"] += 1
        if seen["queries"] == 2:
            with killer.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [connection.connection.info.backend_pid])
        return execute(sql, params, many, context)

    client = Client(raise_request_exception=False)
    try:
        for path in ("/projects/", "/api/v1/projects"):
            seen["queries"] = 0
            with connection.execute_wrapper(kill_before_the_second_query):
                response = client.get(path)
            assert response.status_code == 503 and response["Retry-After"] == "5", (path, response.status_code)
            assert client.get(path).status_code == 200  # a new connection, as if nothing happened
        assert client.get("/api/v1/projects").json()["items"][0]["code"] == project.code
    finally:
        killer.close()
