from django.urls import path

from zonedesk.privacy import views

urlpatterns = [
    path("privacy/", views.notice_page, name="privacy_notice"),
    path("privacy/v<int:version>/", views.notice_page, name="privacy_notice_version"),
    path("privacy/publish/", views.notice_publish, name="privacy_notice_publish"),
]
