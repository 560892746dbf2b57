from django.urls import path

from zonedesk.opendata import views

urlpatterns = [
    path("open-data/", views.catalogue, name="opendata_catalogue"),
    path("open-data/catalog.jsonld", views.catalogue_jsonld, name="opendata_catalogue_jsonld"),
    path("open-data/<slug:slug>.<str:fmt>", views.download, name="opendata_download"),
]
