"""Attachments of petitions: checked by their content, size-limited, stored outside the web root.

- `attachment_add` (a service) accepts a file only if what its bytes are (magic bytes, found by
  `puremagic`, then the inner structure for the ZIP-based office formats) is on the allow-list
  and agrees with the extension of its name. Nothing is written when a check fails: no row, no
  file on disk. The stored name is random (`models._attachment_path`); the original name is
  kept, cleaned, for display only.
- `attachment_open` answers the file to the people who may read it and `Http404` to everyone
  else, so that nobody learns that a confidential file exists. Confidential attachments stay
  private even when the answer is published.
- `attachment_list` lists what a person may see of a petition's attachments.

Why `puremagic`: pure Python, no libmagic to install (the platform runs on closed networks
from a plain `pip install`), MIT, maintained (releases every few months), and it reads only the
head and the tail of a stream, never the whole file. Its answers are only the first step: the
structure of PDF/PNG/JPEG headers, ZIP containers and UTF-8 text is checked here.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import puremagic
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.errors import ServiceError
from zonedesk.core.permissions import actor_of
from zonedesk.core.rules import rule_value
from zonedesk.petitions.models import Attachment, Petition, Status
from zonedesk.petitions.workflow import BOARD, LEAD, OWNER, TransitionError, roles_of

MAX_ATTACHMENTS = 10  # per petition
MAX_NAME = 255
CLOSED_STATUSES = frozenset({Status.CLOSED, Status.REJECTED, Status.MERGED})

# ZIP containers (DOCX, XLSX, ODT, ODS): limits against zip bombs and oversized structures.
ZIP_MAX_ENTRIES = 2_000
ZIP_MAX_UNPACKED = 100 * 1024 * 1024  # all entries together, as declared
ZIP_MAX_RATIO = 100  # uncompressed / compressed, per entry and for the whole archive ...
ZIP_RATIO_GRACE = 100 * 1024  # ... once an entry (or the archive) unpacks to more than this
ZIP_MAX_MANIFEST = 1024 * 1024  # [Content_Types].xml or META-INF/manifest.xml read into memory

_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Kind:
    code: str
    label: Any  # a lazy translation for "plain text"
    content_type: str
    extensions: frozenset[str]


KINDS: dict[str, Kind] = {
    k.code: k
    for k in (
        Kind("pdf", "PDF", "application/pdf", frozenset({".pdf"})),
        Kind("png", "PNG", "image/png", frozenset({".png"})),
        Kind("jpeg", "JPEG", "image/jpeg", frozenset({".jpg", ".jpeg"})),
        Kind(
            "docx",
            "DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            frozenset({".docx"}),
        ),
        Kind("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", frozenset({".xlsx"})),
        Kind("odt", "ODT", "application/vnd.oasis.opendocument.text", frozenset({".odt"})),
        Kind("ods", "ODS", "application/vnd.oasis.opendocument.spreadsheet", frozenset({".ods"})),
        Kind("text", gettext_lazy("plain text"), "text/plain", frozenset({".txt"})),
    )
}

# the main part of an Office Open XML document, by its content type in [Content_Types].xml
_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
_ODF_MIMETYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
}
# puremagic's extensions that mean "a web page or markup", refused even as text
_MARKUP_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".xsl", ".js", ".hta"})
_MARKUP_STARTS = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<svg", b"<?xml", b"<iframe", b"<object")


class _Refused(Exception):
    """A check failed; its message goes to the `file` field."""


def _accepted_types() -> str:
    return _("Accepted types: PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS and plain text (UTF-8).")


# --- names --------------------------------------------------------------------------------


def clean_name(name: str | None) -> str:
    """A file name safe to show and to put in a Content-Disposition header: no path parts, no
    control or bidirectional-formatting characters (which could hide a real extension), NFC,
    at most 255 characters with the extension kept."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(
        " " if ch.isspace() else ch
        for ch in name
        if ch.isspace() or unicodedata.category(ch) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        return "attachment"
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        if dot and stem and len(ext) <= 16:
            name = f"{stem[: MAX_NAME - len(ext) - 1].rstrip()}.{ext}"
        else:
            name = name[:MAX_NAME]
    return name


def _extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem else ""


# --- what a file is -----------------------------------------------------------------------


def detect(stream: IO[bytes]) -> Kind:
    """The kind of the file from its bytes, or `_Refused`. The stream is left at its start."""
    stream.seek(0)
    head = stream.read(8192)
    stream.seek(0)
    try:
        guesses = puremagic.magic_stream(stream)
    except (puremagic.PureError, ValueError):
        guesses = []
    finally:
        stream.seek(0)
    extensions = {g.extension.lower() for g in guesses}

    if ".pdf" in extensions and head.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if ".png" in extensions and head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return KINDS["png"]
    if extensions & {".jpg", ".jpeg", ".jfif", ".jpe"} and head.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if head.startswith(b"PK\x03\x04"):
        return KINDS[_zip_kind(stream)]
    if head.startswith((b"PK\x05\x06", b"PK\x07\x08")):  # empty or spanned archives
        raise _Refused(_("This type of file is not accepted.") + " " + _accepted_types())
    return _text_kind(stream, head, extensions)


def _text_kind(stream: IO[bytes], head: bytes, extensions: set[str]) -> Kind:
    """Plain text: valid UTF-8 all through, without NUL bytes, and not a web page."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    try:
        while chunk := stream.read(_CHUNK):
            if b"\x00" in chunk:
                raise _Refused(_("This type of file is not accepted.") + " " + _accepted_types())
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise _Refused(
            _("This type of file is not accepted (a text file must be encoded in UTF-8).") + " " + _accepted_types()
        ) from exc
    finally:
        stream.seek(0)
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if extensions & _MARKUP_EXTENSIONS or start.startswith(_MARKUP_STARTS):
        raise _Refused(_("Web pages and markup (HTML, SVG, XML) are not accepted.") + " " + _accepted_types())
    return KINDS["text"]


def _unsafe_entry_name(name: str) -> bool:
    parts = re.split(r"[/\\]", name)
    return (
        name.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(part == ".." for part in parts)
        or any(unicodedata.category(ch) == "Cc" for ch in name)
    )


def _zip_kind(stream: IO[bytes]) -> str:
    """DOCX, XLSX, ODT or ODS, from the inner structure of the ZIP container; refuses zip bombs,
    unsafe entry names, encryption and macros. Reads only the small manifest entries."""
    damaged = _("The document is damaged or is not a real DOCX, XLSX, ODT or ODS file.")
    stream.seek(0, 2)
    archive_size = max(stream.tell(), 1)
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if not infos or len(infos) > ZIP_MAX_ENTRIES:
                raise _Refused(damaged)
            total = 0
            for info in infos:
                if _unsafe_entry_name(info.filename):
                    raise _Refused(_("The document contains a file with an unsafe path (absolute or with “..”)."))
                if info.flag_bits & 0x1:
                    raise _Refused(_("Encrypted documents are not accepted."))
                total += info.file_size
                if info.file_size > ZIP_RATIO_GRACE and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
                    raise _Refused(_bomb())
            if total > ZIP_MAX_UNPACKED or (total > ZIP_RATIO_GRACE and total > ZIP_MAX_RATIO * archive_size):
                raise _Refused(_bomb())
            names = {info.filename: info for info in infos}
            if any(n.lower().endswith("vbaproject.bin") or n.startswith(("Basic/", "Scripts/")) for n in names):
                raise _Refused(_("Documents with macros are not accepted."))
            if "[Content_Types].xml" in names:
                return _ooxml_kind(archive, names, damaged)
            if "mimetype" in names:
                return _odf_kind(archive, names, damaged)
            raise _Refused(_("This type of file is not accepted.") + " " + _accepted_types())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise _Refused(damaged) from exc
    finally:
        stream.seek(0)


def _bomb() -> str:
    return _("The document unpacks to far more data than its size (a possible “zip bomb”): it is not accepted.")


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, damaged: str) -> bytes:
    if info.file_size > limit:
        raise _Refused(damaged)
    with archive.open(info) as member:
        data = member.read(limit + 1)  # never more than declared, never more than the limit
    if len(data) > limit:
        raise _Refused(damaged)
    return data


_ATTRIBUTE = re.compile(r"""([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _ooxml_kind(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], damaged: str) -> str:
    raw = _read_small(archive, names["[Content_Types].xml"], ZIP_MAX_MANIFEST, damaged)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _Refused(damaged) from exc
    if "<!DOCTYPE" in text or "<!ENTITY" in text:  # no entity tricks in a manifest
        raise _Refused(damaged)
    if "macroEnabled" in text or "vbaProject" in text:
        raise _Refused(_("Documents with macros are not accepted."))
    found: set[str] = set()
    for tag in re.findall(r"<(?:\w+:)?Override\b[^>]*>", text):
        attrs = {
            m.group(1).split(":")[-1]: m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTRIBUTE.finditer(tag)
        }
        kind = _OOXML_MAIN.get((attrs.get("ContentType") or "").strip())
        part = (attrs.get("PartName") or "").lstrip("/")
        if kind and part in names:
            found.add(kind)
    if len(found) != 1 or "_rels/.rels" not in names:
        raise _Refused(damaged)
    return found.pop()


def _odf_kind(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], damaged: str) -> str:
    mimetype = _read_small(archive, names["mimetype"], 200, damaged).strip()
    kind = _ODF_MIMETYPES.get(mimetype)
    if kind is None:
        raise _Refused(_("This type of file is not accepted.") + " " + _accepted_types())
    if "content.xml" not in names or "META-INF/manifest.xml" not in names:
        raise _Refused(damaged)
    return kind


# --- the service --------------------------------------------------------------------------


def may_attach(petition: Petition, user: Any) -> bool:
    """The owner enterprise's users, the board (board officers and admins), and officers of the
    lead or a coordinating agency."""
    if user is None:
        return False
    if roles_of(petition, user) & {BOARD, LEAD, OWNER}:
        return True
    actor = actor_of(user)
    return (
        actor.role == "agency"
        and actor.agency_id is not None
        and petition.coordinating_agencies.filter(pk=actor.agency_id).exists()
    )


@dataclass(frozen=True)
class Checked:
    """A file that passed every check, not yet stored."""

    upload: Any
    name: str
    kind: Kind
    size: int
    sha256: str


def check_file(upload: Any) -> Checked:
    """Every check on one uploaded file (Django's UploadedFile), or `ServiceError({"file": ...})`:
    missing, empty, larger than the rule `petition.attachment_max_bytes`, a content that is not an
    accepted type, or a name whose extension does not match the content. Reads the file in chunks."""
    if upload is None:
        raise ServiceError({"file": _("Choose a file to attach.")})
    limit = int(rule_value("petition.attachment_max_bytes"))
    too_large = _("The file is too large: at most %(limit)s.") % {"limit": filesizeformat(limit)}
    if upload.size is not None and upload.size > limit:
        raise ServiceError({"file": too_large})
    name = clean_name(getattr(upload, "name", ""))

    digest, size = hashlib.sha256(), 0
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise ServiceError({"file": too_large})
        digest.update(chunk)
    if size == 0:
        raise ServiceError({"file": _("The file is empty.")})

    stream = upload.file if hasattr(upload, "file") else upload
    try:
        kind = detect(stream)
    except _Refused as exc:
        raise ServiceError({"file": str(exc)}) from exc
    extension = _extension(name)
    if extension not in kind.extensions:
        raise ServiceError(
            {
                "file": _(
                    "The content of the file is %(kind)s but its name ends in “%(ext)s”: "
                    "only files whose name ends in %(expected)s can be %(kind)s."
                )
                % {
                    "kind": kind.label,
                    "ext": extension or _("(no extension)"),
                    "expected": ", ".join(sorted(kind.extensions)),
                }
            }
        )
    upload.seek(0)
    return Checked(upload=upload, name=name, kind=kind, size=size, sha256=digest.hexdigest())


def check_files(uploads: Any, *, field: str = "attachments") -> list[Checked]:
    """The files sent with a new petition, all checked before anything is written; the first
    refusal is `ServiceError({field: "<name>: <reason>"})`."""
    uploads = [u for u in (uploads or ()) if u is not None]
    if len(uploads) > MAX_ATTACHMENTS:
        raise ServiceError({field: _("A petition can have at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}})
    checked = []
    for upload in uploads:
        try:
            checked.append(check_file(upload))
        except ServiceError as exc:
            reason = "; ".join(exc.message_dict.get("file", exc.messages))
            raise ServiceError(
                {field: _("%(name)s: %(reason)s") % {"name": clean_name(getattr(upload, "name", "")), "reason": reason}}
            ) from exc
    return checked


def store(*, petition: Petition, by: Any, checked: Checked, confidential: bool, at: Any = None) -> Attachment:
    """Write a checked file under a random name and record it (no permission check: callers do).
    Runs inside the caller's transaction; if recording fails after the file was written, the file
    is removed. A caller that stores several files removes the earlier ones if a later one fails."""
    attachment = Attachment(
        petition=petition,
        original_name=checked.name,
        content_type=checked.kind.content_type,
        size=checked.size,
        sha256=checked.sha256,
        confidential=confidential,
        uploaded_by=by,
    )
    stored = ""
    try:
        checked.upload.seek(0)
        attachment.file.save(checked.name, checked.upload, save=False)  # random name from upload_to
        stored = attachment.file.name
        attachment.save()
        from zonedesk.petitions.services import _event

        _event(
            petition,
            "attach",
            by,
            at=at,
            name=checked.name,
            attachment=attachment.pk,
            confidential=confidential,
            size=checked.size,
        )
    except BaseException:
        if stored:
            attachment.file.storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_add(*, petition: Petition, by: Any, upload: Any, confidential: bool = True) -> Attachment:
    """Attach a file to a petition. `upload` is a Django UploadedFile. Refused with
    `ServiceError({"file": ...})` (nothing written, no file on disk) when the file is missing,
    empty, too large, the petition has its maximum of attachments, the content is not an
    accepted type, or the name's extension does not match the content."""
    petition = Petition.objects.select_for_update().get(pk=petition.pk)
    if not may_attach(petition, by):
        raise PermissionDenied(_("You may not attach files to this petition."))
    if petition.status in CLOSED_STATUSES:
        raise TransitionError(
            _("Files cannot be attached to a petition that is “%(status)s”.")
            % {"status": Status(petition.status).label}
        )
    if not isinstance(confidential, bool):
        raise ServiceError({"confidential": _("Say whether the file is confidential.")})
    if upload is None:
        raise ServiceError({"file": _("Choose a file to attach.")})
    if petition.attachments.count() >= MAX_ATTACHMENTS:
        raise ServiceError({"file": _("A petition can have at most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}})
    return store(petition=petition, by=by, checked=check_file(upload), confidential=confidential)


# --- reading ------------------------------------------------------------------------------


def _sees_petition(petition_id: int, user: Any) -> bool:
    """The board side, the owner enterprise, the lead and coordinating agencies: the same rule as
    the petition itself (`Petition.objects.restrict`)."""
    return Petition.objects.restrict(user).filter(pk=petition_id).exists()


def _public(petition_id: int) -> bool:
    return Petition.objects.restrict(None, "public").filter(pk=petition_id).exists()


def may_read(attachment: Attachment, user: Any) -> bool:
    if _sees_petition(attachment.petition_id, user):
        return True
    return not attachment.confidential and _public(attachment.petition_id)


def attachment_open(*, attachment: Attachment, user: Any) -> tuple[IO[bytes], str, str]:
    """(file object, content type, download name) for a person who may read it; Http404 for
    everyone else, so that nobody learns that the file exists."""
    if not may_read(attachment, user):
        raise Http404
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    content_type = attachment.content_type
    if content_type == "text/plain":
        content_type = "text/plain; charset=utf-8"
    return handle, content_type, clean_name(attachment.original_name)


def attachment_list(*, petition: Petition, user: Any) -> QuerySet[Attachment]:
    """The attachments of a petition that this person may read (the public: the non-confidential
    ones of a published petition)."""
    qs = Attachment.objects.filter(petition=petition).order_by("uploaded_at", "id")
    if _sees_petition(petition.pk, user):
        return qs
    if _public(petition.pk):
        return qs.filter(confidential=False)
    return qs.none()


__all__ = [
    "MAX_ATTACHMENTS",
    "Checked",
    "attachment_add",
    "check_file",
    "check_files",
    "store",
    "attachment_list",
    "attachment_open",
    "clean_name",
    "detect",
]
