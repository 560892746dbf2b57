from django.urls import path

from zonedesk.dialogue import views

urlpatterns = [
    path("conferences/", views.conference_list, name="conference_list"),
    path("conferences/calendar/", views.conference_calendar, name="conference_month"),
    path("conferences/new/", views.conference_new, name="conference_new"),
    path("conferences/<int:pk>/", views.conference_detail, name="conference_detail"),
    path("conferences/<int:pk>/held/", views.conference_held, name="conference_held"),
    path("conferences/<int:pk>/table/", views.conference_table, name="conference_table"),
    path(
        "conferences/<int:pk>/tablings/<int:tabling_pk>/spot-answer/",
        views.spot_answer,
        name="conference_spot_answer",
    ),
]
