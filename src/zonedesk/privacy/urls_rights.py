from django.urls import path

from zonedesk.privacy import views_rights as views

urlpatterns = [
    path("privacy/my-data/", views.my_data_request, name="privacy_my_data_request"),
    path("privacy/my-data/erased/", views.my_data_erased, name="privacy_my_data_erased"),
    path("privacy/my-data/<str:token>/", views.my_data, name="privacy_my_data"),
    path("privacy/my-data/<str:token>/correct/", views.my_data_correct, name="privacy_my_data_correct"),
    path("privacy/my-data/<str:token>/withdraw/", views.my_data_withdraw, name="privacy_my_data_withdraw"),
    path("privacy/my-data/<str:token>/export.json", views.my_data_export, name="privacy_my_data_export"),
    path("privacy/my-data/<str:token>/erase/", views.my_data_erase, name="privacy_my_data_erase"),
    path("account/my-data/", views.account_my_data, name="account_my_data"),
    path("account/my-data/export.json", views.account_my_data_export, name="account_my_data_export"),
    path("account/my-data/erasure/", views.account_erasure, name="account_erasure"),
]
