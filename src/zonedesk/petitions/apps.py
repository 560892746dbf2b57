from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _petitions_changed(sender, **kwargs) -> None:
    """Any write of a petition or of its timeline gives the petition figures a new generation,
    in the writer's transaction, so no cached figure outlives it (`selectors.petition_figures`)."""
    from zonedesk.core.generations import generation_bump
    from zonedesk.petitions.selectors import PETITION_FIGURES_GENERATION

    if kwargs.get("raw"):  # fixtures loaded by loaddata are bumped once by their loader
        return
    generation_bump(PETITION_FIGURES_GENERATION)


class PetitionsConfig(AppConfig):
    name = "zonedesk.petitions"
    label = "petitions"
    verbose_name = _("Petitions and dialogue")

    def ready(self) -> None:
        from zonedesk.petitions.models import Petition, PetitionEvent

        for model in (Petition, PetitionEvent):
            post_save.connect(_petitions_changed, sender=model, dispatch_uid=f"petition-figures-{model.__name__}")
            post_delete.connect(_petitions_changed, sender=model, dispatch_uid=f"petition-figures-del-{model.__name__}")
