from django.contrib.auth import views as auth_views
from django.urls import path

from zonedesk.core import views

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("login/code/", views.two_factor, name="two_factor"),
    path("account/two-factor/", views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/recovery-codes/", views.two_factor_recovery, name="two_factor_recovery"),
    path("account/two-factor/off/", views.two_factor_off, name="two_factor_off"),
    path("audit/", views.audit_list, name="audit_list"),
]
