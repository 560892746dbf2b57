"""A case's timeline: one row per step, who took it, when, what and why. A case type's event
model inherits the base `timeline_base` makes for it (the foreign key to its case, named by
`case_field`, and the fields of a step):

    class DossierEvent(timeline_base(Dossier, case_field="dossier")):
        class Meta:
            ordering = ["dossier", "at", "id"]

`record` writes a step (in the caller's transaction) and then tells the case type's
notification hooks (`cases.notifications`), so that no service forgets either half;
`record(..., notify=False)` writes only (a step nobody is told about: grouping, history).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonedesk.cases import notifications


class TimelineEvent(models.Model):
    """One step of a case's timeline (abstract: each case type has its own table, made with
    `timeline_base`, which puts the case's foreign key first and these fields after it)."""

    case_field = ""  # the name of the subclass's foreign key to its case

    class Meta:
        abstract = True

    def __str__(self) -> str:
        # the fields are the subclass's (`timeline_base`): read by name
        return f"{getattr(self, f'{self.case_field}_id', '')} {getattr(self, 'action', '')} {getattr(self, 'at', ''):%Y-%m-%d}"


def timeline_base(case_model: Any, *, case_field: str, related_name: str = "events") -> type[TimelineEvent]:
    """The abstract base of a case type's timeline table: the foreign key `case_field` to
    `case_model` (a model or "app.Model"), then when, who (the person and their agency), the
    action, the states it moved between, the reason and any data. The fields are made here, in
    this order, so that the table's columns come in it too."""
    fields = {
        case_field: models.ForeignKey(case_model, on_delete=models.CASCADE, related_name=related_name),
        "at": models.DateTimeField(_("at"), db_index=True),
        "actor": models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL),
        "agency": models.ForeignKey("core.Agency", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"),
        "action": models.CharField(_("action"), max_length=30),
        "from_status": models.CharField(max_length=20, blank=True),
        "to_status": models.CharField(max_length=20, blank=True),
        "reason": models.TextField(_("reason"), blank=True),
        "data": models.JSONField(default=dict, blank=True),
    }
    meta = type("Meta", (), {"abstract": True})
    name = f"{case_field.title().replace('_', '')}TimelineBase"
    attrs = {"__module__": __name__, "__qualname__": name, "Meta": meta, "case_field": case_field, **fields}
    return type(name, (TimelineEvent,), attrs)


def record(
    model: type[TimelineEvent],
    case: Any,
    action: str,
    by: Any,
    *,
    from_status: str = "",
    to_status: str | None = None,
    reason: str = "",
    at: Any = None,
    notify: bool = True,
    state_field: str = "status",
    **data: Any,
) -> TimelineEvent:
    """Write one step of `case`'s timeline and (unless `notify=False`) tell the hooks of its case
    type. `to_status` is the case's state when the step changed it (`from_status` given) unless
    said; `by` None is the system; the agency is the actor's."""
    if to_status is None:
        to_status = getattr(case, state_field) if from_status else ""
    manager: Any = model._default_manager  # the fields are the subclass's (`timeline_base`)
    event: TimelineEvent = manager.create(
        **{model.case_field: case},
        at=at or timezone.now(),
        actor=by,
        agency_id=getattr(by, "agency_id", None),
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        data=data,
    )
    if notify:
        notifications.emit(case, action, reason=reason, **data)
    return event


__all__ = ["TimelineEvent", "record", "timeline_base"]
