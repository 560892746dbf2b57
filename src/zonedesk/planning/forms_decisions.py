"""The form of a new planning decision. It parses input; `services.decision_create` checks the
number, the authority and the document (a real PDF, by its content) and writes."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zonedesk.core.forms import ServiceForm
from zonedesk.core.models import Zone
from zonedesk.core.widgets import FilePicker
from zonedesk.planning.services import DECISION_MAX_BYTES


class DecisionForm(ServiceForm):
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.order_by("code"), empty_label=_("Choose…"))
    number = forms.CharField(
        label=_("Number"), max_length=60, help_text=_("As written on the decision, e.g. 899/QĐ-TTg.")
    )
    date = forms.DateField(label=_("Date of issue"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    authority = forms.CharField(
        label=_("Authority"), max_length=255, help_text=_("Who signed it, e.g. the Prime Minister.")
    )
    authority_en = forms.CharField(
        label=_("Authority (English)"),
        max_length=255,
        required=False,
        help_text=_("Shown in the English view; left empty, the Vietnamese is shown, marked as such."),
    )
    title = forms.CharField(label=_("Title"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    title_en = forms.CharField(
        label=_("Title (English)"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = forms.FileField(
        label=_("Signed decision (PDF)"),
        required=False,
        widget=FilePicker(attrs={"accept": ".pdf,application/pdf"}),
        help_text=format_lazy(
            _("A PDF file of at most {n} MB. It is published with the decision."),
            n=DECISION_MAX_BYTES // (1024 * 1024),
        ),
    )


class DocumentForm(ServiceForm):
    """The signed PDF of a decision recorded without it, or a better scan replacing it."""

    document = forms.FileField(
        label=_("Signed decision (PDF)"),
        widget=FilePicker(attrs={"accept": ".pdf,application/pdf"}),
        help_text=format_lazy(
            _("A PDF file of at most {n} MB. It is published with the decision."),
            n=DECISION_MAX_BYTES // (1024 * 1024),
        ),
    )
