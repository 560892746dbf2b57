"""The registry in Django's admin is read-only: every write goes through the services (pages
and the API), which validate, fold the search text and record the history."""

from django.contrib import admin

from zonedesk.core.admin import ReadOnlyAdmin
from zonedesk.investment.models import (
    BoardContact,
    Enterprise,
    Incentive,
    Investor,
    PeriodicReport,
    Project,
    ZoneProfile,
)


@admin.register(Investor)
class InvestorAdmin(ReadOnlyAdmin):
    list_display = ("name", "nationality", "kind", "tax_code", "is_synthetic")
    search_fields = ("name_folded",)


@admin.register(Enterprise)
class EnterpriseAdmin(ReadOnlyAdmin):
    list_display = ("name", "tax_code", "zone", "is_synthetic")
    list_filter = ("zone",)
    search_fields = ("name_folded", "tax_code")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("code", "name_vi", "zone", "status", "registered_capital_vnd", "is_foreign_invested")
    list_filter = ("zone", "status", "sector", "is_foreign_invested")
    search_fields = ("code", "search_text")


@admin.register(PeriodicReport)
class PeriodicReportAdmin(ReadOnlyAdmin):
    list_display = ("project", "period_kind", "year", "quarter", "version", "is_current")
    list_filter = ("period_kind", "year", "is_current")


# The investor's site: reference data the board keeps (issue 26) from its own pages
# (`services_invest`, on the version each form read): shown here, never changed or deleted here,
# where a change would raise no version and a deletion would rewrite what a past day's page said.


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Incentive)
class IncentiveAdmin(_ReadOnly):
    list_display = ("title_vi", "category", "applies_to", "effective_from", "effective_until", "indicative", "order")
    list_filter = ("category", "applies_to", "indicative")


@admin.register(ZoneProfile)
class ZoneProfileAdmin(_ReadOnly):
    list_display = ("zone", "km_noi_bai", "km_hai_phong", "km_hanoi", "wage_region", "min_wage_vnd")


@admin.register(BoardContact)
class BoardContactAdmin(_ReadOnly):
    list_display = ("name_vi", "zone", "phone", "email", "order")
    list_filter = ("zone",)
