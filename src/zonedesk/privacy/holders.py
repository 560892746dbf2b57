"""The records a person without an account reaches through a private link (a public petitioner's
petition today), as privacy sees them: what it asks of them, not how they are kept. The app that
holds them implements `LinkHolder` and registers it in its AppConfig.ready (`register`); privacy's
pages, reads and writes (`rights_selectors`, `rights_services`) call it, so that privacy imports
no app above it.
"""

from __future__ import annotations

from typing import Any, Protocol

from django.core.exceptions import ImproperlyConfigured


class LinkHolder(Protocol):
    def open(self, pk: int, key: str) -> Any | None:
        """The record a link names, or None: unknown, another key (a newer link), erased."""

    def of_contact(self, contact: str) -> list[Any]:
        """The records (not erased) whose person's e-mail, or phone, is `contact`."""

    def data(self, record: Any) -> dict[str, Any]:
        """Everything kept about the person of `record`, as their page shows it and the JSON
        download gives it."""

    def request_links(self, contact: str) -> int:
        """A new link, e-mailed, for each record of `contact` with an e-mail on file; how many."""

    def correct(self, *, record: Any, name: str, email: str, phone: str, version: int | None = None) -> Any:
        """The person corrects their name and contacts (on the version their page read)."""

    def withdraw(self, *, record: Any) -> Any:
        """The person withdraws their consent: nothing more is e-mailed to them."""

    def erase(self, *, record: Any) -> Any:
        """Erase the person's data, de-identifying the record."""


_holders: list[LinkHolder] = []


def register(holder: LinkHolder) -> None:
    """Register the holder of private-link records (one: registering again replaces it)."""
    _holders[:] = [holder]


def holder() -> LinkHolder:
    if not _holders:
        raise ImproperlyConfigured("No app registered the records of private links (privacy.holders.register).")
    return _holders[0]
