"""Admin: land uses are reference data the admin keeps; the plan itself is read-only here
(revisions come only from imports, so that nothing is overwritten in place)."""

from django.contrib import admin

from zonedesk.core.admin import ReadOnlyAdmin
from zonedesk.planning.models import LandUse, PlanningDecision, PlanRevision


@admin.register(LandUse)
class LandUseAdmin(admin.ModelAdmin):
    list_display = ("code", "name_vi", "name_en", "color", "leasable", "order")
    list_editable = ("order",)


@admin.register(PlanningDecision)
class PlanningDecisionAdmin(ReadOnlyAdmin):
    list_display = ("number", "date", "zone", "authority")
    list_filter = ("zone",)


@admin.register(PlanRevision)
class PlanRevisionAdmin(ReadOnlyAdmin):
    list_display = ("zone", "layer", "number", "effective_date", "feature_count", "source_name", "created_at")
    list_filter = ("zone", "layer")
