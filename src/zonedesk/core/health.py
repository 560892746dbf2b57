"""Health and readiness for load balancers and orchestrators.

- `GET /healthz` (liveness): the process answers. No database, no cache: a failing database
  must not get every app server restarted.
- `GET /readyz` (readiness): this server can serve requests now: the database answers, every
  migration of the code is applied, and the cache answers when it is shared (Redis holds the
  sessions then). 200 when all pass, 503 naming the checks that failed.

A middleware placed first answers both, before the host check (a load balancer asks by the
machine's address, which is not in ALLOWED_HOSTS), the HTTPS redirect (it asks over plain HTTP
inside the private network), sessions and the language. No login, nothing cached, and no detail
that could help an attacker: a failed check gives the class of the error, never its message.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers

log = logging.getLogger(__name__)

OK = "ok"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_migrations() -> str:
    """About 5 ms: the migration files are read from the modules Python already imported."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"failed: {len(plan)} unapplied"
    return OK


def check_cache() -> str:
    key = f"zonedesk:readyz:{secrets.token_hex(8)}"
    token = secrets.token_hex(8)
    cache.set(key, token, timeout=10)
    try:
        if cache.get(key) != token:
            return "failed: the value written was not read back"
    finally:
        cache.delete(key)
    return OK


def _run(check: Callable[[], str]) -> str:
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - a readiness check reports every failure
        log.warning("readiness check %s failed", check.__name__, exc_info=True)
        return f"failed: {type(exc).__name__}"


def readiness() -> tuple[bool, dict[str, str]]:
    checks = {"database": _run(check_database)}
    checks["migrations"] = _run(check_migrations) if checks["database"] == OK else "skipped: no database"
    if settings.SHARED_CACHE:
        checks["cache"] = _run(check_cache)
    return all(v == OK for v in checks.values()), checks


def _answer(request: HttpRequest, body: dict, status: int = 200) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response: HttpResponse = JsonResponse({"detail": "Method not allowed."}, status=405)
        response["Allow"] = "GET, HEAD"
    else:
        response = JsonResponse(body, status=status)
    add_never_cache_headers(response)
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return _answer(request, {"status": OK})


def readyz(request: HttpRequest) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        return _answer(request, {})
    ready, checks = readiness()
    failed = [name for name, result in checks.items() if result.startswith("failed")]
    body = {"status": OK if ready else "unavailable", "checks": checks, "failed": failed}
    return _answer(request, body, 200 if ready else 503)


ROUTES = {"/healthz": healthz, "/readyz": readyz}


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        view = ROUTES.get(request.path_info)
        if view is not None:
            return view(request)
        return self.get_response(request)
