from django.urls import path

from zonedesk.privacy import views_register

urlpatterns = [
    path("privacy/register/", views_register.register_page, name="privacy_register"),
]
