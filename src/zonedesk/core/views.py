"""Pages of the core app: logging in and out, two-factor authentication, the audit log; what the
apps' change forms share (`read_version`; their routine is `core.formviews`)."""

from __future__ import annotations

from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from zonedesk.core import throttle, twofactor
from zonedesk.core.models import Role, User
from zonedesk.core.numbers import whole
from zonedesk.core.throttle import client_address


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """Stands in for the admin's own login form, which is never shown: its form checks a password
    without the lock-out. The public is sent to the site's login page, an administrator on to
    where they were going, anyone else logged in is refused (403)."""
    from django.contrib import admin
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not admin.site.has_permission(request):
        raise PermissionDenied
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "admin:index"
    return redirect(target)


class LoginView(auth_views.LoginView):
    """Logging in, with the lock-out of `core.throttle`: too many failures for an account from an
    address (or from an address at all) and the form is refused, with a 429, whatever it holds."""

    template_name = "core/login.html"
    redirect_authenticated_user = True

    def _who(self) -> tuple[str, str]:
        return self.request.POST.get("username", ""), client_address(self.request)

    def post(self, request, *args, **kwargs):
        username, address = self._who()
        if not throttle.login_attempt(username=username, address=address):
            form = self.get_form_class()(request)  # unbound: the password is never checked
            form.full_clean()
            form.cleaned_data = {}  # an unbound form has none; the refusal is its only error
            minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
            message = _("Too many failed attempts to log in: wait %(minutes)s minutes and try again.")
            form.add_error(None, message % {"minutes": minutes})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        username, address = self._who()
        throttle.login_succeeded(username=username, address=address)
        response = super().form_valid(form)
        if twofactor.is_required(form.get_user()):  # the second step, then where they were going
            target = "two_factor" if twofactor.device_of(form.get_user()) else "two_factor_setup"
            return redirect(reverse(target) + "?next=" + quote(self.get_success_url(), safe="/"))
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # In demo mode the login page names the demo accounts, so visitors can try each role.
        accounts = []
        if settings.DEMO_MODE:
            accounts = list(User.objects.filter(is_demo=True, is_active=True).select_related("enterprise", "agency"))
        context["demo_accounts"] = sorted(accounts, key=lambda u: (_ROLE_ORDER.get(u.role, 9), u.username))
        if accounts:
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


_ROLE_ORDER = {Role.BOARD: 0, Role.LEADER: 1, Role.ENTERPRISE: 2, Role.AGENCY: 3, Role.ADMIN: 4}


def read_version(request: HttpRequest, record) -> int:
    """The version a change form was read at: on a GET the record's; on a POST the one the form
    carried, so that a page shown again after an error still holds what its reader saw. A form
    without it (or with a garbled one) gives 0, which no record has: the service refuses it and
    the writer is told to reload, never given the current version (that would overwrite in
    silence whatever changed since the page was read)."""
    if request.method != "POST":
        return record.version
    return whole(request.POST.get("version"), max_digits=9) or 0


# --- two-factor authentication (core/twofactor.py) ------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class CurrentCodeForm(forms.Form):
    """A current code for a change of two-step login: the authenticator's, or a recovery code."""

    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app, or a recovery code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )


class RecoveryCodeForm(forms.Form):
    recovery_code = forms.CharField(
        label=gettext_lazy("Recovery code"),
        max_length=32,
        help_text=gettext_lazy("One of the codes you saved when you set up two-step login, such as K7QD-9M2X-H4TB."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
    )


class ReplaceForm(CodeForm):
    current = forms.CharField(
        label=gettext_lazy("Code from the authenticator you use now, or a recovery code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}),
    )


WRONG_CODE = gettext_lazy("This code is not right. Enter the code your app shows now.")
WRONG_CURRENT_CODE = gettext_lazy(
    "This code is not right. Enter the code your app shows now (each code works once), or an unused recovery code."
)


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target:
        return target
    return "/"


def _too_many(form: forms.Form, user) -> bool:
    """Wrong codes make the next wait (django-otp's throttle, shared by every code of the person):
    the form says how long, and the code is not even checked."""
    wait = twofactor.wait_seconds(user)
    if wait:
        form.add_error(None, _("Too many wrong codes: wait %(seconds)s seconds and try again.") % {"seconds": wait})
    return bool(wait)


def _recovery_codes_page(request: HttpRequest, codes: list[str], *, next_url: str = "") -> HttpResponse:
    """The new recovery codes, shown once (never stored in clear: this answer is the only copy),
    with a text file of them to download and a print button."""
    from urllib.parse import quote as url_quote

    made = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    lines = [
        _("ZoneDesk: recovery codes of two-step login for %(user)s") % {"user": request.user.get_username()},
        _("Made on %(date)s. Each code works once, in place of the code of your authenticator app.") % {"date": made},
        "",
        *codes,
        "",
    ]
    text = "\r\n".join(lines)
    context = {
        "codes": codes,
        "made": made,
        "download": "data:text/plain;charset=utf-8," + url_quote(text),
        "next": next_url,
    }
    response = render(request, "core/recovery_codes.html", context)
    response["Cache-Control"] = "no-store"
    return response


def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: the code of the person's authenticator, or a recovery code."""
    if twofactor.is_passed(request):
        return redirect(_next(request))
    if twofactor.device_of(request.user) is None:
        return redirect(reverse("two_factor_setup") + "?next=" + quote(_next(request), safe="/"))
    by_recovery = request.method == "POST" and "recovery_code" in request.POST
    form = CodeForm(request.POST if request.method == "POST" and not by_recovery else None)
    recovery_form = RecoveryCodeForm(request.POST if by_recovery else None)
    status = 200
    sent = recovery_form if by_recovery else form
    if request.method == "POST" and sent.is_valid():
        token = sent.cleaned_data["recovery_code" if by_recovery else "code"]
        if _too_many(sent, request.user):
            status = 429
        elif by_recovery and not twofactor.is_recovery_code(token):
            sent.add_error("recovery_code", _("A recovery code has 12 letters and digits, such as K7QD-9M2X-H4TB."))
        elif kind := twofactor.verify(request=request, token=token):
            if kind == twofactor.RECOVERY:
                left = twofactor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _(
                        "You logged in with a recovery code; it is now used up. %(left)s left: make a new set "
                        "on the two-step login page if you have lost your phone."
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
        elif by_recovery:
            sent.add_error("recovery_code", _("This recovery code is not right, or it was used already."))
        else:
            sent.add_error("code", WRONG_CODE)
    context = {
        "form": form,
        "recovery_form": recovery_form,
        "by_recovery": by_recovery,
        "next": _next(request),
        "demo_code": twofactor.demo_code_for(request.user),
    }
    return render(request, "core/two_factor.html", context, status=status)


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Two-step login of one's own account. Without an authenticator: set one up (scan the QR
    code, enter the first code), then save the recovery codes shown once. With one: what is on
    (recovery codes left, a new authenticator, turning it off for enterprises); a new authenticator
    (`?replace=1`) needs a current code of the old one too, so neither a stolen password nor a
    stolen session replaces it."""
    has_device = twofactor.device_of(request.user) is not None
    if has_device and not request.user.is_verified():
        return redirect(reverse("two_factor") + "?next=" + quote(request.get_full_path(), safe="/"))
    replacing = has_device and (request.GET.get("replace") or request.POST.get("replace"))
    if has_device and not replacing:
        context = {
            "left": twofactor.recovery_codes_left(request.user),
            "total": settings.TWO_FACTOR_RECOVERY_CODES,
            "required": request.user.role in twofactor.REQUIRED_ROLES,
        }
        return render(request, "core/two_factor_account.html", context)
    device = twofactor.pending_device(request) or twofactor.enrol_start(request=request)
    form = (ReplaceForm if replacing else CodeForm)(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if replacing and _too_many(form, request.user):
            status = 429
        else:
            wrong = twofactor.enrol_confirm(
                request=request,
                device=device,
                token=form.cleaned_data["code"],
                current=form.cleaned_data.get("current", ""),
            )
            if not wrong and replacing:
                messages.success(request, _("Your new authenticator is on; the old one no longer works."))
                return redirect("two_factor_setup")
            if not wrong:  # the first authenticator: its recovery codes, shown once, then on
                messages.success(request, _("Two-step login is on: from now on you log in with a code from your app."))
                codes = twofactor.recovery_codes_make(user=request.user)
                return _recovery_codes_page(request, codes, next_url=_next(request))
            form.add_error(wrong, WRONG_CODE if wrong == "code" else WRONG_CURRENT_CODE)
    context = {
        "form": form,
        "next": _next(request),
        "qr": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "required": request.user.role in twofactor.REQUIRED_ROLES,
        "replacing": replacing,
    }
    return render(request, "core/two_factor_setup.html", context, status=status)


def two_factor_recovery(request: HttpRequest) -> HttpResponse:
    """A new set of recovery codes, with a current code (the authenticator's or a recovery code):
    the old set stops working, the new one is shown once."""
    if twofactor.device_of(request.user) is None:
        return redirect("two_factor_setup")
    form = CurrentCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _too_many(form, request.user):
            status = 429
        elif twofactor.check_code(user=request.user, token=form.cleaned_data["code"]) is not None:
            codes = twofactor.recovery_codes_make(user=request.user)
            return _recovery_codes_page(request, codes)
        else:
            form.add_error("code", WRONG_CURRENT_CODE)
    context = {
        "form": form,
        "left": twofactor.recovery_codes_left(request.user),
        "total": settings.TWO_FACTOR_RECOVERY_CODES,
    }
    return render(request, "core/two_factor_recovery.html", context, status=status)


def two_factor_off(request: HttpRequest) -> HttpResponse:
    """An enterprise user turns two-step login off, with a current code only (never the password
    or the session alone). Officers cannot: it is required for them (the access matrix: 403)."""
    if request.user.role in twofactor.REQUIRED_ROLES:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if twofactor.device_of(request.user) is None:
        return redirect("two_factor_setup")
    form = CurrentCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if _too_many(form, request.user):
            status = 429
        elif twofactor.turn_off(user=request.user, token=form.cleaned_data["code"]):
            messages.success(request, _("Two-step login is off: you log in with your password only."))
            return redirect("two_factor_setup")
        else:
            form.add_error("code", WRONG_CURRENT_CODE)
    return render(request, "core/two_factor_off.html", {"form": form}, status=status)


# --- the audit trail (core/audit.py) ------------------------------------------------------


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    model = forms.ChoiceField(label=gettext_lazy("Kind of record"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    object = forms.CharField(label=gettext_lazy("Record key"), required=False, max_length=100)
    actor = forms.CharField(label=gettext_lazy("Who (user name)"), required=False, max_length=150)
    address = forms.GenericIPAddressField(label=gettext_lazy("Address"), required=False)
    # "From" alone is the sender of a petition in Vietnamese ("Người gửi"): a date needs its own
    since = forms.DateField(
        label=pgettext_lazy("start of a period", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=pgettext_lazy("end of a period", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from zonedesk.core import audit_display

        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All kinds"))] + audit_display.kind_choices()
        self.fields["action"].choices = [("", _("Any action"))] + [
            (str(k), capfirst(str(v))) for k, v in audit_display.VERBS.items() if k != 3
        ]


AUDIT_PAGE = 25  # entries a page: each may list several changed fields


def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit trail for board officers and admins (the access matrix): who did what to which
    record, searchable, per record (`?model=investment.project&object=12`), paged, and exported
    with the same filters for programs (`?export=csv|xlsx|json`: ids, field names, ISO times)."""
    from auditlog.models import LogEntry
    from django.core.paginator import Paginator

    from zonedesk.core import audit, audit_display
    from zonedesk.core.exports import export_format, json_response, table_response

    form = AuditFilterForm(request.GET or None)
    cd = {}
    if form.is_bound and not form.is_valid():
        # a filter that cannot be read shows nothing (not the whole trail as if unfiltered), with
        # its reasons: beside the fields on the page, as JSON for a program asking for an export
        if request.GET.get("export"):
            return JsonResponse(
                {"detail": _("The filter is not valid."), "errors": {f: list(e) for f, e in form.errors.items()}},
                status=400,
            )
        page = Paginator(LogEntry.objects.none(), AUDIT_PAGE).get_page(1)
        return render(request, "core/audit_list.html", {"form": form, "page": page, "rows": []}, status=400)
    if form.is_bound:
        cd = form.cleaned_data
    qs = audit.entries(
        q=cd.get("q", ""),
        model=cd.get("model", ""),
        action=cd.get("action", ""),
        object_pk=cd.get("object", ""),
        actor=cd.get("actor", ""),
        address=cd.get("address") or "",
        since=cd.get("since"),
        until=cd.get("until"),
    )
    columns = audit_display.MACHINE_COLUMNS
    if request.GET.get("export") == "json":
        return json_response(name="audit-trail", columns=columns, rows=qs.iterator(2000))
    if fmt := export_format(request):
        return table_response(
            fmt=fmt, name="audit-trail", columns=columns, rows=qs.iterator(2000), title=_("Audit trail")
        )
    page = Paginator(qs, AUDIT_PAGE).get_page(request.GET.get("page"))
    rows = audit_display.present(page.object_list)
    return render(request, "core/audit_list.html", {"form": form, "page": page, "rows": rows})
