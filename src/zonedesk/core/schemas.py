"""Schemas shared by the apps' APIs: the one error shape (see zonedesk/api.py), the base of
every write's body, and the `version` a write on an existing record carries."""

from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import ConfigDict

from zonedesk.core.errors import ServiceError


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


# The error answers of a write endpoint, for the OpenAPI document.
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class InputSchema(Schema):
    """The body of a write. A field it does not have is refused (422 naming the field), never
    dropped in silence: a client that believes it set something learns that it did not."""

    model_config = ConfigDict(extra="forbid")


def refuse_unknown_form_fields(request, known) -> None:
    """A multipart write: ninja reads only the form fields it knows and would drop the others in
    silence; an unknown one is refused (422 naming it) as in a JSON body (`InputSchema`)."""
    unknown = sorted(set(request.POST) - set(known) - {"csrfmiddlewaretoken"})
    if unknown:
        raise ServiceError({f: [_("This field is not accepted here: nothing was written.")] for f in unknown})


def version_field(record: str, read_in: str = "its GET answers it") -> Any:
    """The `version` of a write that changes an existing record: the one its writer read (in the
    record's GET). Required: without it a write cannot tell whether it would overwrite a change
    it has not seen (422); a version older than the record's answers 409 and writes nothing."""
    return Field(
        ge=1,
        description=(
            f"The `version` of the {record} you read ({read_in}). Required; if the {record} changed since, "
            "the answer is 409 and nothing is written: read it again."
        ),
    )
