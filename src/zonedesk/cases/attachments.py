"""Files of a case, checked by their content: what a file's bytes are must be on the allow-list
and agree with its name's extension (`core.files.check_upload`), under a size limit. All the
files sent together are checked before anything is written; a stored file gets a random name
(the model's `upload_to`) and is removed again when what recorded it fails, so that a refusal
leaves no row and no file on disk. Reading answers the file or `Http404` alike, so that nobody
learns that a file they may not read exists.

A case type keeps its own attachment model (a `FileField` named `file`, and the fields it
needs) and its own rules of who may attach and read; these are the parts that do not change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import IO, Any, TypeVar

from django.http import Http404
from django.utils.translation import gettext as _

from zonedesk.core.errors import ServiceError
from zonedesk.core.files import Checked, check_upload, clean_name

T = TypeVar("T")  # a checked file, or what a case type pairs with it (its part, say)


def check_files(
    uploads: Iterable[Any] | None,
    *,
    limit: int,
    max_count: int,
    too_many: str,
    field: str = "attachments",
) -> list[Checked]:
    """Every file sent at once, checked before anything is written (at most `max_count`, each at
    most `limit` bytes); the first refusal is `ServiceError({field: "<name>: <reason>"})`.
    `too_many` is the message when there are more than `max_count` (with `%(n)s`)."""
    files = [u for u in (uploads or ()) if u is not None]
    if len(files) > max_count:
        raise ServiceError({field: too_many % {"n": max_count}})
    checked = []
    for upload in files:
        try:
            checked.append(check_upload(upload, limit=limit))
        except ServiceError as exc:
            reason = "; ".join(exc.message_dict.get("file", exc.messages))
            raise ServiceError(
                {field: _("%(name)s: %(reason)s") % {"name": clean_name(getattr(upload, "name", "")), "reason": reason}}
            ) from exc
    return checked


def store(attachment: Any, checked: Checked, *, then: Callable[[Any], Any] | None = None) -> Any:
    """Write a checked file into `attachment.file` (an unsaved row of the case type's model, its
    other fields set) under a random name, save the row, then call `then(attachment)` (the
    timeline step). In the caller's transaction; when anything fails after the file was written,
    the file is removed and the error goes on."""
    stored = ""
    try:
        checked.upload.seek(0)
        attachment.file.save(checked.name, checked.upload, save=False)  # random name from upload_to
        stored = attachment.file.name
        attachment.save()
        if then is not None:
            then(attachment)
    except BaseException:
        if stored:
            attachment.file.storage.delete(stored)
        raise
    return attachment


def store_all(make: Callable[[T], Any], checked: Iterable[T]) -> list[Any]:
    """Store several checked files (`make(one)` stores one and returns its row); when one fails,
    the files stored before it are removed too (the transaction rolls back their rows)."""
    written: list[Any] = []
    try:
        for one in checked:
            written.append(make(one))
    except BaseException:
        for attachment in written:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return written


def open_file(attachment: Any, *, name_field: str = "original_name") -> tuple[IO[bytes], str, str]:
    """(file object, content type, download name) of a stored attachment; `Http404` when its file
    is gone. The caller has checked that the person may read it (and answers 404 otherwise)."""
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    content_type = attachment.content_type
    if content_type == "text/plain":
        content_type = "text/plain; charset=utf-8"
    return handle, content_type, clean_name(getattr(attachment, name_field))


__all__ = ["Checked", "check_files", "open_file", "store", "store_all"]
