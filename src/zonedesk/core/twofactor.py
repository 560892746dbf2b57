"""Two-factor authentication: a time-based code (TOTP, RFC 6238) from an authenticator app.

Board officers, agency officers, leaders and admins must pass it after their password;
enterprise users may turn it on, and once on it is asked of them too. The devices are
django-otp's `TOTPDevice` (its throttling: each wrong code doubles the wait before the next
is checked; a code is never accepted twice). A person logged in with the password only reaches
nothing but the code page, its set-up page and logging out (`SecondFactorMiddleware`).

Recovery codes (`RecoveryCode`): a person with an authenticator holds a set of ten, shown once
when made, each standing in once for the authenticator's code (a lost or dead phone). Only a
slow salted hash of each is kept. A wrong recovery code counts against the authenticator's own
throttle, so guessing them is no faster than guessing the app's codes. Every change of two-step
login that a person makes themselves (a new set of recovery codes, a new authenticator, turning
it off, which only enterprises may do) asks for a current code: the session alone, or the
password alone, never changes it. An administrator removes a person's authenticator in the
admin (a lost phone without recovery codes); its recovery codes go with it.

In demo mode the demo accounts get a device at build time, and the code page shows them their
current code, so a visitor can try the flow; demo accounts cannot log in outside demo mode.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import django_otp
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.deprecation import MiddlewareMixin
from django.utils.translation import gettext as _
from django_otp.middleware import OTPMiddleware as _OTPMiddleware
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from zonedesk.core.models import RecoveryCode, Role
from zonedesk.core.numbers import whole

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


def enrol_confirm(*, request: HttpRequest, device: TOTPDevice, token: str, current: str = "") -> str:
    """Turn the new authenticator on with its first code (`token`). A person who has one already
    gives a current code of it too (`current`: its code or a recovery code), checked once the new
    one's is right: the session alone never replaces an authenticator. The new one replaces the
    old and takes over its recovery codes, and this session counts as having passed the second
    factor. Answers "" when done, else the field that was not right ("code" or "current")."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed or not device.verify_token(_digits(token)):
            return "code"
    old = device_of(request.user)
    if old is not None and check_code(user=request.user, token=current) is None:
        return "current"
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if device.confirmed:
            return "code"
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        RecoveryCode.objects.filter(device__user_id=device.user_id).exclude(device=device).update(device=device)
        TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    request.session.pop(PENDING_KEY, None)
    _passed(request, device)
    return ""


def _passed(request: HttpRequest, device: TOTPDevice) -> None:
    """The session has passed both steps: a new session key, so one learnt before is worthless."""
    request.session.cycle_key()
    django_otp.login(request, device)


def verify(*, request: HttpRequest, token: str) -> str:
    """The second step: a current code of the person (`check_code`). On success this session has
    passed; answers "authenticator" or "recovery" (which kind of code it was), "" if wrong."""
    kind = RECOVERY if is_recovery_code(token) else AUTHENTICATOR
    device = check_code(user=request.user, token=token)
    if device is None:
        return ""
    _passed(request, device)
    return kind


AUTHENTICATOR, RECOVERY = "authenticator", "recovery"


def check_code(*, user: Any, token: str) -> TOTPDevice | None:
    """Is `token` a current code of this person: their authenticator's (each taken once) or one of
    their recovery codes (then spent)? Both are throttled by the authenticator's own counter
    (django-otp: after a wrong code the next is not even checked for 1 s, then 2, 4, ...).
    Answers the authenticator when right, else None."""
    device = device_of(user)
    if device is None or not token:
        return None
    if is_recovery_code(token):
        return _spend_recovery_code(device=device, code=_normalised(token))
    return django_otp.verify_token(user, device.persistent_id, _digits(token))


def wait_seconds(user: Any) -> int:
    """How long before the next code is even checked (after wrong ones), 0 if it may be now."""
    device = device_of(user)
    if device is None:
        return 0
    allowed, data = device.verify_is_allowed()
    if allowed or not data:
        return 0
    locked_until = data.get("locked_until")
    return max(1, int((locked_until - timezone.now()).total_seconds())) if locked_until else 1


def turn_off(*, user: Any, token: str) -> bool:
    """Two-step login off, for a person for whom it is optional (enterprises), and only with a
    current code (the authenticator's or a recovery code): the authenticator is removed, its
    recovery codes with it. Officers may not: it is required for them (PermissionDenied)."""
    if user.role in REQUIRED_ROLES:
        raise PermissionDenied(_("Two-step login is required for your role: it cannot be turned off."))
    if check_code(user=user, token=token) is None:
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()  # recovery codes: deleted by the foreign key
    return True


# --- recovery codes ------------------------------------------------------------------------
# 12 characters of Crockford's base32 (60 random bits), shown in groups of four. Typed back in
# any case, with or without the dashes; O is read as 0, I and L as 1. Kept as PBKDF2-SHA256 with
# a salt the set shares, so a code typed in is derived once, whatever the number of codes kept.

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _normalised(token: str) -> str:
    return "".join(ch for ch in str(token).upper() if ch.isascii() and ch.isalnum()).translate(_READ_AS)


def is_recovery_code(token: str) -> bool:
    """Does it have the form of a recovery code (not of an authenticator's six digits)?"""
    code = _normalised(token)
    return len(code) == CODE_LENGTH and all(ch in ALPHABET for ch in code)


def _hash(code: str, *, salt: str, iterations: int) -> str:
    digest = hashlib.pbkdf2_hmac("sha256", code.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${base64.b64encode(digest).decode()}"


def recovery_codes_make(*, user: Any) -> list[str]:
    """A new set of recovery codes for a person with an authenticator, as they are shown once
    ("K7QD-9M2X-H4TB"); the earlier set is void from now on. Only their hashes are kept."""
    iterations = settings.TWO_FACTOR_RECOVERY_ITERATIONS
    salt = secrets.token_hex(16)
    codes = [
        "".join(secrets.choice(ALPHABET) for _i in range(CODE_LENGTH))
        for _n in range(settings.TWO_FACTOR_RECOVERY_CODES)
    ]
    hashes = [_hash(code, salt=salt, iterations=iterations) for code in codes]  # before the lock: slow on purpose
    with transaction.atomic():
        device = device_of(user)
        if device is None:
            raise PermissionDenied(_("Set up an authenticator first: recovery codes stand in for its codes."))
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        RecoveryCode.objects.filter(device__user_id=user.pk).delete()
        now = timezone.now()
        for code_hash in hashes:  # one at a time: each is in the audit trail (without its hash)
            RecoveryCode.objects.create(device=device, code_hash=code_hash, created_at=now)
    return ["-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4)) for code in codes]


def recovery_codes_left(user: Any) -> int:
    """How many of the person's recovery codes are still unused."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return RecoveryCode.objects.filter(device__user_id=user.pk, device__confirmed=True, used_at__isnull=True).count()


def _spend_recovery_code(*, device: TOTPDevice, code: str) -> TOTPDevice | None:
    """The recovery code, if it is one of the device's unused ones, is spent; a wrong one counts
    against the device's throttle. Under the device's row lock, so a code is never taken twice."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _details = device.verify_is_allowed()
        if not allowed:
            return None
        derived: dict[tuple[str, str], str] = {}
        found = None
        for kept in device.recovery_codes.filter(used_at__isnull=True).order_by("pk"):
            _algorithm, iterations, salt, _digest = kept.code_hash.split("$", 3)
            if (iterations, salt) not in derived:
                derived[iterations, salt] = _hash(code, salt=salt, iterations=int(iterations))
            if hmac.compare_digest(derived[iterations, salt], kept.code_hash):
                found = kept
                break
        if found is None:
            device.throttle_increment()
            return None
        found.used_at = timezone.now()
        found.save(update_fields=["used_at"])
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
    return device


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
        if label != self._TOTP or whole(pk) is None:
            return super()._device_from_persistent_id(persistent_id)
        table = connection.ops.quote_name(TOTPDevice._meta.db_table)
        return next(iter(TOTPDevice.objects.raw(f"SELECT * FROM {table} WHERE id = %s", [whole(pk)])), None)  # noqa: S608


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
            from zonedesk.core.errors import api_error

            return api_error(request, _("Enter the code of your authenticator app first."), 403)
        target = "two_factor" if device_of(request.user) is not None else "two_factor_setup"
        back = request.get_full_path() if request.method in {"GET", "HEAD"} else "/"
        return redirect(reverse(target) + "?next=" + quote(back, safe="/"))
