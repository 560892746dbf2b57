from django.contrib import admin

from zonedesk.investment.models import Enterprise, Investor, PeriodicReport, Project


@admin.register(Investor)
class InvestorAdmin(admin.ModelAdmin):
    list_display = ("name", "nationality", "kind", "tax_code", "is_synthetic")
    search_fields = ("name_folded",)


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ("name", "tax_code", "zone", "is_synthetic")
    list_filter = ("zone",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "zone", "status", "registered_capital_vnd", "is_foreign_invested")
    list_filter = ("zone", "status", "sector", "is_foreign_invested")
    readonly_fields = ("status", "registered_capital_vnd", "initial_capital_vnd", "is_foreign_invested")

    def has_add_permission(self, request):  # projects are registered through the service
        return False


@admin.register(PeriodicReport)
class PeriodicReportAdmin(admin.ModelAdmin):
    list_display = ("project", "period_kind", "year", "quarter", "version", "is_current")
    list_filter = ("period_kind", "year", "is_current")

    def has_change_permission(self, request, obj=None):  # reports change only by correction
        return False

    def has_add_permission(self, request):
        return False
