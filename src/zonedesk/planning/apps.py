from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _plan_changed(sender, **kwargs) -> None:
    """A revision saved or deleted: what is in force, and where, may have changed (the features
    of a revision are written with it, in its transaction, and never changed in place)."""
    from zonedesk.core.generations import generation_bump
    from zonedesk.planning.selectors import PLAN_GENERATION

    if not kwargs.get("raw"):
        generation_bump(PLAN_GENERATION)


class PlanningConfig(AppConfig):
    name = "zonedesk.planning"
    verbose_name = _("Planning")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate, post_save

        from zonedesk.core import jobs
        from zonedesk.planning.models import ImportJob, PlanRevision
        from zonedesk.planning.reference import ensure_land_uses
        from zonedesk.planning.tasks import plan_import_run

        jobs.register(ImportJob, plan_import_run, related=("zone", "decision", "created_by"))
        from zonedesk.core import workers

        workers.register_periodic("zonedesk.planning.tasks.reservations_tick")  # expired reservations released

        post_migrate.connect(ensure_land_uses, sender=self, dispatch_uid="planning-land-uses")
        post_save.connect(_plan_changed, sender=PlanRevision, dispatch_uid="plan-generation-save")
        post_delete.connect(_plan_changed, sender=PlanRevision, dispatch_uid="plan-generation-delete")
