"""The forms of the web import: the upload, and the column mapping of an uploaded file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.widgets import FilePicker
from zonedesk.sheets.kinds import Kind


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("The file (XLSX or CSV)"),
        widget=FilePicker(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args: Any, kinds: list[Kind], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.slug, k.title) for k in kinds]


class MappingForm(forms.Form):
    """For each column of the kind, which column of the file holds it (blank: none)."""

    def __init__(self, *args: Any, kind: Kind, headers: list[str], mapping: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        options = [("", _("— not in the file —"))] + [(h, h) for h in headers if h]
        for col in kind.columns:
            self.fields[f"map_{col.name}"] = forms.ChoiceField(
                label=col.vi, choices=options, required=False, initial=mapping.get(col.name, "")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen: dict[str, str] = {}
        for name, header in list(data.items()):
            if not header:
                continue
            if header in chosen:
                self.add_error(
                    name,
                    _("This column of the file is already chosen for “%(other)s”.")
                    % {"other": self.fields[chosen[header]].label},
                )
            else:
                chosen[header] = name
        return data

    def mapping(self) -> dict[str, str]:
        return {name[4:]: value for name, value in self.cleaned_data.items() if name.startswith("map_") and value}
