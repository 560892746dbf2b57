from django.urls import path

from zonedesk.privacy import views_retention, views_subjects

urlpatterns = [
    path("privacy/retention/", views_retention.retention_rules, name="retention_rules"),
    path("privacy/retention/run/", views_retention.retention_run_now, name="retention_run_now"),
    path("privacy/retention/<slug:kind>/", views_retention.retention_rule, name="retention_rule"),
    path("privacy/subjects/", views_subjects.privacy_subjects, name="privacy_subjects"),
]
