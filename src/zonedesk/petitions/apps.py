from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _petitions_changed(sender, **kwargs) -> None:
    """Any write of a petition, of its coordinating agencies or of its timeline gives the petition figures a new generation,
    in the writer's transaction, so no cached figure outlives it (`selectors.petition_figures`)."""
    from zonedesk.core.generations import generation_bump
    from zonedesk.petitions.selectors import PETITION_FIGURES_GENERATION

    if kwargs.get("raw") or kwargs.get("action", "post_").startswith("pre_"):
        return  # loaddata's raw rows; the "pre_" half of a many-to-many change
    generation_bump(PETITION_FIGURES_GENERATION)


def _may_see_petition(user, kwargs) -> bool:
    """The access matrix's scope "petition" (core.access): a petition of the route's reference."""
    from zonedesk.petitions.models import Petition

    return Petition.objects.restrict(user).filter(reference=kwargs.get("reference")).exists()


class PetitionsConfig(AppConfig):
    name = "zonedesk.petitions"
    label = "petitions"
    verbose_name = _("Petitions and dialogue")

    def ready(self) -> None:
        from zonedesk.cases import notifications as hooks
        from zonedesk.core import access, workers
        from zonedesk.core.context_processors import register_counter
        from zonedesk.core.pagination import COUNT_GENERATIONS
        from zonedesk.petitions import notifications, rights
        from zonedesk.petitions import retention as petition_retention
        from zonedesk.petitions.models import Petition, PetitionEvent
        from zonedesk.petitions.selectors import PETITION_FIGURES_GENERATION

        # the counts of petition lists are cached under the same generation (core.pagination)
        COUNT_GENERATIONS[Petition._meta.label] = PETITION_FIGURES_GENERATION
        m2m_changed.connect(
            _petitions_changed, sender=Petition.coordinating_agencies.through, dispatch_uid="petition-figures-m2m"
        )
        for model in (Petition, PetitionEvent):
            post_save.connect(_petitions_changed, sender=model, dispatch_uid=f"petition-figures-{model.__name__}")
            post_delete.connect(_petitions_changed, sender=model, dispatch_uid=f"petition-figures-del-{model.__name__}")

        # the case machinery tells the petition's people of each step; the inbox is this app's
        hooks.on_step(Petition._meta.label, notifications.on_event)
        hooks.on_inbox(notifications.notify_users)
        # privacy reaches the public petitioners' records, and clears what its rules say, through
        # what this app registers (privacy imports nothing of petitions)
        from zonedesk.privacy import holders

        holders.register(rights.PetitionLinks())
        petition_retention.register()
        access.register_scope("petition", _may_see_petition)
        workers.register_periodic("zonedesk.petitions.tasks.petitions_tick")  # notices, escalation, closing
        register_counter("unread_notifications", "zonedesk.petitions.selectors.unread_count")  # the inbox's
