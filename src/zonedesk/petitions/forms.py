"""Forms of the petition pages. They parse and render input; the services decide what is valid.

Each form that changes a petition carries the `version` the person read (a hidden field), so
that a change made meanwhile by someone else answers a conflict instead of being overwritten.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.errors import ServiceError, error_dict
from zonedesk.core.forms import ServiceForm
from zonedesk.core.inputs import MAX_COUNT, MAX_VND, clean_whole, zone_by_code
from zonedesk.core.models import Agency, Zone
from zonedesk.core.widgets import MultipleFilePicker, ZoneCodeField
from zonedesk.investment.models import Project
from zonedesk.petitions.models import Category, Petition, Priority, Status
from zonedesk.petitions.selectors import PetitionFilters
from zonedesk.petitions.services import INVESTMENT_VND
from zonedesk.privacy import services as privacy

TEXTAREA = {"rows": 4}


def _category_choices(blank: str | None) -> list[tuple[str, Any]]:
    return ([("", blank)] if blank is not None else []) + list(Category.choices)


def _zone_choices(blank: str | None = None) -> list[tuple[str, str]]:
    return ([("", blank)] if blank is not None else []) + [(z.code, z.name) for z in Zone.objects.all()]


class _ZoneMixin:
    """A zone picked by its code from the list (the services take the zone itself)."""

    def clean_zone(self):
        code = self.cleaned_data.get("zone")
        zone = zone_by_code(code)
        if zone is None:
            raise forms.ValidationError(_("Choose a zone from the list."))
        return zone


# --- intake -------------------------------------------------------------------------------


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern); the service checks each one by
    its content, so the form only collects them."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFilePicker())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _attachment_fields() -> dict[str, forms.Field]:
    from zonedesk.petitions.attachments import MAX_ATTACHMENTS

    return {
        "attachments": MultipleFileField(
            label=_("Attachments"),
            required=False,
            widget=MultipleFilePicker(
                attrs={"accept": ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.ods,.txt,application/pdf,image/png,image/jpeg"}
            ),
            help_text=_(
                "Optional: documents that show the difficulty (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS or text), "
                "at most %(n)s files."
            )
            % {"n": MAX_ATTACHMENTS},
        ),
        "attachments_public": forms.BooleanField(
            label=_("The attached files may be shown with the published answer"),
            required=False,
            initial=False,
            help_text=_(
                "Leave unticked to keep them private: only you, the board and the agencies concerned read them."
            ),
        ),
    }


class _PetitionFields(_ZoneMixin, ServiceForm):
    zone = ZoneCodeField(label=_("Zone"))
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_("The difficulty in one line."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = forms.CharField(
        label=_("The difficulty"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What happened, since when, what you have already done, and what you ask for."),
    )
    category = forms.ChoiceField(label=_("Category"))
    publish_allowed = forms.BooleanField(
        label=_("The answer may be published"),
        required=False,
        initial=True,
        help_text=_(
            "The public reads only a summary approved by the board and the answer, never your name or your text."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["zone"].choices = _zone_choices(_("Choose…"))
        self.fields["category"].choices = _category_choices(_("Choose…"))
        self.fields.update(_attachment_fields())

    def _remind_files(self) -> None:
        """A browser does not keep the chosen files when the page comes back with errors: say so
        beside them, so that nobody believes they were sent."""
        if self.files.getlist("attachments") and "attachments" not in self._errors:
            self.add_error("attachments", _("Nothing was received yet: choose the files again."))

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self._remind_files()

    def add_service_error(self, exc) -> None:
        super().add_service_error(exc)
        self._remind_files()


class PortalPetitionForm(_PetitionFields):
    """An enterprise user files a petition for its enterprise."""

    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        initial=Priority.NORMAL,
        help_text=_("Urgent: production is stopped or about to stop."),
    )
    project = forms.ChoiceField(label=_("Project concerned"), required=False)
    procedure = forms.CharField(
        label=_("Administrative procedure"),
        required=False,
        max_length=255,
        help_text=_("If the difficulty is about a procedure, its name or code."),
    )

    field_order = ["zone", "title", "body", "category", "priority", "project", "procedure", "publish_allowed"]

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = {p.code: p for p in projects}
        self.fields["project"].choices = [("", _("None")), *((p.code, f"{p.code} – {p.name}") for p in projects)]

    def clean_project(self):
        code = self.cleaned_data.get("project")
        return self.projects.get(code) if code else None


class PublicPetitionForm(_PetitionFields):
    """Anyone without an account: a name and an e-mail or phone so that the board can answer."""

    petitioner_name = forms.CharField(
        label=_("Your name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    petitioner_email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    petitioner_phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=30,
        help_text=_("An e-mail address or a phone number, so that we can answer."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    consent = forms.BooleanField(
        label=_(
            "I have read the privacy notice above and agree that the board processes my personal data "
            "as it describes, to handle this petition."
        ),
        required=True,
        initial=False,
        error_messages={
            "required": _("Tick the box to agree to the privacy notice: without it the petition cannot be sent.")
        },
    )
    # the version of the notice the page showed: the service records consent to that one, and
    # refuses if the board published another meanwhile
    consent_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = [
        "petitioner_name",
        "petitioner_email",
        "petitioner_phone",
        "zone",
        "title",
        "body",
        "category",
        "publish_allowed",
    ]

    def __init__(self, *args, notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["consent_version"].initial = notice.version

    def clean(self):
        data = super().clean()
        if data.get("consent"):
            try:
                privacy.consent_check(data.get("consent_version"))
            except ServiceError as exc:
                self.add_service_error(exc)
        return data

    def add_service_error(self, exc) -> None:
        """The consent's errors go beside its box (the service names the version it checked)."""
        errors = error_dict(exc)
        if "consent_version" in errors:
            errors.setdefault("consent", []).extend(errors.pop("consent_version"))
            exc = ServiceError(errors)
        super().add_service_error(exc)
        self._ask_consent_again()

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self._errors:
            self._ask_consent_again()

    def _ask_consent_again(self) -> None:
        """Shown again after a refusal, the form asks for consent to the notice it shows now: the
        box unticked and the current version, when the box was refused or the version is not it."""
        sent = self.data.get("consent_version")
        if "consent" in self._errors or str(sent) != str(self.notice.version):
            data = self.data.copy()
            data.pop("consent", None)
            data["consent_version"] = str(self.notice.version)
            self.data = data

    def contact_fields(self):
        return [self[n] for n in ("petitioner_name", "petitioner_email", "petitioner_phone")]

    def petition_fields(self):
        return [self[n] for n in ("zone", "title", "body", "category")]


# --- lists --------------------------------------------------------------------------------


class QueueFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Reference or words of the text")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    zone = ZoneCodeField(label=_("Zone"), required=False)
    agency = forms.ChoiceField(label=_("Lead agency"), required=False)
    answer = forms.ChoiceField(
        label=_("Answer"),
        required=False,
        choices=[
            ("", _("Any")),
            ("waiting", _("Waiting for the board's approval")),
            ("returned", _("Returned for changes")),
        ],
    )
    escalated = forms.TypedChoiceField(
        label=_("Escalation"),
        required=False,
        coerce=int,
        empty_value=0,
        choices=[
            ("", _("Any")),
            ("1", _("↑1 or more: raised to the agency head")),
            ("2", _("↑2 or more: raised to the board")),
            ("3", _("↑3: raised to the city leader")),
        ],
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    due_soon = forms.BooleanField(label=_("Due within 7 days"), required=False)
    reopened = forms.BooleanField(label=_("Reopened"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), ("open", _("Open")), *Status.choices]
        self.fields["category"].choices = _category_choices(_("All categories"))
        self.fields["zone"].choices = _zone_choices(_("All zones"))
        self.fields["agency"].choices = [("", _("All agencies")), *((a.code, a.name) for a in Agency.objects.all())]

    @classmethod
    def read(cls, data) -> tuple[QueueFilterForm, PetitionFilters]:
        """The form and its filters from a query string: without a status, the open petitions; an
        unknown choice is dropped and the other filters still apply."""
        data = data.copy()
        if "status" not in data:  # the queue opens on what is still open
            data["status"] = "open"
        form = cls(data)
        form.is_valid()
        cd = getattr(form, "cleaned_data", {})
        filters = PetitionFilters(
            q=cd.get("q") or "",
            status=cd.get("status") or "",
            category=cd.get("category") or "",
            zone=cd.get("zone") or "",
            agency=cd.get("agency") or "",
            overdue=bool(cd.get("overdue")),
            due_soon=bool(cd.get("due_soon")),
            reopened=bool(cd.get("reopened")),
            escalated=cd.get("escalated") or 0,
            answer=cd.get("answer") or "",
        )
        return form, filters


class SaveFilterForm(forms.Form):
    """Save the queue's present filter under a name (the filter itself comes as its query).
    It draws the fields only: the view reads the query as the queue reads it, and the name's
    rules are `services.saved_filter_save`'s, said the same way to every caller."""

    name = forms.CharField(
        label=_("Name of this filter"),
        max_length=80,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("e.g. Land, Hoa Lac, overdue")}),
    )
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)


class SaveFilterInput(forms.Form):
    """What `SaveFilterForm` sends, read without rules of its own: the name's are the service's
    (`services.saved_filter_save`, which also tidies its spaces), and the query is read as the
    queue reads it, its first 2,000 characters."""

    name = forms.CharField(required=False)
    query = forms.CharField(required=False, strip=False)


class AnswerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the answers"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Words, with or without accents")}),
    )
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(_("All categories"))


# --- acting on a petition -----------------------------------------------------------------


class AttachForm(forms.Form):
    """A file added to a petition from its page (the page draws the input, `detail._attach_input`);
    the service checks the file by its content, so an empty one is the service's to refuse."""

    file = forms.FileField(allow_empty_file=True, error_messages={"required": _("Choose a file to attach.")})
    confidential = forms.BooleanField(required=False)


class VersionedForm(ServiceForm):
    """Every change carries the version the person read."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, petition: Petition, **kwargs):
        self.petition = petition
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("version", petition.version)
        super().__init__(*args, **kwargs)

    def clean_version(self):
        # A form without its version cannot tell whether the petition changed: it is refused.
        return self.cleaned_data["version"]

    def params(self) -> dict[str, Any]:
        """Keyword arguments for `services.petition_act` beyond version and reason."""
        return {}


class ConfirmForm(VersionedForm):
    """An action without fields (start, approve the answer, close)."""


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=4000, widget=forms.Textarea(attrs=TEXTAREA))


class TransferForm(ReasonForm):
    suggested_agency = forms.ModelChoiceField(
        label=_("Agency that could handle it"),
        queryset=Agency.objects.all(),
        required=False,
        empty_label=_("Unknown"),
        to_field_name="code",
    )

    def params(self):
        agency = self.cleaned_data.get("suggested_agency")
        return {"suggested_agency": agency} if agency is not None else {}


class MergeForm(ReasonForm):
    into = forms.CharField(
        label=_("Reference of the petition it duplicates"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "PAKN-2026-000123", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_into(self):
        reference = (self.cleaned_data.get("into") or "").strip().upper()
        if not reference:
            return None
        target = Petition.objects.restrict(self.user).filter(reference=reference).first()
        if target is None:
            raise forms.ValidationError(_("No petition has the reference “%(ref)s”.") % {"ref": reference})
        return target

    def params(self):
        return {"into": self.cleaned_data.get("into")}


class TriageForm(VersionedForm):
    category = forms.ChoiceField(label=_("Category"))
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    impact_production_stopped = forms.BooleanField(label=_("Production stopped"), required=False)
    impact_workers = forms.IntegerField(label=_("Workers affected"), required=False, min_value=0, max_value=MAX_COUNT)
    impact_investment_vnd = forms.CharField(
        label=_("Investment at risk (VND)"),
        required=False,
        max_length=40,
        help_text=_("In đồng; dots between thousands are fine."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    project = forms.CharField(
        label=_("Project code"),
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    parcel_code = forms.CharField(label=_("Land parcel"), required=False, max_length=50)
    procedure = forms.CharField(label=_("Administrative procedure"), required=False, max_length=255)
    confidential_note = forms.CharField(
        label=_("Confidential figures and notes"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never published; the enterprise does not see it."),
    )

    FIELDS = (
        "category",
        "priority",
        "impact_production_stopped",
        "impact_workers",
        "impact_investment_vnd",
        "project",
        "parcel_code",
        "procedure",
        "confidential_note",
    )

    def __init__(self, *args, petition: Petition, **kwargs):
        initial = kwargs.setdefault("initial", {})
        for name in self.FIELDS:
            value = getattr(petition, name)
            if name == "project":
                value = petition.project.code if petition.project_id else ""
            elif name == "impact_investment_vnd" and value is not None:
                value = f"{value:,}".replace(",", ".")
            initial.setdefault(name, value)
        super().__init__(*args, petition=petition, **kwargs)
        self.fields["category"].choices = Category.choices

    def clean_impact_investment_vnd(self):
        errors: dict[str, str] = {}  # core.inputs: "1.500.000" yes, "1,5" no; at most MAX_VND
        number = clean_whole(
            self.cleaned_data.get("impact_investment_vnd"),
            "impact_investment_vnd",
            errors,
            high=MAX_VND,
            wording=INVESTMENT_VND,
            required=False,
        )
        if errors:
            raise forms.ValidationError(errors["impact_investment_vnd"])
        return number

    def clean_project(self):
        code = (self.cleaned_data.get("project") or "").strip()
        if not code:
            return None
        project = Project.objects.filter(code=code).first()
        if project is None:
            raise forms.ValidationError(_("No project has the code “%(code)s”.") % {"code": code})
        return project

    def params(self):
        """Only what changed, so that the timeline says what triage changed."""
        changed: dict[str, Any] = {}
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            if name in {"parcel_code", "procedure", "confidential_note"}:
                value = (value or "").strip()
            current = self.petition.project if name == "project" else getattr(self.petition, name)
            if value != current:
                if name == "project" and value is None:
                    continue  # unlinking a project is not something triage does
                changed[name] = value
        return changed


class AssignForm(VersionedForm):
    lead_agency = forms.ModelChoiceField(
        label=_("Lead agency"),
        queryset=Agency.objects.all(),
        required=False,
        empty_label=_("Choose…"),
        to_field_name="code",
    )
    coordinating_agencies = forms.ModelMultipleChoiceField(
        label=_("Coordinating agencies"),
        queryset=Agency.objects.all(),
        required=False,
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They contribute to the lead agency's answer."),
    )

    def __init__(self, *args, petition: Petition, **kwargs):
        initial = kwargs.setdefault("initial", {})
        if petition.lead_agency_id:
            initial.setdefault("lead_agency", petition.lead_agency.code)
        super().__init__(*args, petition=petition, **kwargs)

    def params(self):
        return {
            "lead_agency": self.cleaned_data.get("lead_agency"),
            "coordinating_agencies": list(self.cleaned_data.get("coordinating_agencies") or []),
        }


class PublishForm(VersionedForm):
    public_summary = forms.CharField(
        label=_("Public summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "What the public reads with the answer, written by the board: without the names of the enterprise, "
            "its projects or people, contacts or confidential figures. Nothing is published without it."
        ),
    )

    def __init__(self, *args, petition: Petition, **kwargs):
        # never the petition's title by default: it names the enterprise and its project
        kwargs.setdefault("initial", {}).setdefault("public_summary", petition.public_summary)
        super().__init__(*args, petition=petition, **kwargs)

    def params(self):
        return {"public_summary": self.cleaned_data.get("public_summary") or ""}


class ReturnForm(VersionedForm):
    note = forms.CharField(
        label=_("What to change"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(VersionedForm):
    body = forms.CharField(
        label=_("Answer"), required=False, max_length=20_000, widget=forms.Textarea(attrs={"rows": 10})
    )


class RateForm(VersionedForm):
    satisfied = forms.TypedChoiceField(
        label=_("Does the answer resolve your difficulty?"),
        choices=[("yes", _("Yes, satisfied")), ("no", _("No, not satisfied"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, petition: Petition, **kwargs):
        if petition.satisfied is not None:
            kwargs.setdefault("initial", {}).setdefault("satisfied", "yes" if petition.satisfied else "no")
        super().__init__(*args, petition=petition, **kwargs)


class PauseForm(VersionedForm):
    reason = forms.CharField(
        label=_("Information needed from the enterprise"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ResumeForm(VersionedForm):
    reason = forms.CharField(label=_("Note"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class ExtendForm(VersionedForm):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    days = forms.IntegerField(
        label=_("Working days"),
        required=False,
        min_value=1,
        max_value=30,
        help_text=_("Empty: the board's default."),
    )
