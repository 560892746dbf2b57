from django.urls import path

from zonedesk.investment import views

urlpatterns = [
    path("", views.home, name="home"),
]
