from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _figures_changed(sender, **kwargs) -> None:
    """Any write of a dossier, a procedure or its steps gives the figures a new generation, in the
    writer's transaction: no cached figure outlives it (`figures`)."""
    from zonedesk.core.generations import generation_bump
    from zonedesk.procedures.figures import PROCEDURE_FIGURES_GENERATION

    if not kwargs.get("raw"):
        generation_bump(PROCEDURE_FIGURES_GENERATION)


def _may_see_dossier(user, kwargs) -> bool:
    """The access matrix's scope "dossier" (core.access): a dossier of the route's code."""
    from zonedesk.procedures.models import Dossier

    return Dossier.objects.restrict(user).filter(code=kwargs.get("dossier_code")).exists()


class ProceduresConfig(AppConfig):
    name = "zonedesk.procedures"
    label = "procedures"
    verbose_name = _("Investment procedures (one-stop desk)")

    def ready(self) -> None:
        from zonedesk.cases import notifications as hooks
        from zonedesk.core import access
        from zonedesk.procedures import notifications
        from zonedesk.procedures.models import Dossier, Procedure, VersionStep

        access.register_scope("dossier", _may_see_dossier)
        for model in (Dossier, Procedure, VersionStep):
            post_save.connect(_figures_changed, sender=model, dispatch_uid=f"procedure-figures-{model.__name__}")
            post_delete.connect(_figures_changed, sender=model, dispatch_uid=f"procedure-figures-del-{model.__name__}")
        hooks.on_step(Dossier._meta.label, notifications.on_event)
