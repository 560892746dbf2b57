"""Pieces of the petition channel shown on other apps' pages (the board's dashboard)."""

from django import template
from django.utils import timezone

from zonedesk.petitions import selectors

register = template.Library()


@register.inclusion_tag("petitions/_overdue_panel.html")
def overdue_petitions(user, zone=None):
    """Overdue open petitions the person may see, most escalated and most overdue first."""
    filters = selectors.PetitionFilters(overdue=True, zone=zone.code if zone is not None else "")
    rows = list(selectors.petition_list(user=user, filters=filters).order_by("-escalation_level", "answer_due_at")[:10])
    now = timezone.now()
    for p in rows:
        p.days_late = (now - p.answer_due_at).days
    counts = selectors.overdue_by_level(user=user, zone=zone)
    return {"rows": rows, "counts": counts, "zone": zone}
