"""Two-factor authentication: a time-based code (TOTP, RFC 6238) from an authenticator app.

Board officers, agency officers, leaders and admins must pass it after their password;
enterprise users may turn it on, and once on it is asked of them too. The devices are
django-otp's `TOTPDevice` (its throttling: each wrong code doubles the wait before the next
is checked; a code is never accepted twice). A person logged in with the password only reaches
nothing but the code page, its set-up page and logging out (`SecondFactorMiddleware`).

In demo mode the demo accounts get a device at build time, and the code page shows them their
current code, so a visitor can try the flow; demo accounts cannot log in outside demo mode.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import django_otp
from django.conf import settings
from django.db import connection, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware as _OTPMiddleware
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zonedesk.core.models import Role

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

REQUIRED_ROLES = frozenset({Role.AGENCY, Role.BOARD, Role.LEADER, Role.ADMIN})
DEVICE_NAME = "authenticator"
# What a person who has given the password but not yet the code may reach.
OPEN_BEFORE_CODE = frozenset({"two_factor", "two_factor_setup", "logout", "login", "set_language"})


def device_of(user: Any) -> TOTPDevice | None:
    """The person's confirmed authenticator, if any."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).order_by("-pk").first()


def is_required(user: Any) -> bool:
    """Must this person give a code after the password? Their role says so, or they turned it on."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in REQUIRED_ROLES or device_of(user) is not None


def is_passed(request: HttpRequest) -> bool:
    user = request.user
    return not is_required(user) or bool(getattr(user, "is_verified", lambda: False)())


PENDING_KEY = "two_factor_pending"  # the session that started a set-up, and only it, finishes it


def enrol_start(*, request: HttpRequest) -> TOTPDevice:
    """A new authenticator, not yet confirmed, for this session only (any earlier unconfirmed
    one is dropped: a secret shown to another session is never the one confirmed)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        device = TOTPDevice.objects.create(user=request.user, name=DEVICE_NAME, confirmed=False)
    request.session[PENDING_KEY] = device.pk
    return device


def pending_device(request: HttpRequest) -> TOTPDevice | None:
    """The unconfirmed authenticator this session started, if it is still there."""
    pk = request.session.get(PENDING_KEY)
    if pk is None:
        return None
    return TOTPDevice.objects.filter(pk=pk, user=request.user, confirmed=False).first()


def enrol_confirm(*, request: HttpRequest, device: TOTPDevice, token: str) -> bool:
    """Turn the new authenticator on with its first code: it replaces any earlier one, and this
    session counts as having passed the second factor."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(_digits(token)):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    request.session.pop(PENDING_KEY, None)
    _passed(request, device)
    return True


def _passed(request: HttpRequest, device: TOTPDevice) -> None:
    """The session has passed both steps: a new session key, so one learnt before is worthless."""
    request.session.cycle_key()
    django_otp.login(request, device)


def verify(*, request: HttpRequest, token: str) -> bool:
    """Check the code against the person's authenticator (throttled by django-otp)."""
    device = device_of(request.user)
    if device is None:
        return False
    verified = django_otp.verify_token(request.user, device.persistent_id, _digits(token))
    if verified is None:
        return False
    _passed(request, verified)
    return True


def wait_seconds(user: Any) -> int:
    """How long before the next code is even checked (after wrong ones), 0 if it may be now."""
    device = device_of(user)
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data:
        return 0
    from django.utils import timezone

    locked_until = data.get("locked_until")
    return max(1, int((locked_until - timezone.now()).total_seconds())) if locked_until else 1


def qr_svg(device: TOTPDevice) -> str:
    """The set-up address as a QR code, an inline SVG drawn here (no network, no image file)."""
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=4, border=2, dark="#1a1a1a")


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def _digits(token: str) -> str:
    return "".join(ch for ch in str(token) if ch.isdigit())[:8]


# --- the demo ----------------------------------------------------------------------------


def demo_key(username: str) -> str:
    """A fixed key per demo account (hex), so a rebuilt demo keeps its authenticators."""
    return hashlib.sha256(f"zonedesk-demo-totp:{username}".encode()).hexdigest()[:40]


def demo_enrol(*, user: Any) -> TOTPDevice:
    """Give a demo account its authenticator (kept if it has one)."""
    with transaction.atomic():
        device = device_of(user)
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=True, key=demo_key(user.username))
        return device


def demo_code_for(user: Any) -> str:
    """The current code of a demo account, shown on the code page in demo mode only."""
    if not (settings.DEMO_MODE and getattr(user, "is_demo", False)):
        return ""
    device = device_of(user)
    return current_code(device) if device is not None else ""


# --- the gate ----------------------------------------------------------------------------


class OTPMiddleware(_OTPMiddleware):
    """django-otp's (`request.user.is_verified()`: the session names the authenticator that gave
    the code), reading that authenticator with one plain statement: every request of a signed-in
    officer does it, and the ORM's query building cost several times the statement
    (docs/PERFORMANCE.md). The checks stay django-otp's: the device must be the user's and
    confirmed, else the session's key is dropped. Other kinds of device take django-otp's path."""

    _TOTP = f"{TOTPDevice._meta.app_label}.{TOTPDevice._meta.model_name}"

    def _device_from_persistent_id(self, persistent_id: str):
        label, _sep, pk = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label != self._TOTP or not pk.isdigit():
            return super()._device_from_persistent_id(persistent_id)
        table = connection.ops.quote_name(TOTPDevice._meta.db_table)
        return next(iter(TOTPDevice.objects.raw(f"SELECT * FROM {table} WHERE id = %s", [int(pk)])), None)  # noqa: S608


class SecondFactorMiddleware(MiddlewareMixin):
    """Until the code is given, a person logged in with the password reaches only the code page
    (or the set-up page, if they have no authenticator yet) and logging out: other pages send
    them there, the API answers 403."""

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or not request.user.is_authenticated or match.view_name in OPEN_BEFORE_CODE:
            return None
        if is_passed(request):
            return None
        if match.namespace == "api":
            from zonedesk.api import api

            detail = _("Enter the code of your authenticator app first.")
            return api.create_response(request, {"detail": detail}, status=403)
        target = "two_factor" if device_of(request.user) is not None else "two_factor_setup"
        back = request.get_full_path() if request.method in {"GET", "HEAD"} else "/"
        return redirect(reverse(target) + "?next=" + quote(back, safe="/"))
