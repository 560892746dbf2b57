from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _figures_changed(sender, **kwargs) -> None:
    """Any write of a direction or a task gives the figures a new generation, in the writer's
    transaction: no cached figure outlives it (`figures`)."""
    from zonedesk.core.generations import generation_bump
    from zonedesk.directions.figures import TASK_FIGURES_GENERATION

    if not kwargs.get("raw"):
        generation_bump(TASK_FIGURES_GENERATION)


def _int(value) -> int | None:
    if isinstance(value, int):
        return value
    from zonedesk.core.numbers import whole

    return whole(value, max_digits=12) if isinstance(value, str) else None


def _may_see_direction(user, kwargs) -> bool:
    """The access matrix's scope "direction": a direction of the route's id the person may see."""
    from zonedesk.directions.models import Direction

    pk = _int(kwargs.get("direction_id"))
    return pk is not None and Direction.objects.restrict(user).filter(pk=pk).exists()


def _leads_task(user, kwargs) -> bool:
    """The access matrix's scope "task_lead": a task whose lead unit the person belongs to."""
    from zonedesk.directions.models import Task

    pk = _int(kwargs.get("task_id"))
    return pk is not None and Task.objects.led_by_user(user).filter(pk=pk).exists()


class DirectionsConfig(AppConfig):
    name = "zonedesk.directions"
    label = "directions"
    verbose_name = _("Directions and their tasks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from zonedesk.cases import notifications as hooks
        from zonedesk.core import access, workers
        from zonedesk.directions import links, notifications
        from zonedesk.directions.models import Direction, Task

        access.register_scope("direction", _may_see_direction)
        access.register_scope("task_lead", _leads_task)
        workers.register_periodic("zonedesk.directions.tasks.directions_tick")  # reminders, escalation
        links.register_defaults()
        for model in (Direction, Task):
            post_save.connect(_figures_changed, sender=model, dispatch_uid=f"task-figures-{model.__name__}")
            post_delete.connect(_figures_changed, sender=model, dispatch_uid=f"task-figures-del-{model.__name__}")
        hooks.on_step(Task._meta.label, notifications.on_event)
