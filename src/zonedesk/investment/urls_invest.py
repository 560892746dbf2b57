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
    path("projects/<str:code>/english/", views_invest.project_english, name="project_english"),
]
