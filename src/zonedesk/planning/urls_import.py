"""The board's web import of plan files (included at the site root)."""

from django.urls import path

from zonedesk.planning import views_import as views

urlpatterns = [
    path("planning/imports/", views.import_list, name="plan_import_list"),
    path("planning/imports/new/", views.import_new, name="plan_import_new"),
    path("planning/imports/<int:pk>/", views.import_detail, name="plan_import_detail"),
    path("planning/imports/<int:pk>/progress/", views.import_progress, name="plan_import_progress"),
    path("planning/imports/<int:pk>/mapping/", views.import_mapping, name="plan_import_mapping"),
    path("planning/imports/<int:pk>/commit/", views.import_commit, name="plan_import_commit"),
    path("planning/imports/<int:pk>/discard/", views.import_discard, name="plan_import_discard"),
]
