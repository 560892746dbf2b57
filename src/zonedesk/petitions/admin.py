from django.contrib import admin

from zonedesk.petitions.models import AnswerTemplate, Petition, PolicyAction, SLAPolicy


@admin.register(SLAPolicy)
class SLAPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "category",
        "priority",
        "acknowledge_hours",
        "transfer_days",
        "answer_days",
        "answer_hours",
        "effective_from",
    )
    list_filter = ("category", "priority")


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "agency", "category")
    list_filter = ("agency", "category")


@admin.register(PolicyAction)
class PolicyActionAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "state", "progress", "due_date")


@admin.register(Petition)
class PetitionAdmin(admin.ModelAdmin):
    """Read-only: petitions change only through their lifecycle (pages and API)."""

    list_display = ("reference", "title", "status", "category", "zone", "lead_agency", "answer_due_at")
    list_filter = ("status", "category", "zone")
    search_fields = ("reference", "search_text")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
