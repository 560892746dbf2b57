"""Forms of the web import of a plan file: the upload, the field mapping and the commit. They
parse input; `imports` checks the file and `services` decides what is written."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from zonedesk.core.errors import ServiceError
from zonedesk.core.forms import ServiceForm
from zonedesk.core.models import Zone
from zonedesk.core.widgets import FilePicker
from zonedesk.planning import imports
from zonedesk.planning.models import Layer, PlanningDecision


class ImportUploadForm(ServiceForm):
    zone = forms.ModelChoiceField(label=_("Zone"), queryset=Zone.objects.all(), empty_label=_("Choose…"))
    layer = forms.ChoiceField(label=_("Layer"), choices=Layer.choices, initial=Layer.PARCELS)
    effective_date = forms.DateField(
        label=_("In force from"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The date the new revision replaces the one in force."),
    )
    decision = forms.ModelChoiceField(
        label=_("Planning decision"),
        queryset=PlanningDecision.objects.select_related("zone").order_by("zone__code", "-date"),
        required=False,
        empty_label=_("None"),
        help_text=_("The decision that approved this plan, if it is recorded."),
    )
    file = forms.FileField(
        label=_("Plan file"),
        widget=FilePicker(attrs={"accept": ".geojson,.json,.zip,.gpkg,.dxf"}),
        help_text=format_lazy(
            _(
                "GeoJSON, a ZIP with a Shapefile (.shp, .shx, .dbf, .prj), a GeoPackage (.gpkg) or a DXF drawing; "
                "at most {n} MB."
            ),
            n=imports.MAX_FILE_BYTES // (1024 * 1024),
        ),
    )
    crs = forms.ChoiceField(
        label=_("Coordinate system"),
        required=False,
        help_text=_("Only when the file does not say it (a DXF drawing, a Shapefile without .prj) or says it wrongly."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["crs"].choices = [("", _("As the file says"))] + imports.crs_choices()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        upload.seek(0)
        head = upload.read(64)
        upload.seek(0)
        try:
            imports.check_head(upload.name, upload.size, head)
        except ServiceError as exc:
            raise forms.ValidationError(exc.message_dict.get("file", exc.messages)) from exc
        return upload

    def clean(self):
        data = super().clean()
        zone, decision = data.get("zone"), data.get("decision")
        if zone is not None and decision is not None and decision.zone_id != zone.pk:
            self.add_error("decision", _("This decision is about another zone."))
        return data


class ImportMappingForm(ServiceForm):
    """For each field of the layer, the attribute of the file that holds it; the coordinate
    system and the layer of the file can be corrected here too. An attribute the file does not
    have is refused (its choices are the file's attributes), and so is a required field (code,
    land use) left without one, once the file could be read: choosing another layer of the file
    alone needs no mapping yet (its attributes are not known)."""

    crs = forms.ChoiceField(label=_("Coordinate system"), required=False)
    source_layer = forms.ChoiceField(label=_("Layer of the file"), required=False)

    def __init__(
        self,
        *args,
        layer: str,
        fields: list[str],
        layers: list[str],
        mapping: dict[str, str],
        read_layer: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.targets = imports.TARGETS[Layer(layer)]
        self.attributes, self.read_layer = list(fields), read_layer
        attribute_choices = [("", _("(none)"))] + [(f, f) for f in fields]
        for target in self.targets:
            self.fields[f"map_{target}"] = forms.ChoiceField(
                label=imports.TARGET_LABELS[target],
                choices=attribute_choices,
                required=False,
                initial=(mapping or {}).get(target, ""),
            )
        self.fields["crs"].choices = [("", _("As the file says"))] + imports.crs_choices()
        if len(layers) > 1:
            self.fields["source_layer"].choices = [("", _("Choose…"))] + [(x, x) for x in layers]
        else:
            del self.fields["source_layer"]

    def clean(self):
        data = super().clean()
        other_layer = data.get("source_layer") not in (None, "", self.read_layer)
        if self.attributes and not other_layer:
            for target in imports.REQUIRED:
                name = f"map_{target}"
                if target in self.targets and name not in self.errors and not data.get(name):
                    self.add_error(
                        name,
                        _("Choose the attribute of the file that holds the %(field)s of each feature.")
                        % {"field": str(imports.TARGET_LABELS[target]).lower()},
                    )
        return data

    def mapping_fields(self) -> list[Any]:
        return [self[f"map_{t}"] for t in self.targets]

    def mapping(self) -> dict[str, str]:
        return {t: self.cleaned_data[f"map_{t}"] for t in self.targets if self.cleaned_data.get(f"map_{t}")}


class ImportCommitForm(ServiceForm):
    accept_repairs = forms.BooleanField(label=_("I accept the repairs listed above"), required=False)
