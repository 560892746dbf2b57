from django.urls import path

from zonedesk.planning import views, views_decisions, views_revisions, views_terms

urlpatterns = [
    path("planning/", views.map_page, name="planning_map"),
    path("planning/map.json", views.map_json, name="planning_map_json"),
    path("planning/parcels/<str:zone>/<path:code>/", views.parcel_page, name="planning_parcel"),
    path("planning/revisions/", views_revisions.revision_list, name="plan_revisions"),
    path("planning/revisions/<int:pk>/", views_revisions.revision_detail, name="plan_revision"),
    path("planning/decisions/", views_decisions.decision_list, name="plan_decisions"),
    path("planning/decisions/new/", views_decisions.decision_new, name="plan_decision_new"),
    path("planning/decisions/<int:pk>/", views_decisions.decision_detail, name="plan_decision"),
    path("planning/decisions/<int:pk>/document", views_decisions.decision_document, name="plan_decision_document"),
    path("planning/decisions/<int:pk>/document/attach", views_decisions.decision_attach, name="plan_decision_attach"),
    path("planning/terms/<str:zone>/<path:code>/", views_terms.parcel_terms, name="planning_parcel_terms"),
    path("planning/cards/<str:zone>/<path:code>/", views.parcel_card, name="planning_parcel_card"),
]
