from django.urls import path

from zonedesk.investment import views_invest

urlpatterns = [
    path("invest/", views_invest.landing, name="invest_home"),
    path("invest/incentives/", views_invest.incentives, name="invest_incentives"),
    path("invest/parks/", views_invest.parks, name="invest_parks"),
    path("invest/parks/<str:zone>/", views_invest.park, name="invest_park"),
    path("invest/contacts/", views_invest.contacts, name="invest_contacts"),
    path("invest/procedures/", views_invest.procedures, name="invest_procedures"),
    path("invest/tenants/", views_invest.tenants, name="invest_tenants"),
    path("invest/incentives/new/", views_invest.incentive_edit, name="invest_incentive_new"),
    path("invest/incentives/<int:incentive_id>/edit/", views_invest.incentive_edit, name="invest_incentive_edit"),
    path("invest/parks/<str:zone>/edit/", views_invest.profile_edit, name="invest_profile_edit"),
    path("invest/contacts/new/", views_invest.contact_edit, name="invest_contact_new"),
    path("invest/contacts/<int:contact_id>/edit/", views_invest.contact_edit, name="invest_contact_edit"),
    path("projects/<str:code>/english/", views_invest.project_english, name="project_english"),
]
