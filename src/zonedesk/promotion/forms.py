"""The pipeline's forms: a prospect's data, a stage move, a contact, a document, a parcel to
reserve, an event, a screening weight, and the public enquiry. They read the types; the services
check the rest (`services.clean_fields`) and their refusals come back beside the fields."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.forms import ServiceForm
from zonedesk.core.models import Agency, User
from zonedesk.core.money import MAX_VND
from zonedesk.investment.models import Enterprise, Sector
from zonedesk.promotion.models import Contact, Criterion, Environment, PromotionEvent, Prospect, Source

DATE = forms.DateInput(attrs={"type": "date"})
PCT = {"min_value": 0, "max_value": 100, "decimal_places": 2, "required": False}


class ProspectForm(ServiceForm):
    company = forms.CharField(label=_("Company"), max_length=255)
    country = forms.CharField(
        label=_("Country (ISO code)"), max_length=2, min_length=2, help_text=_("Two letters: JP, KR, SG, US, VN…")
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices])
    source = forms.ChoiceField(label=_("Source"), choices=[("", "—"), *Source.choices])
    source_event = forms.ModelChoiceField(label=_("Met at"), queryset=PromotionEvent.objects.all(), required=False)
    manager = forms.ModelChoiceField(
        label=_("Account manager"),
        queryset=User.objects.filter(role__in=["board", "leader"], is_active=True).order_by("username"),
        required=False,
    )
    agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies asked to help"), queryset=Agency.objects.order_by("code"), required=False
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise in Vietnam"),
        queryset=Enterprise.objects.order_by("name"),
        required=False,
        help_text=_("Once the investor has founded it: its dossiers are then linked to this prospect."),
    )
    project_name = forms.CharField(label=_("Project in mind"), max_length=255, required=False)
    capital_vnd = forms.IntegerField(label=_("Capital (VND)"), min_value=0, max_value=MAX_VND, required=False)
    capital_usd = forms.IntegerField(label=_("Capital (USD)"), min_value=0, max_value=MAX_VND, required=False)
    land_ha = forms.DecimalField(
        label=_("Land needed (ha)"), min_value=0, max_value=100_000, decimal_places=2, required=False
    )
    land_use = forms.CharField(label=_("Land use wanted (code)"), max_length=20, required=False)
    needs_networks = forms.BooleanField(label=_("Needs every network ready"), required=False)
    jobs = forms.IntegerField(label=_("Jobs"), min_value=0, max_value=1_000_000, required=False)
    jobs_with_degrees = forms.IntegerField(
        label=_("Jobs with degrees"), min_value=0, max_value=1_000_000, required=False
    )
    value_added_vnd = forms.IntegerField(
        label=_("Value added a year (VND)"), min_value=0, max_value=MAX_VND, required=False
    )
    technology = forms.CharField(label=_("Technology"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    hitech_revenue_pct = forms.DecimalField(label=_("Hi-tech products (% of revenue)"), **PCT)
    rnd_spending_pct = forms.DecimalField(label=_("R&D spending (% of net revenue less inputs)"), **PCT)
    rnd_staff = forms.IntegerField(label=_("R&D staff with degrees"), min_value=0, max_value=1_000_000, required=False)
    exports_pct = forms.DecimalField(label=_("Exports (% of revenue)"), **PCT)
    local_suppliers_pct = forms.DecimalField(label=_("Local suppliers (% of inputs)"), **PCT)
    environment = forms.ChoiceField(label=_("Environmental impact"), choices=Environment.choices)
    environment_notes = forms.CharField(
        label=_("Environment notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def values(self) -> dict:
        cd = dict(self.cleaned_data)
        cd.pop("agencies", None)
        return {
            k: (0 if v is None and k not in {"source_event", "manager", "enterprise"} else v) for k, v in cd.items()
        }


class StageForm(ServiceForm):
    action = forms.CharField(max_length=30, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    dossier = forms.CharField(label=_("Dossier code"), max_length=40, required=False)


class ContactForm(ServiceForm):
    date = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=Contact.Kind.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    next_step = forms.CharField(label=_("Next step"), max_length=500, required=False)
    next_step_due = forms.DateField(label=_("Next step by"), widget=DATE, required=False)


class DocumentForm(ServiceForm):
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel or an image."))


class ReserveForm(ServiceForm):
    parcel = forms.CharField(label=_("Parcel (zone:code)"), max_length=70, help_text=_("For example HHTP:CN-01"))
    until = forms.DateField(label=_("Reserved until"), widget=DATE)


class EventForm(ServiceForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PromotionEvent.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=255)
    date = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=255)
    organisers = forms.CharField(label=_("Organisers"), max_length=500)
    prospects = forms.ModelMultipleChoiceField(
        label=_("Prospects attending"), queryset=Prospect.objects.order_by("company"), required=False
    )
    enterprises = forms.ModelMultipleChoiceField(
        label=_("Enterprises attending"), queryset=Enterprise.objects.order_by("name"), required=False
    )
    follow_up = forms.CharField(
        label=_("Follow-up tasks"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class WeightForm(ServiceForm):
    criterion = forms.ChoiceField(label=_("Criterion"), choices=Criterion.choices)
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=100)
    target = forms.IntegerField(
        label=_("Figure that earns every point"),
        min_value=0,
        max_value=MAX_VND,
        required=False,
        help_text=_(
            "VND per ha for the two per-hectare criteria; a share in % for degrees, exports and local suppliers."
        ),
    )
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    note = forms.CharField(label=_("Why"), max_length=500, required=False)


class EnquiryForm(ServiceForm):
    company = forms.CharField(label=_("Company"), max_length=255)
    country = forms.CharField(
        label=_("Country (ISO code)"), max_length=2, min_length=2, help_text=_("Two letters: JP, KR, SG, US…")
    )
    sector = forms.ChoiceField(label=_("Sector"), choices=[("", "—"), *Sector.choices])
    land_ha = forms.DecimalField(
        label=_("Land needed (ha)"), min_value=0, max_value=100_000, decimal_places=2, required=False
    )
    parcel_wished = forms.CharField(label=_("Plot you ask about"), max_length=70, required=False)
    contact_name = forms.CharField(label=_("Your name"), max_length=200)
    contact_email = forms.EmailField(label=_("E-mail"))
    contact_phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    message = forms.CharField(
        label=_("Your project and questions"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
    site_visit_wished = forms.BooleanField(label=_("I would like a site visit"), required=False)
    site_visit_from = forms.DateField(label=_("Site visit from"), widget=DATE, required=False)
