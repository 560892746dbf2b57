from django.urls import path

from zonedesk.petitions import views

urlpatterns = [
    path("portal/petitions/", views.portal_petitions, name="portal_petitions"),
    path("portal/petitions/new/", views.portal_petition_new, name="portal_petition_new"),
    path("petitions/", views.petition_queue, name="petition_queue"),
    path("petitions/filters/", views.petition_filter_save, name="petition_filter_save"),
    path("petitions/filters/delete/", views.petition_filter_delete, name="petition_filter_delete"),
    path("petitions/new/", views.public_petition_new, name="public_petition_new"),
    path("petitions/new/thanks/", views.public_petition_thanks, name="public_petition_thanks"),
    path("petitions/<str:reference>/", views.petition_detail, name="petition_detail"),
    path("petitions/<str:reference>/do/<str:op>/", views.petition_do, name="petition_do"),
    path("petitions/<str:reference>/attachments/", views.petition_attach, name="petition_attach"),
    path(
        "petitions/<str:reference>/answers/<int:answer_id>/return/",
        views.petition_answer_return,
        name="petition_answer_return",
    ),
    path("answers/", views.public_answers, name="public_answers"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:notification_id>/", views.inbox_open, name="inbox_open"),
]
