"""The people whose data a table holds, for administrators (core/access.py): to tell them of a
breach (docs/SECURITY.md). The page and `zonedesk privacy_subjects` read the same selector."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zonedesk.core.exports import table_response
from zonedesk.privacy.subjects import COLUMNS, SubjectsError, marked_models, subjects_list


class SubjectsForm(forms.Form):
    model = forms.ChoiceField(label=_("Table"))
    since = forms.DateField(
        label=pgettext_lazy("start of a period", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=pgettext_lazy("end of a period", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [(label, f"{name} ({label})") for label, name in marked_models()]


def privacy_subjects(request: HttpRequest) -> HttpResponse:
    form = SubjectsForm(request.GET or None)
    people = None
    status = 200
    if form.is_bound and form.is_valid():
        cd = form.cleaned_data
        try:
            people = subjects_list(model=cd["model"], since=cd["since"], until=cd["until"], by=request.user)
        except SubjectsError as exc:
            form.add_error(None, str(exc))
            status = 400
        else:
            if request.GET.get("export") == "csv":
                return table_response(
                    fmt="csv",
                    name="people-" + cd["model"].replace(".", "-"),
                    columns=COLUMNS,
                    rows=[p.row() for p in people],
                    title=str(_("People whose data the table holds")),
                )
    elif form.is_bound:
        status = 400
    return render(request, "privacy/subjects.html", {"form": form, "people": people}, status=status)
