"""Form inputs shared by every page: amounts of đồng as people write them, zones chosen by
their code in any case, and file inputs with a translated button and the names of the chosen
files.

A browser's own file input speaks the browser's language ("Choose Files", "No file chosen"),
not the page's: `FilePicker` keeps the real input (visually hidden, still focusable and
announced) and shows a label styled as a button and a live list of the chosen names, both
translated (static/zonedesk/forms.js fills the list; static/zonedesk/forms.css draws it).
`core/templates/core/widgets/file_picker.html` renders it; a hand-written form renders the
widget in its view (`FilePicker().render(...)`, as the petition's "attach a file" form does).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zonedesk.core.inputs import zone_by_code, zone_code_among
from zonedesk.core.money import AmountError, format_amount, parse_amount


class FilePicker(forms.ClearableFileInput):
    template_name = "core/widgets/file_picker.html"

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["multiple"] = self.allow_multiple_selected
        attrs = context["widget"]["attrs"]
        attrs["class"] = " ".join(filter(None, [attrs.get("class", ""), "file-picker-input"]))
        return context


class MultipleFilePicker(FilePicker):
    allow_multiple_selected = True


class AmountInput(forms.TextInput):
    """A text input for an amount: it takes units ("1,5 tỷ"), so no numeric keyboard; amounts.js
    shows the amount it reads as the person types."""

    def __init__(self, attrs: dict[str, Any] | None = None):
        super().__init__({"autocomplete": "off", "data-amount": "", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        return (
            format_amount(value)
            if isinstance(value, int) and not isinstance(value, bool)
            else super().format_value(value)
        )


class AmountField(forms.CharField):
    """An amount of đồng written as people write it (`core.money.parse_amount`); cleans to an int."""

    widget = AmountInput
    default_help_text = _("In đồng: 1.500.000.000, 1,5 tỷ, 250 triệu or 2 tỷ 300 triệu.")

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("help_text", self.default_help_text)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().clean(value)  # the text's own checks first (required, length)
        if text in self.empty_values:
            return None
        try:
            return parse_amount(text)
        except AmountError as exc:
            raise ValidationError(exc.message, code="amount") from exc


class ZoneCodeField(forms.ChoiceField):
    """A zone chosen from a list by its code, the code taken in any case (`?zone=hhtp` is the
    list's HHTP: `core.inputs.zone_code_among`); the cleaned value is the list's own code."""

    def _code(self, value: Any) -> Any:
        choices = cast("Iterable[tuple[Any, Any]]", self.choices)  # flat: (code, name) pairs
        found = zone_code_among((str(key) for key, _label in choices if key), value)
        return found if found is not None else value

    def to_python(self, value: Any) -> str:
        return self._code(super().to_python(value))

    def prepare_value(self, value: Any) -> Any:  # the list shows the zone asked for in any case
        return super().prepare_value(self._code(value) if isinstance(value, str) else value)


class ZoneChoiceField(forms.ModelChoiceField):
    """A zone chosen from the list of zones by its code, the code taken in any case (a script's
    "hhtp", a link's `?zone=hhtp` as the initial choice: `core.inputs.zone_by_code`); the cleaned
    value is the zone."""

    def __init__(self, **kwargs: Any) -> None:
        from zonedesk.core.models import Zone

        kwargs.setdefault("queryset", Zone.objects.all())
        super().__init__(to_field_name="code", **kwargs)

    def _code(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip() and (zone := zone_by_code(value)) is not None:
            return zone.code
        return value

    def to_python(self, value: Any) -> Any:
        return super().to_python(self._code(value))

    def prepare_value(self, value: Any) -> Any:
        return super().prepare_value(self._code(value))
