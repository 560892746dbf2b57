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
from zonedesk.investment.models import REPORT_FIGURES, PeriodicReport, PeriodKind, ProjectStatus, Sector


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
