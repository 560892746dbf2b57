from django.urls import path

from zonedesk.promotion import views

urlpatterns = [
    path("prospects/", views.prospect_list, name="prospect_list"),
    path("prospects/kanban/", views.prospect_kanban, name="prospect_kanban"),
    path("prospects/new/", views.prospect_new, name="prospect_new"),
    path("prospects/figures/", views.prospect_figures, name="prospect_figures"),
    path("prospects/screening/", views.screening_weights, name="screening_weights"),
    path("prospects/<int:prospect_id>/", views.prospect_detail, name="prospect_detail"),
    path("prospects/<int:prospect_id>/edit/", views.prospect_edit, name="prospect_edit"),
    path("prospects/<int:prospect_id>/land/", views.prospect_land, name="prospect_land"),
    path("prospects/<int:prospect_id>/do/<str:op>/", views.prospect_do, name="prospect_do"),
    path("prospects/<int:prospect_id>/documents/<int:doc_id>/", views.prospect_document, name="prospect_document"),
    path("promotion/events/", views.promotion_events, name="promotion_events"),
    path("promotion/events/new/", views.promotion_event_new, name="promotion_event_new"),
    path("promotion/events/<int:event_id>/", views.promotion_event, name="promotion_event"),
    path("promotion/events/<int:event_id>/edit/", views.promotion_event_edit, name="promotion_event_edit"),
    path("invest/pipeline/", views.invest_pipeline, name="invest_pipeline"),
    path("invest/enquire/", views.promotion_enquire, name="promotion_enquire"),
    path("invest/enquiry/<str:token>/", views.promotion_enquiry_status, name="promotion_enquiry_status"),
]
