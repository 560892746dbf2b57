"""`{% submission_token %}`: the hidden field that makes a page form's write happen once
(`core.idempotency`). A builtin of the templates (settings), so no `{% load %}` is needed."""

from django import template
from django.utils.html import format_html

from zonedesk.core.idempotency import FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
