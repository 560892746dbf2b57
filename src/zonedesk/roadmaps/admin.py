"""Admin: roadmaps, milestones and packages are written through the services (their pages), so
that the rules of dependencies and hand-over always hold; the admin only reads them."""

from django.contrib import admin

from zonedesk.core.admin import ReadOnlyAdmin
from zonedesk.roadmaps.models import ClearancePackage, Milestone, Roadmap


@admin.register(Roadmap)
class RoadmapAdmin(ReadOnlyAdmin):
    list_display = ("title_vi", "zone", "kind", "owner_kind", "key_task", "public")
    list_filter = ("kind", "owner_kind", "zone")
    search_fields = ("title_vi", "title_en")


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    list_display = ("title", "roadmap", "planned_start", "planned_end", "actual_end", "progress_pct")
    list_filter = ("roadmap__zone",)
    search_fields = ("title",)


@admin.register(ClearancePackage)
class ClearancePackageAdmin(ReadOnlyAdmin):
    list_display = ("code", "area_to_clear_m2", "area_handed_over_m2", "households_affected", "handed_over_on")
