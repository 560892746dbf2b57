from django.urls import path

from zonedesk.petitions.views import detail, person, portal, public, queue

urlpatterns = [
    path("portal/petitions/", portal.portal_petitions, name="portal_petitions"),
    path("portal/petitions/new/", portal.portal_petition_new, name="portal_petition_new"),
    path("petitions/", queue.petition_queue, name="petition_queue"),
    path("petitions/filters/", queue.petition_filter_save, name="petition_filter_save"),
    path("petitions/filters/delete/", queue.petition_filter_delete, name="petition_filter_delete"),
    path("petitions/new/", public.public_petition_new, name="public_petition_new"),
    path("petitions/new/thanks/", public.public_petition_thanks, name="public_petition_thanks"),
    path("petitions/<str:reference>/", detail.petition_detail, name="petition_detail"),
    path("petitions/<str:reference>/do/<str:op>/", detail.petition_do, name="petition_do"),
    path("petitions/<str:reference>/attachments/", detail.petition_attach, name="petition_attach"),
    path(
        "petitions/<str:reference>/answers/<int:answer_id>/return/",
        detail.petition_answer_return,
        name="petition_answer_return",
    ),
    path("answers/", public.public_answers, name="public_answers"),
    path("inbox/", person.inbox, name="inbox"),
    path("inbox/<int:notification_id>/", person.inbox_open, name="inbox_open"),
]
