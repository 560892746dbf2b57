"""`{% submission_token %}`: the hidden field that makes a page form's write happen once
(`core.idempotency`). A builtin of the templates (settings), so no `{% load %}` is needed."""

from django import forms, template
from django.utils.html import format_html

from zonedesk.core.idempotency import FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())


WIDE_CHOICE = 22  # characters: about what a select in a grid cell of 15rem shows


@register.filter
def is_wide_select(bound_field) -> bool:
    """Whether a field is a select with an option too long for one column of a form's grid:
    `includes/field.html` then lets it take the whole row (forms.css), so its text is not cut."""
    field = getattr(bound_field, "field", None)
    if field is None or not isinstance(field.widget, forms.Select):
        return False
    for _value, label in getattr(field, "choices", ()):
        labels = label if isinstance(label, list | tuple) else [(None, label)]
        if any(len(str(text)) > WIDE_CHOICE for _v, text in labels):
            return True
    return False
