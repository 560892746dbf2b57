"""Pages of the core app: logging in and out; the page of one form the apps share (`form_page`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zonedesk.core.models import Role, User


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    redirect_authenticated_user = True

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
