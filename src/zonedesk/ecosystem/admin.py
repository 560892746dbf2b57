"""Admin: the conditions and indicators are reference data (their names, units, directions and
what a computed one is counted from); targets, measurements and actors are written through the
services (their pages), so the admin only reads them."""

from django.contrib import admin

from zonedesk.core.admin import ReadOnlyAdmin
from zonedesk.ecosystem.models import Actor, Condition, Indicator, Measurement, Target


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ("number", "name_vi", "name_en")


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "condition", "unit_vi", "direction", "computed")
    list_filter = ("condition", "direction")


@admin.register(Target)
class TargetAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "zone", "year", "value")
    list_filter = ("zone", "year")


@admin.register(Measurement)
class MeasurementAdmin(ReadOnlyAdmin):
    list_display = ("indicator", "zone", "year", "value", "source")
    list_filter = ("zone", "year")


@admin.register(Actor)
class ActorAdmin(ReadOnlyAdmin):
    list_display = ("name_vi", "zone", "kind", "foreign", "active_from", "active_until", "is_synthetic")
    list_filter = ("zone", "kind")
    search_fields = ("name_vi", "name_en")
