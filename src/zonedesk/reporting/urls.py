from django.urls import path

from zonedesk.reporting import views

urlpatterns = [path("reports/board/", views.report_page, name="board_report")]
