from django.urls import path

from zonedesk.procedures import views

urlpatterns = [
    path("procedures/", views.procedure_list, name="procedure_list"),
    path("procedures/<str:procedure_code>/", views.procedure_detail, name="procedure_detail"),
    path("procedures/<str:procedure_code>/file/", views.dossier_new, name="dossier_new"),
    path(
        "procedures/<str:procedure_code>/templates/<int:part_id>/", views.procedure_template, name="procedure_template"
    ),
    path("portal/dossiers/", views.portal_dossiers, name="portal_dossiers"),
    path("dossiers/", views.dossier_queue, name="dossier_queue"),
    path("dossiers/lookup/", views.dossier_lookup, name="dossier_lookup"),
    path("dossiers/figures/", views.dossier_figures_page, name="dossier_figures"),
    path("results/verify/", views.result_verify_page, name="result_verify"),
    path("dossiers/<str:dossier_code>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<str:dossier_code>/do/<str:op>/", views.dossier_do, name="dossier_do"),
    path("dossiers/<str:dossier_code>/files/<int:file_id>/", views.dossier_file_download, name="dossier_file"),
    path("dossiers/<str:dossier_code>/documents/<str:doc>/", views.dossier_document, name="dossier_document"),
]
