"""Admin: the conference series are reference data; conferences and their tabled petitions are
written through the services (pages and API), so the admin only reads them."""

from django.contrib import admin

from zonedesk.core.admin import ReadOnlyAdmin
from zonedesk.dialogue.models import Conference, ConferenceSeries, Tabling


@admin.register(ConferenceSeries)
class ConferenceSeriesAdmin(admin.ModelAdmin):
    list_display = ("name_vi", "name_en", "year", "planned_count")
    list_filter = ("year",)


class TablingInline(admin.TabularInline):
    model = Tabling
    fields = ("petition", "tabled_at", "during_session", "spot_answered_by", "spot_answer")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Conference)
class ConferenceAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "series", "starts_at", "venue", "status", "public", "head_count")
    list_filter = ("status", "public", "series__year")
    search_fields = ("theme_vi", "theme_en", "venue", "chair")
    inlines = [TablingInline]
