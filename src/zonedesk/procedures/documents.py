"""The one-stop desk's documents as PDF files (placeholder: the helper builds it)."""

from __future__ import annotations

from typing import Any


def attach_signed_result(result: Any) -> None:
    """Make the result's PDF and sign it with the board's key (to be built)."""
