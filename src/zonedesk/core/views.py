"""Pages of the core app: logging in and out; the page of one form the apps share (`form_page`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from zonedesk.core import throttle
from zonedesk.core.models import Role, User
from zonedesk.core.throttle import client_address


def admin_login(request: HttpRequest, extra_context=None) -> HttpResponse:
    """Stands in for the admin's own login form, which is never shown: its form checks a password
    without the lock-out. The public is sent to the site's login page, an administrator on to
    where they were going, anyone else logged in is refused (403)."""
    from django.contrib import admin
    from django.contrib.auth.views import redirect_to_login
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import redirect
    from django.utils.http import url_has_allowed_host_and_scheme

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
        return super().form_valid(form)

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
