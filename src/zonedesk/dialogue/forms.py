"""Forms of the conference pages. They parse and render input; the services validate it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.forms import ServiceForm
from zonedesk.core.models import Agency, Zone
from zonedesk.dialogue.models import ConferenceSeries
from zonedesk.petitions.models import Category


class _DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class ConferenceForm(ServiceForm):
    series = forms.ModelChoiceField(label=_("Series"), queryset=ConferenceSeries.objects.all())
    sequence = forms.IntegerField(label=_("Number in the series"), min_value=1, max_value=100)
    theme_vi = forms.CharField(label=_("Theme (Vietnamese)"), max_length=300)
    theme_en = forms.CharField(label=_("Theme (English)"), max_length=300, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=_DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=_DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    venue = forms.CharField(label=_("Venue"), max_length=300)
    chair = forms.CharField(label=_("Chair"), max_length=300, help_text=_("Name and title."))
    zones = forms.ModelMultipleChoiceField(
        label=_("Zones"), queryset=Zone.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    description_en = forms.CharField(
        label=_("Description (English)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    public = forms.BooleanField(label=_("On the public calendar"), required=False, initial=True)


class HeldForm(ServiceForm):
    head_count = forms.IntegerField(label=_("Participants (head count)"), min_value=1, max_value=100_000)
    enterprises = forms.CharField(
        label=_("Participating enterprises"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Tax codes, one a line. Leave empty to keep the list as it is."),
    )


class TableForm(ServiceForm):
    petition = forms.CharField(
        label=_("Reference of an existing petition"),
        max_length=30,
        required=False,
        help_text=_("For example PAKN-2024-000123. Leave empty to record a new petition below."),
    )
    during_session = forms.BooleanField(label=_("Raised during the session"), required=False)
    enterprise = forms.CharField(
        label=_("Enterprise (tax code)"), max_length=14, required=False, help_text=_("New petition.")
    )
    zone = forms.ModelChoiceField(
        label=_("Zone"),
        queryset=Zone.objects.all(),
        required=False,
        empty_label=_("The enterprise's zone"),
    )
    category = forms.ChoiceField(label=_("Category"), required=False, choices=[("", "—"), *Category.choices])
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    body = forms.CharField(label=_("Content"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    publish_allowed = forms.BooleanField(label=_("The answer may be published"), required=False, initial=True)


class SpotAnswerForm(ServiceForm):
    agency = forms.ModelChoiceField(label=_("Agency that answered"), queryset=Agency.objects.all())
    speaker = forms.CharField(label=_("Answered by (name and title)"), max_length=300, required=False)
    text = forms.CharField(label=_("Answer given on the spot"), widget=forms.Textarea(attrs={"rows": 6}))
