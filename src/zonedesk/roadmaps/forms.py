"""Forms of the roadmap pages. They parse and render input; the services validate it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.forms import ServiceForm
from zonedesk.core.inputs import MAX_VND
from zonedesk.core.models import Agency
from zonedesk.core.widgets import ZoneChoiceField
from zonedesk.roadmaps.models import Milestone, OwnerKind, RoadmapKind


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


class RoadmapForm(ServiceForm):
    zone = ZoneChoiceField(label=_("Zone"))
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in RoadmapKind.choices if c[0] != RoadmapKind.ENTERPRISE]
    )
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner_kind = forms.ChoiceField(
        label=_("Owner"), choices=[c for c in OwnerKind.choices if c[0] != OwnerKind.ENTERPRISE]
    )
    owner_agency = forms.ModelChoiceField(
        label=_("Agency or commune"),
        queryset=Agency.objects.all(),
        required=False,
        help_text=_("When an agency or a commune owns it."),
    )
    owner_name = forms.CharField(
        label=_("Owner's name"),
        max_length=300,
        required=False,
        help_text=_("A steering committee's name, for example."),
    )
    key_task = forms.BooleanField(label=_("Key local task"), required=False)
    public = forms.BooleanField(label=_("Public"), required=False, initial=True)


class PackageForm(ServiceForm):
    code = forms.CharField(label=_("Package code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=300)
    responsible_name = forms.CharField(label=_("Responsible party"), max_length=300)
    planned_start = _date(_("Planned start"))
    planned_end = _date(_("Planned end"))
    area_to_clear_m2 = forms.DecimalField(label=_("Area to clear (m²)"), min_value=0, decimal_places=1, max_digits=14)
    households_affected = forms.IntegerField(label=_("Households affected"), min_value=0, max_value=1_000_000)
    compensation_approved_vnd = forms.IntegerField(
        label=_("Compensation approved (VND)"), min_value=0, max_value=MAX_VND, required=False
    )
    resettlement_households = forms.IntegerField(
        label=_("Households to resettle"), min_value=0, max_value=1_000_000, required=False
    )
    resettlement_note = forms.CharField(
        label=_("Resettlement needs"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    parcels = forms.CharField(
        label=_("Land parcels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Parcel codes of the plan in force, separated by commas or lines."),
    )
    depends_on = forms.MultipleChoiceField(
        label=_("Depends on"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(self, *args, milestones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depends_on"].choices = [(str(m.pk), m.title) for m in milestones]


class PlanForm(MilestoneForm):
    condition = forms.ModelChoiceField(
        label=_("Condition of the ecosystem it acts on"),
        # the ecosystem app's Condition, reached through the milestone's key: roadmaps sits below
        # ecosystem (whose scorecard reads the roadmaps) and imports nothing from it
        queryset=Milestone._meta.get_field("condition").related_model._default_manager.all(),
        required=False,
        help_text=_("The scorecard lists it among the condition's actions."),
    )


class RoadmapEditForm(ServiceForm):
    title_vi = forms.CharField(label=_("Title (Vietnamese)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    owner_name = forms.CharField(label=_("Owner's name"), max_length=300, required=False)
    key_task = forms.BooleanField(label=_("Key local task"), required=False)
    public = forms.BooleanField(label=_("Public"), required=False)
