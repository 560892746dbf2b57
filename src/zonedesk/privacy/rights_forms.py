"""The forms of a person's rights pages (views_rights.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.core.forms import ServiceForm


class LinkRequestForm(ServiceForm):
    contact = forms.CharField(
        label=_("The e-mail address or phone number you gave with your petition"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )


class PetitionerCorrectForm(ServiceForm):
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput())
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )


class EraseForm(ServiceForm):
    confirm = forms.BooleanField(
        label=_("I understand: my name, contacts and the files I attached are erased, and this cannot be undone."),
        required=True,
        error_messages={"required": _("Tick the box to confirm the erasure.")},
    )


class AccountCorrectForm(ServiceForm):
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput())


class AccountErasureForm(ServiceForm):
    reason = forms.CharField(
        label=_("What you ask to be erased, and why (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
