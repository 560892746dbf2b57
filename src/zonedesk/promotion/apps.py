from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _figures_changed(sender, **kwargs) -> None:
    """Any write of a prospect or of a step of its timeline gives the pipeline's figures a new
    generation, in the writer's transaction: no cached figure outlives it (`figures.figures`)."""
    from zonedesk.core.generations import generation_bump
    from zonedesk.promotion.figures import PROMOTION_FIGURES_GENERATION

    if not kwargs.get("raw"):
        generation_bump(PROMOTION_FIGURES_GENERATION)


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
        from zonedesk.core.pagination import COUNT_GENERATIONS
        from zonedesk.procedures import hooks
        from zonedesk.promotion import services
        from zonedesk.promotion.figures import PROMOTION_FIGURES_GENERATION
        from zonedesk.promotion.models import Prospect, ProspectEvent

        access.register_scope("prospect", _may_see_prospect)
        # a page of the pipeline's list and its count are cached under the generation every
        # write of a prospect bumps (`_figures_changed`)
        COUNT_GENERATIONS[Prospect._meta.label] = PROMOTION_FIGURES_GENERATION
        hooks.on_dossier_filed(services.on_dossier_filed)
        hooks.on_result_returned(services.on_result_returned)
        workers.register_periodic("zonedesk.promotion.tasks.promotion_tick")  # overdue next steps
        for model in (Prospect, ProspectEvent):
            post_save.connect(_figures_changed, sender=model, dispatch_uid=f"prospect-figures-{model.__name__}")
            post_delete.connect(_figures_changed, sender=model, dispatch_uid=f"prospect-figures-del-{model.__name__}")
