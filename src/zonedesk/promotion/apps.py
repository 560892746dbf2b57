from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_see_prospect(user, kwargs) -> bool:
    """The access matrix's scope "prospect" (core.access): a prospect of the route's id that the
    person may see (the board's; an agency's when it was asked to help)."""
    from zonedesk.core.numbers import whole
    from zonedesk.promotion.models import Prospect

    pk = kwargs.get("prospect_id")
    if isinstance(pk, str):
        pk = whole(pk)
    return isinstance(pk, int) and Prospect.objects.restrict(user).filter(pk=pk).exists()


class PromotionConfig(AppConfig):
    name = "zonedesk.promotion"
    label = "promotion"
    verbose_name = _("Investment promotion")

    def ready(self) -> None:
        from zonedesk.core import access, workers
        from zonedesk.procedures import hooks
        from zonedesk.promotion import services

        access.register_scope("prospect", _may_see_prospect)
        hooks.on_dossier_filed(services.on_dossier_filed)
        hooks.on_result_returned(services.on_result_returned)
        workers.register_periodic("zonedesk.promotion.tasks.promotion_tick")  # overdue next steps
