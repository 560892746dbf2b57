"""Forms of the ecosystem pages. They parse and render input; the services validate it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zonedesk.core.forms import ServiceForm
from zonedesk.core.inputs import MAX_VND
from zonedesk.core.widgets import ZoneChoiceField
from zonedesk.ecosystem.models import ActorKind, FundKind, Indicator


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MeasurementForm(ServiceForm):
    indicator = forms.ModelChoiceField(
        label=_("Indicator"), queryset=Indicator.objects.filter(computed="").select_related("condition")
    )
    zone = ZoneChoiceField(label=_("Zone"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.CharField(label=_("Value"), max_length=30)
    source = forms.CharField(label=_("Source"), max_length=300, help_text=_("A report, a survey, a decision."))


class TargetForm(ServiceForm):
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.select_related("condition"))
    zone = ZoneChoiceField(label=_("Zone"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.CharField(label=_("Target"), max_length=30)
    note = forms.CharField(label=_("Basis"), max_length=300, required=False)


class ActorForm(ServiceForm):
    zone = ZoneChoiceField(label=_("Zone"))
    kind = forms.ChoiceField(label=_("Kind"), choices=ActorKind.choices)
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    foreign = forms.BooleanField(label=_("Foreign"), required=False)
    fund_kind = forms.ChoiceField(label=_("Kind of fund"), choices=[("", "—"), *FundKind.choices], required=False)
    capital_committed_vnd = forms.IntegerField(
        label=_("Capital committed (VND)"), min_value=0, max_value=MAX_VND, required=False
    )
    researchers = forms.IntegerField(label=_("Researchers"), min_value=0, max_value=1_000_000, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    active_from = forms.DateField(
        label=pgettext_lazy("start of a period", "From"),
        required=False,
        widget=_DateInput(),
        help_text=_("Opened, approved, or completed."),
    )
    active_until = forms.DateField(label=_("Until"), required=False, widget=_DateInput())


class ActorEndForm(ServiceForm):
    on = forms.DateField(label=_("Until"), widget=_DateInput(), help_text=_("The last day it counts."))
