from django.urls import path

from zonedesk.directions import views

urlpatterns = [
    path("directions/", views.direction_list, name="direction_list"),
    path("directions/follow-up/", views.direction_followup, name="direction_followup"),
    path("directions/new/", views.direction_new, name="direction_new"),
    path("directions/<int:direction_id>/", views.direction_detail, name="direction_detail"),
    path("directions/<int:direction_id>/publish/", views.direction_publish, name="direction_publish"),
    path("directions/<int:direction_id>/document/", views.direction_document, name="direction_document"),
    path("tasks/mine/", views.task_mine, name="task_mine"),
    path("tasks/<int:task_id>/report/", views.task_report, name="task_report"),
    path("tasks/<int:task_id>/decide/", views.task_decide, name="task_decide"),
    path("tasks/<int:task_id>/reports/<int:report_id>/file/", views.task_report_file, name="task_report_file"),
]
