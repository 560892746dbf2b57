from django.urls import path

from zonedesk.sheets import views

urlpatterns = [
    path("imports/", views.import_list, name="sheet_import_list"),
    path("imports/<int:pk>/", views.import_detail, name="sheet_import_detail"),
    path("imports/<int:pk>/progress/", views.import_progress, name="sheet_import_progress"),
    path("imports/<int:pk>/mapping/", views.import_mapping, name="sheet_import_mapping"),
    path("imports/<int:pk>/apply/", views.import_apply, name="sheet_import_apply"),
    path("imports/templates/<slug:kind>.<str:fmt>", views.template_download, name="sheet_template"),
    path("imports/export/<slug:kind>.<str:fmt>", views.registry_export, name="sheet_export"),
]
