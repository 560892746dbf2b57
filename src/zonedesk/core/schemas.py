"""Schemas shared by the apps' APIs: the one error shape (see zonedesk/api.py)."""

from ninja import Schema


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] | None = None


# The error answers of a write endpoint, for the OpenAPI document.
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
