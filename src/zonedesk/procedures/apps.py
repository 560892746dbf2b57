from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
        from zonedesk.procedures.models import Dossier

        access.register_scope("dossier", _may_see_dossier)
        hooks.on_step(Dossier._meta.label, notifications.on_event)
