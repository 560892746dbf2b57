"""Pages of the core app: logging in and out; the page of one form the apps share (`form_page`)."""

from __future__ import annotations

import json
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core import throttle, twofactor
from zonedesk.core.models import Role, User
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
        if throttle.login_locked(username=username, address=address):
            form = self.get_form_class()(request)  # unbound: the password is never checked
            form.full_clean()
            form.cleaned_data = {}  # an unbound form has none; the refusal is its only error
            minutes = settings.LOGIN_LOCKOUT_SECONDS // 60
            message = _("Too many failed attempts to log in: wait %(minutes)s minutes and try again.")
            form.add_error(None, message % {"minutes": minutes})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        username, address = self._who()
        throttle.login_failed(username=username, address=address)
        return super().form_invalid(form)

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
            accounts = list(User.objects.filter(is_demo=True, is_active=True).select_related("enterprise"))
        context["demo_accounts"] = sorted(accounts, key=lambda u: (_ROLE_ORDER.get(u.role, 9), u.username))
        if accounts:
            from zonedesk.investment.demo import DEMO_PASSWORD

            context["demo_password"] = DEMO_PASSWORD
        return context


_ROLE_ORDER = {Role.BOARD: 0, Role.LEADER: 1, Role.ENTERPRISE: 2, Role.AGENCY: 3, Role.ADMIN: 4}


def form_page(
    request: HttpRequest, form, *, title: str, lead: str, back: str, back_label: str, version: int | None = None
) -> HttpResponse:
    """A page of one form (includes/form_page.html): a title, a lead line, the way back and, for a
    change, the version the form was read at."""
    context = {"form": form, "title": title, "lead": lead, "back": back, "back_label": back_label, "version": version}
    return render(request, "includes/form_page.html", context)


# --- two-factor authentication (core/twofactor.py) ------------------------------------------


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) and target:
        return target
    return "/"


def two_factor(request: HttpRequest) -> HttpResponse:
    """The second step of logging in: the code of the person's authenticator."""
    if twofactor.is_passed(request):
        return redirect(_next(request))
    if twofactor.device_of(request.user) is None:
        return redirect(reverse("two_factor_setup") + "?next=" + quote(_next(request), safe="/"))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = twofactor.wait_seconds(request.user)
        if wait:
            form.add_error(None, _("Too many wrong codes: wait %(seconds)s seconds and try again.") % {"seconds": wait})
            status = 429
        elif twofactor.verify(request=request, token=form.cleaned_data["code"]):
            return redirect(_next(request))
        else:
            form.add_error("code", _("This code is not right. Enter the code your app shows now."))
    context = {"form": form, "next": _next(request), "demo_code": twofactor.demo_code_for(request.user)}
    return render(request, "core/two_factor.html", context, status=status)


def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Turn on (or replace) the authenticator: scan the QR code, enter the first code. Someone who
    has one already must give its code first, so a stolen password cannot replace it."""
    if twofactor.device_of(request.user) is not None and not request.user.is_verified():
        return redirect(reverse("two_factor") + "?next=" + quote(request.get_full_path(), safe="/"))
    device = twofactor.pending_device(request) or twofactor.enrol_start(request=request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if twofactor.enrol_confirm(request=request, device=device, token=form.cleaned_data["code"]):
            messages.success(request, _("Two-step login is on: from now on you log in with a code from your app."))
            return redirect(_next(request))
        form.add_error("code", _("This code is not right. Enter the code your app shows now."))
    context = {
        "form": form,
        "next": _next(request),
        "qr": twofactor.qr_svg(device),
        "secret": twofactor.secret_text(device),
        "required": request.user.role in twofactor.REQUIRED_ROLES,
        "replacing": twofactor.device_of(request.user) is not None,
    }
    return render(request, "core/two_factor_setup.html", context)


# --- the audit trail (core/audit.py) ------------------------------------------------------


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    model = forms.CharField(label=gettext_lazy("Kind of record (app.model)"), required=False, max_length=100)
    object = forms.CharField(label=gettext_lazy("Record key"), required=False, max_length=100)
    actor = forms.CharField(label=gettext_lazy("Who (user name)"), required=False, max_length=150)
    address = forms.GenericIPAddressField(label=gettext_lazy("Address"), required=False)
    since = forms.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))


def audit_list(request: HttpRequest) -> HttpResponse:
    """The audit trail for board officers and admins (the access matrix): searchable, per object
    (`?model=investment.project&object=12`), exportable with the same filters."""
    from django.core.paginator import Paginator

    from zonedesk.core import audit
    from zonedesk.core.exports import Column, export_format, table_response

    form = AuditFilterForm(request.GET or None)
    status = 200
    cd = {}
    if form.is_bound:
        if form.is_valid():
            cd = form.cleaned_data
        else:
            status = 400
    qs = audit.entries(
        q=cd.get("q", ""),
        model=cd.get("model", ""),
        object_pk=cd.get("object", ""),
        actor=cd.get("actor", ""),
        address=cd.get("address") or "",
        since=cd.get("since"),
        until=cd.get("until"),
    )
    if status == 200 and (fmt := export_format(request)):
        columns = [
            Column(_("When"), lambda e: timezone.localtime(e.timestamp).replace(tzinfo=None)),
            Column(_("Who"), lambda e: e.actor.username if e.actor else ""),
            Column(_("Address"), lambda e: e.remote_addr or ""),
            Column(_("Action"), lambda e: e.get_action_display()),
            Column(_("Kind of record"), lambda e: f"{e.content_type.app_label}.{e.content_type.model}"),
            Column(_("Record key"), lambda e: e.object_pk),
            Column(_("Record"), lambda e: e.object_repr),
            Column(_("Changes"), lambda e: json.dumps(e.changes, ensure_ascii=False, default=str)),
            Column(
                _("Import"),
                lambda e: e.additional_data.get("import", "") if isinstance(e.additional_data, dict) else "",
            ),
        ]
        return table_response(fmt=fmt, name="audit-trail", columns=columns, rows=qs.iterator(), title=_("Audit trail"))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    rows = [{"entry": e, "changes": audit.changes_of(e)} for e in page]
    return render(request, "core/audit_list.html", {"form": form, "page": page, "rows": rows}, status=status)
