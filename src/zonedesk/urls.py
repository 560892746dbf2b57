from django.contrib import admin
from django.urls import include, path

from zonedesk.api import api
from zonedesk.core.views import admin_login

# The admin logs in through the site's login page (its lock-out included), never its own form.
admin.site.login = admin_login

handler404 = "zonedesk.core.errors.page_not_found"  # JSON under /api/
handler500 = "zonedesk.core.errors.server_error"  # 503 when the database is lost

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("zonedesk.core.urls")),
    path("", include("zonedesk.investment.urls")),
    path("", include("zonedesk.investment.urls_invest")),
    path("", include("zonedesk.petitions.urls")),
    path("", include("zonedesk.procedures.urls")),
    path("", include("zonedesk.promotion.urls")),
    path("", include("zonedesk.directions.urls")),
    path("", include("zonedesk.dialogue.urls")),
    path("", include("zonedesk.roadmaps.urls")),
    path("", include("zonedesk.ecosystem.urls")),
    path("", include("zonedesk.opendata.urls")),
    path("", include("zonedesk.sheets.urls")),
    path("", include("zonedesk.reporting.urls")),
    path("", include("zonedesk.planning.urls")),
    path("", include("zonedesk.planning.urls_import")),
    path("", include("zonedesk.privacy.urls")),
    path("ogc/", include("zonedesk.planning.urls_ogc")),
    path("", include("zonedesk.privacy.urls_register")),
    path("", include("zonedesk.privacy.urls_rights")),
    path("", include("zonedesk.privacy.urls_retention")),
]
