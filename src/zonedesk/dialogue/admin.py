"""Admin: the conference series are reference data; conferences and their tabled petitions are
written through the services (pages and API), so the admin only reads them."""

from django.contrib import admin

from zonedesk.dialogue.models import Conference, ConferenceSeries, Tabling


@admin.register(ConferenceSeries)
class ConferenceSeriesAdmin(admin.ModelAdmin):
    list_display = ("name_vi", "name_en", "year", "planned_count")
    list_filter = ("year",)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TablingInline(admin.TabularInline):
    model = Tabling
    fields = ("petition", "tabled_at", "during_session", "spot_answered_by", "spot_answer")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conference)
class ConferenceAdmin(_ReadOnly):
    list_display = ("__str__", "series", "starts_at", "venue", "status", "public", "head_count")
    list_filter = ("status", "public", "series__year")
    search_fields = ("theme_vi", "theme_en", "venue", "chair")
    inlines = [TablingInline]
