"""OGC API – Features at /ogc/ (included from zonedesk/urls.py); see the package planning/ogc/."""

from django.urls import path

from zonedesk.planning import ogc

urlpatterns = [
    path("", ogc.landing, name="ogc_landing"),
    path("api", ogc.api, name="ogc_api"),
    path("conformance", ogc.conformance, name="ogc_conformance"),
    path("collections", ogc.collections, name="ogc_collections"),
    path("collections/<str:collection_id>", ogc.collection, name="ogc_collection"),
    path("collections/<str:collection_id>/items", ogc.items, name="ogc_items"),
    path("collections/<str:collection_id>/items/<path:fid>", ogc.item, name="ogc_item"),
    path("collections/<str:collection_id>/download.<str:extension>", ogc.download, name="ogc_download"),
]
