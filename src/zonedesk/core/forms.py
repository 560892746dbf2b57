"""What every app's forms share."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from zonedesk.core.errors import error_dict


class ServiceForm(forms.Form):
    def add_service_error(self, exc: ValidationError) -> None:
        """Show a service's messages beside their fields (unknown fields and "__all__" on top)."""
        for field, messages in error_dict(exc).items():
            self.add_error(field if field in self.fields else None, messages)
