"""A write sent twice is done once: the API's `Idempotency-Key` header and the page forms'
submission token.

A client that sent a write and got no answer (a lost connection, a timeout, a server killed after
its commit) cannot know whether it was done; a person who clicks "Send" twice sends it twice. So:

* **API**: every write (`POST`, `PUT`, `PATCH`, `DELETE` under `/api/`) may carry an
  `Idempotency-Key` header (1 to 255 visible ASCII characters, e.g. a UUID the client makes for
  each new write). The first request with a key is done and its answer kept for
  `IDEMPOTENCY_SECONDS` (24 h); the same key sent again by the same caller with the same request
  (method, path, body) gets that answer again, marked `Idempotent-Replayed: true`, and nothing is
  done a second time; the same key with another request is refused (422). Only answers that
  wrote something are kept (2xx): a refused request (4xx) may be sent again with its key.
* **Pages**: each form that writes carries a hidden submission token (`{% submission_token %}`, a
  new random one each time the form is shown). Sending the same form twice (a double click, the
  browser's "send again" after a lost answer) gives the first answer (its redirect) again; sending
  the same token with other content (the form changed after the browser's back button) is
  refused with a page that says to open the form again.

"The same caller" is the logged-in person, or the address of a visitor. The key's row is written in
the same transaction as the write it guards (the whole request runs in one transaction), so a
concurrent second request with the same key waits for the first to commit (PostgreSQL's unique
index, SQLite's write lock) and then replays its answer: never both done, never neither.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django_tasks import task
from ninja.utils import check_csrf

from zonedesk.core.models import IdempotentRequest
from zonedesk.core.throttle import PublicApiThrottle, client_address

HEADER = "Idempotency-Key"
FIELD = "submission"  # the page forms' hidden field
_KEY = re.compile(r"[\x21-\x7e]{1,255}")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
MAX_KEPT_BYTES = 1024 * 1024  # a longer answer is not kept (ours are a few hundred bytes)


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _owner(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"address:{client_address(request)}"[:64]


def _fingerprint(request, *, form: bool) -> str:
    """What makes two requests the same: method, path, query and body (a page form's fields
    without the CSRF token, which changes with every page shown; its files' names and bytes)."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if not form and request.content_type != "multipart/form-data":
        digest.update(request.body)
        return digest.hexdigest()
    for key in sorted(request.POST):
        if key != "csrfmiddlewaretoken":
            digest.update(f"{key}={request.POST.getlist(key)!r}\n".encode())
    for key in sorted(request.FILES):
        for upload in request.FILES.getlist(key):
            digest.update(f"{key}:{upload.name}:{upload.size}\n".encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    return digest.hexdigest()


def _api_refusal(detail: str, status: int) -> JsonResponse:
    return JsonResponse({"detail": detail, "errors": {HEADER: [detail]}}, status=status)


def _page_refusal() -> HttpResponse:
    reason = _("This form was already sent with other content. Open the form again to send something new.")
    return HttpResponse(loader.render_to_string("400.html", {"reason": reason, "code": 409}), status=409)


def _replay(request, kept: IdempotentRequest, *, api: bool) -> HttpResponse:
    if not kept.answer_kept:  # done, but its answer was too large to keep (none is, today)
        detail = _("This write was already done; its answer cannot be sent again. Read the record to see it.")
        if api:
            return JsonResponse({"detail": detail}, status=409)
        return HttpResponse(loader.render_to_string("400.html", {"reason": detail, "code": 409}), status=409)
    response = HttpResponse(bytes(kept.body), status=kept.status, content_type=kept.content_type or None)
    if kept.location:
        response["Location"] = kept.location
    if api:
        response["Idempotent-Replayed"] = "true"
    if kept.session_key and not request.user.is_authenticated:
        # a visitor whose first answer (and the session it made) was lost: the session comes back
        # through the session middleware, which replaces whatever stale cookie the browser sent
        from importlib import import_module

        store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=kept.session_key)
        if not store.is_empty():
            request.session = store
            store.modified = True  # saved again and its cookie set with this answer
    return response


class IdempotencyMiddleware(MiddlewareMixin):
    """See the module's docstring. Its work is done in `process_view`, last of the middlewares
    that have one: after the CSRF check, the session's lifetime, the two-step gate and the access
    matrix have let the request through (a request any of them refuses never keeps or replays
    anything), it runs the view itself, inside the key's transaction."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in WRITES:
            return None
        api = request.path_info.startswith("/api/")
        key = request.headers.get(HEADER) if api else _form_field(request, FIELD)
        if key is None:
            return None
        if api and request.user.is_authenticated and check_csrf(request):
            # the API's views check a session's CSRF token themselves (ninja's django_auth): this
            # one must, before it replays anything
            return JsonResponse({"detail": _("You do not have permission to do this.")}, status=403)
        if not _KEY.fullmatch(key):
            if api:
                return _api_refusal(_("An Idempotency-Key is 1 to 255 visible ASCII characters."), 422)
            return None  # a mangled token guards nothing; the form is handled as sent
        return self._once(request, key, api=api, view=lambda: view_func(request, *view_args, **view_kwargs))

    def _once(self, request, key: str, *, api: bool, view) -> HttpResponse:
        owner = _owner(request)
        fingerprint = _fingerprint(request, form=not api)
        now = timezone.now()
        with transaction.atomic():
            IdempotentRequest.objects.filter(
                owner=owner, key=key, created_at__lt=now - dt.timedelta(seconds=settings.IDEMPOTENCY_SECONDS)
            ).delete()
            try:
                with transaction.atomic():
                    row = IdempotentRequest.objects.create(
                        owner=owner, key=key, fingerprint=fingerprint, status=0, created_at=now
                    )
            except IntegrityError:
                # the key was used: by a request already done, or one that has just committed
                # while this one waited for the lock
                kept = IdempotentRequest.objects.get(owner=owner, key=key)
                limit = PublicApiThrottle()
                if api and not request.user.is_authenticated and not limit.allow_request(request):
                    # a replay is a public call like any other: counted, and refused past the limit
                    detail = _("Too many requests from your address: wait a minute and try again.")
                    refused = JsonResponse({"detail": detail}, status=429)
                    refused["Retry-After"] = str(int(limit.wait()))
                    return refused
                if kept.fingerprint != fingerprint:
                    if api:
                        return _api_refusal(_("This Idempotency-Key was used for another request."), 422)
                    return _page_refusal()
                return _replay(request, kept, api=api)
            had_session = settings.SESSION_COOKIE_NAME in request.COOKIES
            response = view()
            if hasattr(response, "render") and callable(response.render):
                response = response.render()  # a template response, drawn now to be kept
            if not (200 <= response.status_code < (300 if api else 400)):
                transaction.set_rollback(True)  # nothing of a refused or failed request stays, its key included
                return response
            self._keep(request, row, response, new_session=not had_session)
            return response

    @staticmethod
    def _keep(request, row: IdempotentRequest, response: HttpResponse, *, new_session: bool) -> None:
        """Keep the answer of a write that was done (or only that it was done, when the answer is
        streamed or too large: sent again, the write gets a 409 instead of being done twice)."""
        row.status = response.status_code
        if response.streaming or len(response.content) > MAX_KEPT_BYTES:
            row.save(update_fields=["status"])
            return
        session = getattr(request, "session", None)
        if new_session and not request.user.is_authenticated and session is not None:
            if session.modified and not session.is_empty():
                session.save()  # now, in this transaction, to know its key (the session middleware saves it again)
                row.session_key = session.session_key or ""
        row.answer_kept = True
        row.content_type = response.get("Content-Type", "")[:120]
        row.location = response.get("Location", "")[:2000]
        row.body = response.content
        row.save(update_fields=["status", "answer_kept", "content_type", "location", "body", "session_key"])


_FORMS = {"application/x-www-form-urlencoded", "multipart/form-data"}


def _form_field(request, name: str) -> str | None:
    if request.content_type not in _FORMS:
        return None
    try:
        return request.POST.get(name)
    except MultiPartParserError:  # a body that cannot be parsed is the view's to answer
        return None


def idempotent_requests_sweep() -> int:
    """Delete the kept answers past their time."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.IDEMPOTENCY_SECONDS)
    deleted, _counts = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


@task()
def idempotency_tick() -> dict:
    """The periodic work: the kept answers older than a day go."""
    return {"deleted": idempotent_requests_sweep()}
