"""Forms of the public planning map: the search by parcel code and the vacant-land finder. Both
are plain GET forms, so every page works without JavaScript; their errors are shown beside their
fields. The zone and the colouring are two plain query parameters the view checks itself (an
unknown zone is a 404, an unknown colouring falls back to land use)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.forms import ServiceForm
from zonedesk.core.inputs import blank, parse_decimal
from zonedesk.planning.models import LandUse, PriceBasis

COLOUR_CHOICES = [("land_use", _("Land use")), ("occupancy", _("Occupancy"))]
MAX_HA = Decimal(100_000)


class ParcelSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Parcel code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("e.g. CN-01"), "autocomplete": "off", "id": "parcel-q"}
        ),
    )

    def clean_q(self) -> str:
        return (self.cleaned_data.get("q") or "").strip()


class FinderForm(forms.Form):
    """The vacant-land finder. The minimum area is typed in hectares, with a comma or a point
    before the decimals ("2,5" and "2.5" are both two and a half hectares)."""

    min_ha = forms.CharField(
        label=_("Minimum area (ha)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    land_use = forms.ChoiceField(label=_("Land use"), required=False)
    ready = forms.BooleanField(label=_("All networks ready (power, water, drainage, telecom)"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["land_use"].choices = [
            ("", _("All land uses")),
            *((u.code, f"{u.name} ({u.code})") for u in LandUse.objects.all()),
        ]

    def clean_min_ha(self) -> Decimal | None:
        text = self.cleaned_data.get("min_ha") or ""
        if blank(text):
            return None
        value = parse_decimal(text)  # core.inputs: "2,5" and "2.5" alike
        if value is None:
            raise forms.ValidationError(_("Enter the area as a number of hectares, for example 2.5."))
        if value < 0 or value > MAX_HA:
            raise forms.ValidationError(_("Enter an area between 0 and 100,000 ha."))
        return value


class ParcelTermsForm(ServiceForm):
    """The board's form of a plot's commercial terms; `services_terms.parcel_terms_save` checks."""

    price_vnd_m2 = forms.CharField(
        label=_("Lease price (VND/m²)"),
        required=False,
        max_length=40,
        help_text=_("A whole number of đồng, e.g. 2.400.000."),
    )
    price_basis = forms.ChoiceField(label=_("The price is"), choices=PriceBasis.choices, initial=PriceBasis.YEAR)
    price_usd_m2 = forms.DecimalField(
        label=_("Lease price (USD/m²), if stated"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave empty to derive it from the VND price at the exchange rate below."),
    )
    # whole numbers as text: the service reads ASCII digits only (`core.inputs.clean_whole`)
    usd_rate_vnd = forms.CharField(label=_("Exchange rate (VND per USD)"), required=False, max_length=20)
    rate_date = forms.DateField(
        label=_("Date of the exchange rate"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    term_years = forms.CharField(label=_("Lease term (years)"), required=False, max_length=20)
    term_until = forms.DateField(
        label=_("Lease term until"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    handover_date = forms.DateField(
        label=_("Hand-over date"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    public = forms.BooleanField(
        label=_("Publish these terms"),
        required=False,
        help_text=_("Shown on the parcel card, in the vacant-land finder and its downloads."),
    )
