"""The one-stop desk's forms: filing a dossier (its parts and the fields its procedure asks, the
registry's values filled in), each step of a dossier, a supplement request that lists every
missing item with its reason, the enterprise's answer, an apology, a rating."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.files import KINDS
from zonedesk.core.forms import ServiceForm
from zonedesk.procedures import fields as form_fields
from zonedesk.procedures.models import DossierPart, ProcedureVersion


def _accept(part: DossierPart) -> str:
    return ",".join(sorted(ext for kind in part.kinds if kind in KINDS for ext in KINDS[kind].extensions))


def field_for(key: str) -> forms.Field:
    f = form_fields.FIELDS[key]
    if f.kind == form_fields.MONEY:
        return forms.IntegerField(label=f.label, min_value=0, help_text=_("In đồng, a whole number."))
    if f.kind == form_fields.NUMBER:
        help_text = "" if f.required else _("For a project with a foreign investor.")
        return forms.IntegerField(label=f.label, min_value=0, required=f.required, help_text=help_text)
    if f.kind == form_fields.DATE:
        return forms.DateField(label=f.label, widget=forms.DateInput(attrs={"type": "date"}))
    if f.kind == "sector":
        from zonedesk.investment.models import Sector

        return forms.ChoiceField(label=f.label, choices=Sector.choices)
    if f.max_length > 255:
        return forms.CharField(label=f.label, widget=forms.Textarea(attrs={"rows": 3}), max_length=f.max_length)
    return forms.CharField(label=f.label, max_length=f.max_length)


def part_field(part: DossierPart, *, required: bool) -> forms.FileField:
    kinds = ", ".join(sorted(k.upper() for k in part.kinds))
    return forms.FileField(
        label=part.name,
        required=required,
        help_text=_("Accepted: %(types)s.") % {"types": kinds} + (f" {part.note}" if part.note else ""),
        widget=forms.ClearableFileInput(attrs={"accept": _accept(part)}),
    )


class FileDossierForm(ServiceForm):
    """A dossier: the project (for a procedure about one), the enterprise (a paper dossier at the
    desk), the form's fields and one file per part."""

    def __init__(self, *args: Any, version: ProcedureVersion, projects: Any = None, paper: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.version = version
        if paper:
            self.fields["enterprise"] = forms.CharField(
                label=_("Tax code of the enterprise that brought the dossier"), max_length=14
            )
        if projects is not None:
            self.fields["project"] = forms.ModelChoiceField(
                label=_("Project"), queryset=projects, to_field_name="code", empty_label=_("Choose the project")
            )
        for key in version.form_fields:
            self.fields[key] = field_for(key)
        self.parts = list(version.parts.all())
        for part in self.parts:
            self.fields[f"part_{part.pk}"] = part_field(part, required=part.required)

    def files_by_part(self) -> dict[int, Any]:
        return {
            p.pk: self.cleaned_data.get(f"part_{p.pk}") for p in self.parts if self.cleaned_data.get(f"part_{p.pk}")
        }

    def form_values(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in self.version.form_fields}


class StepForm(ServiceForm):
    """A step of the dossier: the version read, and the reason (required where the step needs one)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )

    def __init__(self, *args: Any, needs_reason: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = needs_reason


class SupplementRequestForm(ServiceForm):
    """Every part and field, each with a box to ask it and its reason: one request lists all."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    why_new_items = forms.CharField(
        label=_("Why items not asked before are asked now (for a second request)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=5000,
    )

    def __init__(self, *args: Any, version_: ProcedureVersion, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.items: list[tuple[str, Any, Any]] = []
        for part in version_.parts.all():
            self.fields[f"ask_part_{part.pk}"] = forms.BooleanField(label=part.name, required=False)
            self.fields[f"why_part_{part.pk}"] = forms.CharField(label=_("Reason"), required=False, max_length=2000)
            self.items.append(("part", part.pk, part))
        for key in version_.form_fields:
            label = form_fields.FIELDS[key].label
            self.fields[f"ask_field_{key}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"why_field_{key}"] = forms.CharField(label=_("Reason"), required=False, max_length=2000)
            self.items.append(("field", key, label))

    def rows(self) -> list[tuple[Any, Any, Any]]:
        """(the box, the reason, the item's name) of each part and field, for the page's table."""
        return [(self[f"ask_{k}_{i}"], self[f"why_{k}_{i}"], label) for k, i, label in self.items]

    def asked(self) -> list[dict[str, Any]]:
        cd = self.cleaned_data
        return [
            {kind: ident, "reason": cd.get(f"why_{kind}_{ident}", "")}
            for kind, ident, _label in self.items
            if cd.get(f"ask_{kind}_{ident}")
        ]


class SupplementForm(ServiceForm):
    """The enterprise's answer: a file for each part asked, a value for each field asked."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, request_: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.parts = []
        self.keys = []
        for item in request_.items.select_related("part"):
            if item.part_id:
                self.fields[f"part_{item.part_id}"] = part_field(item.part, required=True)
                self.parts.append(item.part)
            else:
                self.fields[item.field] = field_for(item.field)
                self.keys.append(item.field)

    def files_by_part(self) -> dict[int, Any]:
        return {p.pk: self.cleaned_data.get(f"part_{p.pk}") for p in self.parts}

    def form_values(self) -> dict[str, Any]:
        return {k: self.cleaned_data.get(k) for k in self.keys}


class ApologyForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    new_date = forms.DateField(label=_("New appointment"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(
        label=_("Why the dossier will be late"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class RatingForm(ServiceForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with how the dossier was handled?"),
        coerce=int,
        choices=[
            (5, _("5 – very satisfied")),
            (4, _("4 – satisfied")),
            (3, _("3 – neither")),
            (2, _("2 – dissatisfied")),
            (1, _("1 – very dissatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Number of the result"), required=False, max_length=60)
    pdf = forms.FileField(label=_("Or the PDF file of the result"), required=False)
