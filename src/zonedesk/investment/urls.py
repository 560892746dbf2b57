from django.urls import path

from zonedesk.investment import views

urlpatterns = [
    path("", views.home, name="home"),
    path("projects/", views.project_list, name="project_list"),
    path("projects/<str:code>/", views.project_detail, name="project_detail"),
    path("projects/<str:code>/status/", views.project_status, name="project_status"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/behind-schedule/", views.dashboard_behind, name="dashboard_behind"),
    path("dashboard/late-reports/", views.dashboard_late, name="dashboard_late"),
    path("dashboard/targets/", views.dashboard_targets, name="dashboard_targets"),
    path("portal/", views.portal, name="portal"),
    path("portal/reports/new/", views.report_new, name="report_new"),
    path("portal/reports/<int:pk>/correct/", views.report_correct, name="report_correct"),
]
