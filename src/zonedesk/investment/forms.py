"""Forms of the investment pages. They parse and render input; the services validate it.

Amounts are typed as people write them (“1.500.000.000”, “1,5 tỷ”, “250 triệu”) and read by
`core.widgets.AmountField` into whole đồng; counts are handed to the services as typed (they
accept thousands separators and give the same messages as the API).
"""

from __future__ import annotations

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from zonedesk.core.forms import ServiceForm
from zonedesk.core.widgets import AmountField, AmountInput, ZoneCodeField
from zonedesk.investment.models import (
    REPORT_FIGURES,
    BoardContact,
    Incentive,
    PeriodicReport,
    PeriodKind,
    ProjectStatus,
    Sector,
    ZoneProfile,
)


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Code, name or enterprise")}),
    )
    zone = ZoneCodeField(label=_("Zone"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All statuses")), *ProjectStatus.choices]
    )
    ownership = forms.ChoiceField(
        label=_("Ownership"),
        required=False,
        choices=[("", _("Domestic and foreign")), ("domestic", _("Domestic")), ("foreign", _("Foreign-invested"))],
    )

    def __init__(self, *args, zones=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = [("", _("All zones")), *((z.code, z.name) for z in zones)]


def _figure_field(name: str) -> forms.Field:
    model_field = PeriodicReport._meta.get_field(name)
    label = capfirst(model_field.verbose_name)
    if name.startswith("workers"):
        return forms.CharField(
            label=label,
            max_length=40,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        )
    # read as people write amounts ("1.500.000.000", "1,5 tỷ", "250 triệu"): core.money.parse_amount
    # how amounts may be written is said once above the figures (id "figures-help"), not under each
    return AmountField(
        label=label,
        help_text="",
        widget=AmountInput(attrs={"aria-describedby": "figures-help"}),
        error_messages={"required": _("Enter an amount in đồng (0 if none).")},
    )


class _FiguresForm(ServiceForm):
    """The figures of a periodic report, one text field each (see REPORT_FIGURES)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in REPORT_FIGURES:
            self.fields[name] = _figure_field(name)

    def clean(self):
        # Amounts are read by their fields (AmountField: whole đồng); the service parses the counts
        # (grouped thousands included) and says what is wrong.
        data = super().clean()
        for name in REPORT_FIGURES:
            if isinstance(data.get(name), str):
                data[name] = data[name].strip()
        return data

    def figures(self) -> dict[str, int | str]:
        return {name: self.cleaned_data[name] for name in REPORT_FIGURES}

    def figure_fields(self):
        return [self[name] for name in REPORT_FIGURES]


class ReportSubmitForm(_FiguresForm):
    project = forms.ChoiceField(label=_("Project"))
    period_kind = forms.ChoiceField(label=_("Period"), choices=PeriodKind.choices, initial=PeriodKind.QUARTER)
    year = forms.IntegerField(label=_("Year"), widget=forms.NumberInput(attrs={"min": 1990, "max": 2200}))
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        required=False,
        coerce=int,
        empty_value=0,
        choices=[("", _("— (yearly report)")), ("1", "1"), ("2", "2"), ("3", "3"), ("4", "4")],
        help_text=_("Only for a quarterly report."),
    )

    field_order = ["project", "period_kind", "year", "quarter", *REPORT_FIGURES]

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.code, f"{p.code} – {p.name}") for p in projects]
        self.order_fields(self.field_order)

    def period_fields(self):
        return [self[name] for name in ("project", "period_kind", "year", "quarter")]


class ReportCorrectForm(_FiguresForm):
    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The earlier version is kept and shown as corrected."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields([*REPORT_FIGURES, "correction_reason"])


class ProjectStatusForm(ServiceForm):
    """A board officer moves a project along its lifecycle; only the allowed next statuses are offered."""

    to_status = forms.ChoiceField(label=_("New status"))
    effective_date = forms.DateField(
        label=_("Effective date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [(s, ProjectStatus(s).label) for s in project.allowed_next_statuses]


# --- the investor's site's reference data, kept by the board (services_invest) ------------------------

_DATE = {"type": "date"}


class IncentiveForm(forms.ModelForm):
    class Meta:
        model = Incentive
        fields = [
            "applies_to",
            "category",
            "title_vi",
            "title_en",
            "benefit_vi",
            "benefit_en",
            "conditions_vi",
            "conditions_en",
            "legal_basis_vi",
            "legal_basis_en",
            "effective_from",
            "effective_until",
            "indicative",
            "order",
        ]
        widgets = {
            "effective_from": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            "effective_until": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            **{f: forms.Textarea(attrs={"rows": 3}) for f in ("benefit_vi", "benefit_en", "conditions_vi")},
            **{f: forms.Textarea(attrs={"rows": 3}) for f in ("conditions_en", "legal_basis_vi", "legal_basis_en")},
        }


class ZoneProfileForm(forms.ModelForm):
    class Meta:
        model = ZoneProfile
        fields = [
            "summary_vi",
            "summary_en",
            "km_noi_bai",
            "km_hai_phong",
            "km_hanoi",
            "power_vi",
            "power_en",
            "water_vi",
            "water_en",
            "wastewater_vi",
            "wastewater_en",
            "labour_vi",
            "labour_en",
            "wage_region",
            "min_wage_vnd",
            "min_wage_from",
        ]
        widgets = {
            "min_wage_from": forms.DateInput(attrs=_DATE, format="%Y-%m-%d"),
            **{
                f: forms.Textarea(attrs={"rows": 2})
                for f in ("summary_vi", "summary_en", "power_vi", "power_en", "water_vi", "water_en")
            },
            **{
                f: forms.Textarea(attrs={"rows": 2})
                for f in ("wastewater_vi", "wastewater_en", "labour_vi", "labour_en")
            },
        }


class BoardContactForm(forms.ModelForm):
    class Meta:
        model = BoardContact
        fields = ["zone", "name_vi", "name_en", "address_vi", "address_en", "phone", "email", "hours_vi", "hours_en"]
        fields += ["order"]
