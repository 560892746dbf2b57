from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_see_conference(user, kwargs) -> bool:
    """The access matrix's scope "conference" (core.access): a conference of the route's id."""
    from zonedesk.dialogue.models import Conference

    return Conference.objects.restrict(user).filter(pk=kwargs.get("conference_id")).exists()


class DialogueConfig(AppConfig):
    name = "zonedesk.dialogue"
    label = "dialogue"
    verbose_name = _("Dialogue conferences")

    def ready(self) -> None:
        from zonedesk.core import access

        access.register_scope("conference", _may_see_conference)
