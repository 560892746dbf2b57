from django.urls import path

from zonedesk.ecosystem import views

urlpatterns = [
    path("ecosystem/", views.scorecard, name="ecosystem_scorecard"),
    path("ecosystem/actors/", views.actor_list, name="ecosystem_actors"),
    path("ecosystem/actors/new/", views.actor_new, name="ecosystem_actor_new"),
    path("ecosystem/actors/<int:pk>/end/", views.actor_end, name="ecosystem_actor_end"),
    path("ecosystem/measurements/new/", views.measurement_new, name="ecosystem_measurement_new"),
    path("ecosystem/targets/new/", views.target_new, name="ecosystem_target_new"),
]
