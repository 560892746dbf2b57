"""The board's form to publish a new version of the privacy notice."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.forms import ServiceForm
from zonedesk.privacy.services import MAX_SUMMARY, MAX_TEXT

_HELP_TEXT = _('A line starting with "## " is a heading; lines starting with "- " make a list.')


class NoticePublishForm(ServiceForm):
    summary_vi = forms.CharField(
        label=_("Short notice (Vietnamese)"),
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "vi"}),
        help_text=_("Shown on the forms that collect personal data, above the consent box: 3 to 6 lines."),
    )
    summary_en = forms.CharField(
        label=_("Short notice (English)"),
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 6, "lang": "en"}),
    )
    text_vi = forms.CharField(
        label=_("Full notice (Vietnamese)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 20, "lang": "vi"}),
        help_text=_HELP_TEXT,
    )
    text_en = forms.CharField(
        label=_("Full notice (English)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 20, "lang": "en"}),
        help_text=_HELP_TEXT,
    )
    # the version the page was opened on: publishing over a newer one is refused
    based_on = forms.IntegerField(widget=forms.HiddenInput)
