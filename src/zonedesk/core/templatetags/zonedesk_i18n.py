"""Text the board writes in Vietnamese and, when it has, in English (issue 26).

    {% load zonedesk_i18n %}
    {% bilingual project.objectives project.objectives_en multiline=True %}

shows the English in the English view when it is written; else the Vietnamese, marked `lang="vi"`
and, in the English view, with a visible "Vietnamese only" mark, so a foreign reader knows the
board has not written it in English (not that the page failed to translate)."""

from __future__ import annotations

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

register = template.Library()


def _english() -> bool:
    return (get_language() or "vi").startswith("en")


def _shown(text: str, multiline: bool) -> SafeString:
    """The text escaped; in paragraphs and lines when `multiline`."""
    return linebreaks_filter(text, autoescape=True) if multiline else format_html("{}", text)


@register.simple_tag
def bilingual(vi: str | None, en: str | None, multiline: bool = False) -> SafeString:
    vi, en = (vi or "").strip(), (en or "").strip()
    if _english() and en:
        return _shown(en, multiline)
    if not vi:
        return mark_safe("")  # noqa: S308 - an empty string
    text = _shown(vi, multiline)
    if not _english():
        return text
    tag = "div" if multiline else "span"
    return format_html(
        '<{tag} lang="vi" class="vi-only">{text} <span class="badge badge-vi-only" data-vi-only>{mark}</span></{tag}>',
        tag=tag,
        text=text,
        mark=_("Vietnamese only"),
    )


@register.filter
def vi_only(vi: str | None, en: str | None) -> bool:
    """Whether the reader sees the Vietnamese alone: the English view without the English text."""
    return _english() and bool((vi or "").strip()) and not (en or "").strip()
