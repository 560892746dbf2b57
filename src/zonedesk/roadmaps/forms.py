"""Forms of the roadmap pages. They parse and render input; the services validate it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.investment.forms import ServiceForm


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _date(label, required=True, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, required=required, widget=_DateInput(), input_formats=["%Y-%m-%d", "%d/%m/%Y"], **kwargs
    )


class MilestoneForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=300)
    responsible_name = forms.CharField(label=_("Responsible party"), max_length=300)
    planned_start = _date(_("Planned start"))
    planned_end = _date(_("Planned end"))
    depends_on = forms.MultipleChoiceField(
        label=_("Depends on"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depends_on"].choices = [(str(m.pk), m.title) for m in milestones]


class ProgressForm(ServiceForm):
    progress_pct = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    actual_start = _date(_("Actual start"), required=False)
    actual_end = _date(_("Actual end"), required=False, help_text=_("Only when it has finished."))


class PackageRecordForm(ServiceForm):
    on = _date(_("Figures as of"))
    area_handed_over_m2 = forms.DecimalField(
        label=_("Area handed over so far (m²)"), min_value=0, decimal_places=1, max_digits=14
    )
    households_agreed = forms.IntegerField(label=_("Households that agreed so far"), min_value=0)
    compensation_paid_vnd = forms.IntegerField(label=_("Compensation paid so far (VND)"), min_value=0)
    compensation_approved_vnd = forms.IntegerField(label=_("Compensation approved (VND)"), min_value=0)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class HandOverForm(ServiceForm):
    on = _date(_("Handed over on"))
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("The minutes, say.")
    )


class ReviewForm(ServiceForm):
    note = forms.CharField(
        label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
