"""Uploaded files checked by what their bytes are, before anything stores or reads them.

- `detect` names the kind of a stream (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, UTF-8 text) from its
  magic bytes (found by `puremagic`) and then its structure: PDF/PNG/JPEG headers, the manifest
  of a ZIP-based office document (no macros, no encryption), UTF-8 all through for text, never
  a web page. Anything else is refused (`Refused`, with a reason for the user).
- `check_upload` runs every check on one upload (size limit, empty, kind, extension that agrees
  with the content) and gives its SHA-256: petition attachments and planning-decision
  documents use it.
- `zip_problem` checks a ZIP's directory (entry count, unsafe paths, links, encryption, "zip
  bombs") before anything in it is read: office documents here, and the zipped Shapefiles of
  plan imports (`planning.imports`).
- `clean_name` makes a file name safe to show and to put in a Content-Disposition header.

Why `puremagic`: pure Python, no libmagic to install (the platform runs on closed networks
from a plain `pip install`), MIT, maintained (releases every few months), and it reads only the
head and the tail of a stream, never the whole file. Its answers are only the first step: the
structure is checked here.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import stat
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

import puremagic
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.core.errors import ServiceError

MAX_NAME = 255


@dataclass(frozen=True)
class ZipLimits:
    """Limits on a ZIP archive before anything in it is read: entries, bytes unpacked (as
    declared) and the unpacked/packed ratio, per entry and for the whole archive, once an entry
    (or the archive) unpacks to more than `grace` bytes."""

    entries: int
    unpacked: int
    ratio: int = 100
    grace: int = 100 * 1024


# DOCX, XLSX, ODT, ODS containers; ZIP_MAX_MANIFEST bounds [Content_Types].xml or META-INF/manifest.xml
DOCUMENT_ZIP = ZipLimits(entries=2_000, unpacked=100 * 1024 * 1024)
ZIP_MAX_MANIFEST = 1024 * 1024

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


# A web page's tags anywhere in a text file, not only at its start (a page hidden after the first
# kilobytes). A browser never runs a stored file (downloads carry nosniff, attachment and a
# sandboxing policy: the second layer); this keeps such a file from being stored at all.
_MARKUP_ANYWHERE = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|iframe|frame|object|embed|meta|link|style|form|base|\?xml)[\s>/]",
    re.IGNORECASE,
)
_TAG_LENGTH = 16


class Refused(Exception):
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


def extension(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f".{ext.lower()}" if dot and stem else ""


# --- what a file is -----------------------------------------------------------------------


def detect(stream: IO[bytes], *, zip_limits: ZipLimits = DOCUMENT_ZIP) -> Kind:
    """The kind of the file from its bytes, or `Refused`. The stream is left at its start.
    `zip_limits` bounds an office document's container (large workbooks of an import unpack to
    more than a document attached to a petition)."""
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
        return KINDS[_zip_kind(stream, zip_limits)]
    if head.startswith((b"PK\x05\x06", b"PK\x07\x08")):  # empty or spanned archives
        raise Refused(_("This type of file is not accepted.") + " " + _accepted_types())
    return _text_kind(stream, head, extensions)


def _text_kind(stream: IO[bytes], head: bytes, extensions: set[str]) -> Kind:
    """Plain text: valid UTF-8 all through, without NUL bytes, and not a web page."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    stream.seek(0)
    markup = False
    tail = b""  # the end of the last chunk, so that a tag cut in two by the chunks is still seen
    try:
        while chunk := stream.read(_CHUNK):
            if b"\x00" in chunk:
                raise Refused(_("This type of file is not accepted.") + " " + _accepted_types())
            decoder.decode(chunk)
            markup = markup or bool(_MARKUP_ANYWHERE.search(tail + chunk))
            tail = chunk[-_TAG_LENGTH:]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        raise Refused(
            _("This type of file is not accepted (a text file must be encoded in UTF-8).") + " " + _accepted_types()
        ) from exc
    finally:
        stream.seek(0)
    start = head.removeprefix(codecs.BOM_UTF8).lstrip().lower()
    if extensions & _MARKUP_EXTENSIONS or start.startswith(_MARKUP_STARTS) or markup:
        raise Refused(_("Web pages and markup (HTML, SVG, XML) are not accepted.") + " " + _accepted_types())
    return KINDS["text"]


def unsafe_entry_name(name: str) -> bool:
    parts = re.split(r"[/\\]", name)
    return (
        name.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", name) is not None
        or any(part == ".." for part in parts)
        or any(unicodedata.category(ch) == "Cc" for ch in name)
    )


def zip_problem(infos: list[zipfile.ZipInfo], archive_size: int, limits: ZipLimits) -> str | None:
    """What is wrong with the entries of a ZIP archive, from its directory alone, or None:
    "entries" (too many), "unsafe" (an absolute or ".." path, a control character), "link"
    (a symbolic link), "encrypted", or "bomb" (too much data unpacked, or too much for its size)."""
    if len(infos) > limits.entries:
        return "entries"
    total = 0
    for info in infos:
        if unsafe_entry_name(info.filename):
            return "unsafe"
        if stat.S_ISLNK(info.external_attr >> 16):
            return "link"
        if info.flag_bits & 0x1:
            return "encrypted"
        total += info.file_size
        if info.file_size > limits.grace and info.file_size > limits.ratio * max(info.compress_size, 1):
            return "bomb"
    if total > limits.unpacked or (total > limits.grace and total > limits.ratio * max(archive_size, 1)):
        return "bomb"
    return None


def _zip_kind(stream: IO[bytes], limits: ZipLimits = DOCUMENT_ZIP) -> str:
    """DOCX, XLSX, ODT or ODS, from the inner structure of the ZIP container; refuses zip bombs,
    unsafe entry names, encryption and macros. Reads only the small manifest entries."""
    damaged = _("The document is damaged or is not a real DOCX, XLSX, ODT or ODS file.")
    stream.seek(0, 2)
    archive_size = max(stream.tell(), 1)
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if not infos:
                raise Refused(damaged)
            problem = zip_problem(infos, archive_size, limits)
            if problem == "entries":
                raise Refused(damaged)
            if problem in {"unsafe", "link"}:
                raise Refused(_("The document contains a file with an unsafe path (absolute or with “..”)."))
            if problem == "encrypted":
                raise Refused(_("Encrypted documents are not accepted."))
            if problem == "bomb":
                raise Refused(_bomb())
            names = {info.filename: info for info in infos}
            if any(n.lower().endswith("vbaproject.bin") or n.startswith(("Basic/", "Scripts/")) for n in names):
                raise Refused(_("Documents with macros are not accepted."))
            if "[Content_Types].xml" in names:
                return _ooxml_kind(archive, names, damaged)
            if "mimetype" in names:
                return _odf_kind(archive, names, damaged)
            raise Refused(_("This type of file is not accepted.") + " " + _accepted_types())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError) as exc:
        raise Refused(damaged) from exc
    finally:
        stream.seek(0)


def _bomb() -> str:
    return _("The document unpacks to far more data than its size (a possible “zip bomb”): it is not accepted.")


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, damaged: str) -> bytes:
    if info.file_size > limit:
        raise Refused(damaged)
    with archive.open(info) as member:
        data = member.read(limit + 1)  # never more than declared, never more than the limit
    if len(data) > limit:
        raise Refused(damaged)
    return data


_ATTRIBUTE = re.compile(r"""([A-Za-z_:][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _ooxml_kind(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], damaged: str) -> str:
    raw = _read_small(archive, names["[Content_Types].xml"], ZIP_MAX_MANIFEST, damaged)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused(damaged) from exc
    if "<!DOCTYPE" in text or "<!ENTITY" in text:  # no entity tricks in a manifest
        raise Refused(damaged)
    if "macroEnabled" in text or "vbaProject" in text:
        raise Refused(_("Documents with macros are not accepted."))
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
        raise Refused(damaged)
    return found.pop()


def _odf_kind(archive: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], damaged: str) -> str:
    mimetype = _read_small(archive, names["mimetype"], 200, damaged).strip()
    kind = _ODF_MIMETYPES.get(mimetype)
    if kind is None:
        raise Refused(_("This type of file is not accepted.") + " " + _accepted_types())
    if "content.xml" not in names or "META-INF/manifest.xml" not in names:
        raise Refused(damaged)
    return kind


@dataclass(frozen=True)
class Checked:
    """A file that passed every check, not yet stored."""

    upload: Any
    name: str
    kind: Kind
    size: int
    sha256: str


def check_upload(upload: Any, *, limit: int, kinds: frozenset[str] | None = None, accepted: str = "") -> Checked:
    """Every check on one uploaded file (Django's UploadedFile), or `ServiceError({"file": ...})`:
    missing, empty, larger than `limit` bytes, a content that is not an accepted type (one of
    `kinds`, by default all of `KINDS`; `accepted` says which to the user), or a name whose
    extension does not match the content. Reads the file in chunks."""
    if upload is None:
        raise ServiceError({"file": _("Choose a file to attach.")})
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
    except Refused as exc:
        raise ServiceError({"file": str(exc)}) from exc
    if kinds is not None and kind.code not in kinds:
        raise ServiceError({"file": " ".join(filter(None, [_("This type of file is not accepted."), accepted]))})
    ext = extension(name)
    if ext not in kind.extensions:
        raise ServiceError(
            {
                "file": _(
                    "The content of the file is %(kind)s but its name ends in “%(ext)s”: "
                    "only files whose name ends in %(expected)s can be %(kind)s."
                )
                % {
                    "kind": kind.label,
                    "ext": ext or _("(no extension)"),
                    "expected": ", ".join(sorted(kind.extensions)),
                }
            }
        )
    upload.seek(0)
    return Checked(upload=upload, name=name, kind=kind, size=size, sha256=digest.hexdigest())
