"""The one-stop desk's documents as PDF files (placeholder until the signing module lands)."""

from __future__ import annotations

from typing import Any

_EMPTY = b"%PDF-1.4\n%%EOF\n"


def attach_signed_result(result: Any) -> None:
    """Make the result's PDF and sign it with the board's key (to be built)."""


def receipt_pdf(dossier: Any) -> bytes:
    return _EMPTY


def slip_pdf(dossier: Any) -> bytes:
    return _EMPTY


def refusal_pdf(dossier: Any) -> bytes:
    return _EMPTY


def supplement_pdf(request: Any) -> bytes:
    return _EMPTY


def apology_pdf(apology: Any) -> bytes:
    return _EMPTY


def verify(data: bytes) -> Any:
    return None


def verify_code(code: str) -> Any:
    return None
