"""Pages of the core app: logging in and out."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views

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
