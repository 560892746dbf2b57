"""Step 1 of a plan import, **open**: the uploaded file is checked before GDAL reads it: its
size, that its content is what its name says, and for a ZIP its entries (no absolute or `..`
paths, no links, no encryption, no "zip bomb", one dataset). A ZIP is unpacked, by us and with
limits, into a temporary folder that is removed afterwards (`opened`)."""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO

from django.utils.translation import gettext as _

from zonedesk.core.errors import ServiceError
from zonedesk.core.files import ZipLimits, zip_problem

MAX_FILE_BYTES = 50 * 1024 * 1024  # an uploaded file, ZIP or not
PLAN_ZIP = ZipLimits(entries=200, unpacked=300 * 1024 * 1024, ratio=100, grace=1024 * 1024)

FORMATS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".zip": "ZIP", ".gpkg": "GeoPackage", ".dxf": "DXF"}
_DATASETS = {".shp": "Shapefile", ".gpkg": "GeoPackage", ".geojson": "GeoJSON", ".json": "GeoJSON", ".dxf": "DXF"}
_SHAPEFILE_PARTS = {".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".shp.xml", ".qmd"}


def extension(name: str) -> str:
    name = (name or "").strip().lower()
    return name[name.rfind(".") :] if "." in name else ""


def accepted_formats() -> str:
    return _("Send a GeoJSON file, a ZIP with a Shapefile, a GeoPackage (.gpkg) or a DXF drawing.")


def check_head(name: str, size: int | None, head: bytes) -> str:
    """The format of an upload from its name, its size and its first bytes, or `ServiceError`
    ({"file": reason}) before anything reads it further."""
    ext = extension(name)
    if ext not in FORMATS:
        raise ServiceError({"file": _("This type of file is not accepted.") + " " + accepted_formats()})
    if size is not None and size > MAX_FILE_BYTES:
        raise ServiceError(
            {"file": _("The file is too large: at most %(n)s MB.") % {"n": MAX_FILE_BYTES // (1024 * 1024)}}
        )
    if not head or size == 0:
        raise ServiceError({"file": _("The file is empty.")})
    fmt = FORMATS[ext]
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    ok = {
        "ZIP": head.startswith(b"PK\x03\x04"),
        "GeoPackage": head.startswith(b"SQLite format 3\x00"),
        "GeoJSON": text.startswith(b"{"),
        # an ASCII DXF opens with group code 0 (SECTION) or 999 (a comment)
        "DXF": head.startswith(b"AutoCAD Binary DXF") or re.match(rb"(0|999)\s*\r?\n", text) is not None,
    }[fmt]
    if not ok:
        raise ServiceError(
            {"file": _("The content of the file is not %(format)s, as its name says.") % {"format": fmt}}
        )
    return fmt


def _zip_refusal(problem: str) -> str:
    """The reason, for the officer, of what `core.files.zip_problem` found in a ZIP."""
    return {
        "entries": _("The ZIP file has too many files (at most %(n)s).") % {"n": PLAN_ZIP.entries},
        "unsafe": _("The ZIP file contains a file with an unsafe path (absolute or with “..”)."),
        "link": _("The ZIP file contains a link: it is not accepted."),
        "encrypted": _("Encrypted ZIP files are not accepted."),
    }.get(problem, _bomb())


def _bomb() -> str:
    return _("The ZIP file unpacks to far more data than its size (a possible “zip bomb”): it is not accepted.")


def _zip_dataset(archive_path: Path, into: Path) -> Path:
    """Check a ZIP and unpack its one dataset (a Shapefile with its companion files, a GeoPackage,
    a GeoJSON or a DXF) into a folder; entries of other types are skipped."""
    damaged = _("The ZIP file is damaged.")
    try:
        with zipfile.ZipFile(archive_path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
            problem = zip_problem(infos, archive_path.stat().st_size, PLAN_ZIP)
            if problem:
                raise ServiceError({"file": _zip_refusal(problem)})
            wanted = [
                i
                for i in infos
                if not PurePosixPath(i.filename.replace("\\", "/")).name.startswith(".")
                and "__MACOSX" not in i.filename
            ]
            datasets = [i for i in wanted if extension(i.filename) in _DATASETS]
            if len(datasets) != 1:
                raise ServiceError(
                    {
                        "file": _(
                            "The ZIP file must contain exactly one dataset (a Shapefile, a GeoPackage, a GeoJSON or a DXF); it has %(n)s."
                        )
                        % {"n": len(datasets)}
                    }
                )
            main = datasets[0]
            main_path = PurePosixPath(main.filename.replace("\\", "/"))
            stem = main_path.name[: -len(extension(main_path.name))]
            members = [main]
            if extension(main.filename) == ".shp":
                for i in wanted:
                    p = PurePosixPath(i.filename.replace("\\", "/"))
                    if p.parent == main_path.parent and p.name.lower().startswith(stem.lower() + "."):
                        if i is not main and p.name.lower()[len(stem) :] in _SHAPEFILE_PARTS:
                            members.append(i)
                if not any(extension(i.filename) == ".dbf" for i in members) or not any(
                    extension(i.filename) == ".shx" for i in members
                ):
                    raise ServiceError(
                        {
                            "file": _(
                                "The Shapefile in the ZIP file is incomplete: it needs its .shp, .shx and .dbf files."
                            )
                        }
                    )
            written = 0
            for i in members:
                # flat, our own names: nothing is written outside the folder whatever the entry says
                suffix = PurePosixPath(i.filename.replace("\\", "/")).name[len(stem) :].lower()
                target = into / f"dataset{suffix}"
                with archive.open(i) as src, open(target, "wb") as dst:
                    while chunk := src.read(1024 * 1024):
                        written += len(chunk)
                        if written > PLAN_ZIP.unpacked:
                            raise ServiceError({"file": _bomb()})
                        dst.write(chunk)
            return into / f"dataset{extension(main.filename)}"
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, ValueError) as exc:
        raise ServiceError({"file": damaged}) from exc


@contextmanager
def opened(source: str | Path | IO[bytes], name: str = "") -> Iterator[tuple[Path, str]]:
    """A checked, local copy of an uploaded file ready for pyogrio: `(path, format)`. A ZIP is
    unpacked. Every temporary file is removed when the block ends, whatever happens in it."""
    name = name or (Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "") or "")
    ext = extension(name)
    folder = Path(tempfile.mkdtemp(prefix="zonedesk-import-"))
    try:
        copy = folder / f"upload{ext}"
        src = open(source, "rb") if isinstance(source, (str, Path)) else source  # noqa: SIM115
        try:
            if hasattr(src, "seek"):
                src.seek(0)
            head = src.read(64)
            fmt = check_head(name, None, head)
            size = len(head)
            with open(copy, "wb") as dst:
                dst.write(head)
                while chunk := src.read(1024 * 1024):
                    size += len(chunk)
                    if size > MAX_FILE_BYTES:
                        check_head(name, size, head)
                    dst.write(chunk)
        finally:
            if isinstance(source, (str, Path)):
                src.close()
        if fmt == "ZIP":
            inner = folder / "unpacked"
            inner.mkdir()
            path = _zip_dataset(copy, inner)
            copy.unlink()
            fmt = _DATASETS[extension(path.name)]
            if fmt == "Shapefile":
                fmt = "Shapefile (ZIP)"
            yield path, fmt
        else:
            yield copy, fmt
    finally:
        shutil.rmtree(folder, ignore_errors=True)
