"""Sessions: Django's database store read with one plain statement, and how long a session lives.

Every request of a logged-in person reads its session; Django's store builds that query through
the ORM each time, which costs several times the statement itself (docs/PERFORMANCE.md). This
store reads the same row with the same condition (the key, not expired) in plain SQL; writing,
expiry and everything else are Django's. With a shared cache the settings use Django's
"cached_db" store instead, which reads from the cache.

How long (`SessionLifetimeMiddleware`): an officer's session (board, agency, leader, admin: the
roles that must use two-step login) ends after `OFFICER_SESSION_IDLE_SECONDS` without a request
and `OFFICER_SESSION_MAX_SECONDS` after logging in, an enterprise's after
`ENTERPRISE_SESSION_IDLE_SECONDS` and `ENTERPRISE_SESSION_MAX_SECONDS`. The session holds when it
started and when it was last seen; the last-seen mark is refreshed at most once a minute
(`SESSION_ACTIVITY_RESOLUTION_SECONDS`), so an active person's session is written once a minute,
not at every request (an idle period is thus measured from up to a minute before the last
request). Each refresh moves the session's own expiry (the database row's `expire_date`, the
cache entry's timeout with "cached_db", the cookie's Max-Age) to the earlier of the two ends, so
at that moment the store itself no longer gives the session to anyone, whoever presents its key;
the worker then deletes the row (`sessions_tick`). A session the middleware finds past its end
(a clock between two refreshes) is deleted at once (logged out).

Why and when it ends is kept beside, in a cookie of no value to anyone (`zonedesk_session_end`:
"idle" or "too-long", the limit and the moment, written with each refresh), so that the next
request from that browser, found logged out after that moment, is told why: a page leads to the
login page with the reason and `next=` the page, the API answers 401 with the reason. Logging
out deletes that cookie; a session gone before its end (a password changed) says nothing.
"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.db import connections, router
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django_tasks import task

from zonedesk.core.numbers import whole

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse


class SessionStore(DatabaseStore):
    def _get_session_from_db(self):
        model = self.model
        alias = router.db_for_read(model)
        connection = connections[alias]
        table = connection.ops.quote_name(model._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data, expire_date FROM {table} WHERE session_key = %s AND expire_date > %s",  # noqa: S608 - our own table
                [self.session_key, now],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        expire_date = row[1]
        if isinstance(expire_date, str):  # SQLite keeps it as text, in UTC
            expire_date = parse_datetime(expire_date)
        if timezone.is_naive(expire_date):
            expire_date = timezone.make_aware(expire_date, dt.UTC)
        return model(session_key=self.session_key, session_data=row[0], expire_date=expire_date)


# --- how long a logged-in session lives ---------------------------------------------------------

STARTED_KEY = "zonedesk_started"  # when the person logged in (seconds since the epoch)
SEEN_KEY = "zonedesk_seen"  # their last request, to within SESSION_ACTIVITY_RESOLUTION_SECONDS
END_COOKIE = "zonedesk_session_end"  # why and when the session ends if no request comes
IDLE, TOO_LONG = "idle", "too-long"


ENTERPRISE = "enterprise"  # core.models.Role.ENTERPRISE (this module is loaded before the models)


def limits(user: Any) -> tuple[int, int]:
    """(idle, absolute) lifetime in seconds of this person's sessions; idle 0 = no idle limit.
    Enterprise users may stay longer; every other role is held to the officers' limits."""
    if getattr(user, "role", None) == ENTERPRISE:
        return settings.ENTERPRISE_SESSION_IDLE_SECONDS, settings.ENTERPRISE_SESSION_MAX_SECONDS
    return settings.OFFICER_SESSION_IDLE_SECONDS, settings.OFFICER_SESSION_MAX_SECONDS


def ended(session, user: Any, now: int) -> tuple[str, int]:
    """Why this logged-in session has ended and the limit passed, (IDLE, 1800) or (TOO_LONG,
    43200); ("", 0) if it goes on."""
    idle, longest = limits(user)
    started, seen = session.get(STARTED_KEY), session.get(SEEN_KEY)
    if started is None or seen is None:
        return "", 0
    if now - started >= longest:
        return TOO_LONG, longest
    if idle and now - seen >= idle:
        return IDLE, idle
    return "", 0


def _end_of(session, user: Any) -> tuple[int, str]:
    """When the session will end if no request comes, and the note saying why and when
    ("idle:1800:1767225600": idle for 30 minutes, at that second)."""
    idle, longest = limits(user)
    end, why = session[STARTED_KEY] + longest, f"{TOO_LONG}:{longest}"
    if idle and session[SEEN_KEY] + idle < end:
        end, why = session[SEEN_KEY] + idle, f"{IDLE}:{idle}"
    return end, f"{why}:{end}"


def _mark(request: HttpRequest, user: Any, now: int) -> None:
    """Record activity; move the store's own expiry to the earlier of the two ends, and note in
    the browser which end that is."""
    session = request.session
    session.setdefault(STARTED_KEY, now)
    session[SEEN_KEY] = now
    end, request._session_end_note = _end_of(session, user)
    session.set_expiry(dt.datetime.fromtimestamp(end, tz=dt.UTC))


def logged_in(sender, request, user, **kwargs) -> None:
    """At each login the session's clock starts again (Django keeps the data of a session whose
    key it cycles, so an earlier start must not carry over)."""
    if getattr(request, "session", None) is not None:
        request.session.pop(STARTED_KEY, None)
        _mark(request, user, int(timezone.now().timestamp()))


def logged_out(sender, request, user, **kwargs) -> None:
    """A person who logs out is not told later that their session ended."""
    if request is not None:
        request._session_end_note = ""


def end_message(reason: str, seconds: int) -> str:
    """Why the person was logged out, in words: "after 30 minutes without activity"."""
    if reason == IDLE:
        if seconds >= 2 * 3600:
            return _("You were logged out after %(hours)s hours without activity. Log in again to go on.") % {
                "hours": round(seconds / 3600)
            }
        return _("You were logged out after %(minutes)s minutes without activity. Log in again to go on.") % {
            "minutes": max(1, round(seconds / 60))
        }
    if seconds >= 2 * 86400:
        return _("You were logged out: a session lasts at most %(days)s days. Log in again to go on.") % {
            "days": round(seconds / 86400)
        }
    return _("You were logged out: a session lasts at most %(hours)s hours. Log in again to go on.") % {
        "hours": max(1, round(seconds / 3600))
    }


class SessionLifetimeMiddleware(MiddlewareMixin):
    """Ends a logged-in session that was idle too long or has lasted too long, and tells a browser
    whose session the store has already let go why (see the module's docstring); otherwise
    refreshes the last-seen mark, at most once a minute. Placed before the second-factor gate and
    the access matrix, which then see the person as the public."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        session = getattr(request, "session", None)
        if session is None:
            return None
        if SESSION_KEY not in session:  # the public (no session read without a cookie), or ended
            if END_COOKIE not in request.COOKIES:
                return None
            request._session_end_note = ""  # told once, or not at all
            reason, seconds, end = (request.COOKIES[END_COOKIE].split(":") + ["", ""])[:3]
            if reason not in {IDLE, TOO_LONG} or whole(seconds) is None or whole(end) is None:
                return None
            if timezone.now().timestamp() < whole(end):  # gone for another reason (a password changed)
                return None
            sent = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
            if sent and session.session_key is None:  # the store let it go: its row goes now too
                session.delete(sent)
            return _told(request, end_message(reason, whole(seconds)))
        user = request.user
        if not user.is_authenticated:
            return None
        now = int(timezone.now().timestamp())
        reason, seconds = ended(session, user, now)
        if reason:
            from django.contrib.auth import logout

            logout(request)  # the session is deleted from its store (and the cache)
            return _told(request, end_message(reason, seconds))
        seen = session.get(SEEN_KEY)
        if seen is None or now - seen >= settings.SESSION_ACTIVITY_RESOLUTION_SECONDS:
            _mark(request, user, now)
        elif END_COOKIE not in request.COOKIES:  # a browser without the note gets it (no write)
            request._session_end_note = _end_of(session, user)[1]
        return None

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        note = getattr(request, "_session_end_note", None)
        if note:
            response.set_cookie(
                END_COOKIE,
                note,
                max_age=settings.SESSION_COOKIE_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        elif note == "" and END_COOKIE in request.COOKIES:
            response.delete_cookie(END_COOKIE, samesite="Lax")
        return response


def _told(request: HttpRequest, message: str) -> HttpResponse | None:
    """The person, now logged out, is told why: the API answers 401; a page leads to the login
    page with the message and the way back (`next=`)."""
    from django.contrib import messages
    from django.contrib.auth.views import redirect_to_login

    from zonedesk.core.access import login_target

    match = request.resolver_match
    if match is not None and match.namespace == "api":
        from zonedesk.core.errors import api_error

        return api_error(request, message, 401)
    messages.warning(request, message)
    if match is not None and match.view_name in {"login", "logout", "set_language"}:
        return None  # these serve the public too: on with the request, logged out
    return redirect_to_login(login_target(request))


def clear_ended() -> None:
    """Delete the sessions whose end has passed from the store: the rows of sessions nobody came
    back to (the cache drops its copies by their own timeout)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()


@task()
def sessions_tick() -> dict:
    """The periodic work: `clear_ended`."""
    clear_ended()
    return {"cleared": True}
