from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from zonedesk.core.generations import ZONE_FIGURE_GENERATIONS, generation_bump
from zonedesk.core.models import Agency, CalendarDay, Rule, User, Zone


class ReadOnlyAdmin(admin.ModelAdmin):
    """For data the services write (they validate and keep the history): the admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class ZoneDeskUserAdmin(UserAdmin):
    list_display = ("username", "email", "role", "enterprise", "agency", "is_demo", "is_active")
    list_filter = ("role", "is_demo", "is_active")
    fieldsets = (*UserAdmin.fieldsets, ("ZoneDesk", {"fields": ("role", "enterprise", "agency", "is_demo")}))


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "kind", "province", "area_ha", "leasable_area_ha")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "leasable_area_ha" in form.changed_data:  # the land registration rate of the cached figures
            for name in sorted(ZONE_FIGURE_GENERATIONS):
                generation_bump(name)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "kind")


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "effective_from", "legal_basis")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "name")
