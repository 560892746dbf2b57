"""`zonedesk backup` and `zonedesk restore`: a consistent snapshot of the database and the uploaded
files in one archive, and its restoration into an empty installation.

The archive (`.tar.gz`, written under a temporary name and renamed when complete, readable by its
owner only: it holds personal data) holds

* `manifest.json`: the format, when and from which database engine it was made, the migrations the
  database had (a restore needs the same ones), and for every table its model, columns, row count
  and the SHA-256 of its rows' file, for every uploaded file its size and SHA-256;
* `db/<table>.jsonl`: the table's rows in primary-key order, one JSON array per row (the columns of
  the manifest; dates ISO 8601, decimals as text, binary data in base64);
* `files/<path>`: `MEDIA_ROOT` as it was.

The dump is logical (through the models' fields, not the engine's own format), so a backup of the
embedded SQLite restores into PostgreSQL and back. Every table is read inside one transaction
that sees one moment of the database: PostgreSQL's `REPEATABLE READ READ ONLY`, SQLite's read
transaction of WAL mode. Neither stops anyone from writing meanwhile.

A restore checks everything before it changes anything (format, migrations, every checksum, an
empty target: no accounts, no audit entries, no uploaded files), then writes every table in one
transaction, with the files moved into place just before it commits: either the whole snapshot
is there afterwards, or nothing changed. Rows are written as they were (the primary keys, the
timestamps), around the services on purpose: the audit trail is restored with them and gains no
entry for the restore itself.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import tarfile
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

FORMAT = "zonedesk-backup"
VERSION = 1
BATCH = 2000  # rows read or written at a time

Progress = Callable[[str, int, int], None]  # (what, done, total)

# What `zonedesk restore` runs after a restore (unless --no-retention), each given the command's
# `write`: the apps register theirs (privacy: the retention rules, on what expired since the backup).
AFTER_RESTORE: list[Callable[[Callable[[str], None]], None]] = []


def register_after_restore(step: Callable[[Callable[[str], None]], None]) -> None:
    if step not in AFTER_RESTORE:
        AFTER_RESTORE.append(step)


class BackupError(Exception):
    """A backup that cannot be made or restored, with the reason for the person who asked."""


@dataclass
class Summary:
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    archive_bytes: int = 0
    per_table: dict[str, int] = field(default_factory=dict)


# --- what is backed up ---------------------------------------------------------------------------


def backed_up_models() -> list[type[models.Model]]:
    """Every table of the project's models (many-to-many tables included), each once, by name."""
    seen: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.proxy or not meta.managed or meta.db_table in seen:
            continue
        seen[meta.db_table] = model
    return [seen[name] for name in sorted(seen)]


def _columns(model: type[models.Model]) -> list[models.Field]:
    return list(model._meta.local_concrete_fields)


def _applied_migrations(using: str) -> list[list[str]]:
    return sorted([app, name] for app, name in MigrationRecorder(connections[using]).applied_migrations())


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.timedelta):
        return duration_iso_string(value)
    if isinstance(value, list | dict):
        return value  # a JSON field's value, already JSON
    return str(value)  # a FieldFile's name, and the like


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT (links are not followed), by its path from there."""
    if not root.is_dir():
        return []
    out = []
    for folder, dirs, names in os.walk(root):
        dirs.sort()
        for name in sorted(names):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                out.append((path.relative_to(root).as_posix(), path))
    return out


class _Snapshot:
    """One read transaction that sees one moment of the database, on either engine."""

    def __init__(self, using: str) -> None:
        self.connection = connections[using]

    def __enter__(self):
        conn = self.connection
        if not conn.get_autocommit():
            raise BackupError(_("A backup cannot run inside another transaction."))
        conn.ensure_connection()
        if conn.vendor == "postgresql":
            conn.set_autocommit(False)
            with conn.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        else:
            # SQLite in WAL mode: a deferred transaction's first read fixes what it sees, writers go
            # on. (Django's own atomic() would take the write lock: IMMEDIATE in settings.)
            with conn.cursor() as cursor:
                cursor.execute("BEGIN DEFERRED")
                cursor.execute("SELECT count(*) FROM sqlite_master")
        return self

    def __exit__(self, *exc) -> None:
        conn = self.connection
        if conn.vendor == "postgresql":
            conn.rollback()
            conn.set_autocommit(True)
        else:
            with conn.cursor() as cursor:
                cursor.execute("ROLLBACK")


def _rows(model: type[models.Model], using: str) -> Iterator[tuple]:
    names = [f.attname for f in _columns(model)]
    query = model._base_manager.using(using).order_by("pk").values_list(*names)
    return query.iterator(chunk_size=BATCH)


def backup(*, output: Path, using: str = "default", progress: Progress | None = None) -> Summary:
    """Write the snapshot to `output` (replaced only when the new archive is complete)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    summary = Summary()
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix=".zonedesk-backup-", dir=output.parent) as staging_dir:
        staging = Path(staging_dir)
        (staging / "db").mkdir()
        tables: dict[str, Any] = {}
        all_models = backed_up_models()
        with _Snapshot(using):
            migrations = _applied_migrations(using)
            for index, model in enumerate(all_models, 1):
                meta = model._meta
                digest = hashlib.sha256()
                count = 0
                with (staging / "db" / f"{meta.db_table}.jsonl").open("wb") as f:
                    for row in _rows(model, using):
                        line = json.dumps([_encode(v) for v in row], ensure_ascii=False, separators=(",", ":"))
                        data = (line + "\n").encode("utf-8")
                        digest.update(data)
                        f.write(data)
                        count += 1
                tables[meta.db_table] = {
                    "model": meta.label_lower,
                    "columns": [f.attname for f in _columns(model)],
                    "rows": count,
                    "sha256": digest.hexdigest(),
                }
                summary.per_table[meta.db_table] = count
                summary.rows += count
                if progress:
                    progress(_("tables"), index, len(all_models))
            # the files after the rows: a file uploaded meanwhile is an extra one, never a missing one
            media = _media_files(media_root)
        files = {}
        for name, path in media:
            files[name] = {"size": path.stat().st_size, "sha256": _sha256(path)}
            summary.file_bytes += files[name]["size"]
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created": timezone.now().isoformat(),
            "engine": connections[using].vendor,
            "migrations": migrations,
            "tables": tables,
            "files": files,
        }
        part = staging / "archive.tar.gz"
        with tarfile.open(part, "w:gz", compresslevel=6) as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime, info.mode = len(data), int(timezone.now().timestamp()), 0o600
            tar.addfile(info, io.BytesIO(data))
            for table in tables:
                tar.add(staging / "db" / f"{table}.jsonl", arcname=f"db/{table}.jsonl", recursive=False)
            for index, (name, path) in enumerate(media, 1):
                tar.add(path, arcname=f"files/{name}", recursive=False)
                if progress:
                    progress(_("files"), index, len(media))
        part.chmod(0o600)
        os.replace(part, output)
    summary.tables, summary.files = len(tables), len(files)
    summary.archive_bytes = output.stat().st_size
    return summary


# --- restore -------------------------------------------------------------------------------------


def _safe_name(name: str) -> str | None:
    path = PurePosixPath(name)
    if path.is_absolute() or not path.parts or any(p in ("", ".", "..") for p in path.parts):
        return None
    return path.as_posix()


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember("manifest.json")
        manifest = json.load(tar.extractfile(member))  # type: ignore[arg-type]
    except (KeyError, ValueError, tarfile.TarError) as exc:
        raise BackupError(_("This is not a ZoneDesk backup (it has no readable manifest).")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("This is not a ZoneDesk backup."))
    if manifest.get("version") != VERSION:
        raise BackupError(
            _("This backup has format version %(found)s; this ZoneDesk reads version %(known)s.")
            % {"found": manifest.get("version"), "known": VERSION}
        )
    return manifest


def _check_target(using: str, manifest: dict, media_root: Path) -> dict[str, type[models.Model]]:
    """The target has the backup's migrations, knows every table, and holds nothing yet."""
    ours = _applied_migrations(using)
    theirs = sorted(list(m) for m in manifest["migrations"])
    if ours != theirs:
        missing = [f"{a}.{n}" for a, n in theirs if [a, n] not in ours]
        extra = [f"{a}.{n}" for a, n in ours if [a, n] not in theirs]
        raise BackupError(
            _(
                "The backup was made at another state of the database schema (missing here: %(missing)s;"
                " not in the backup: %(extra)s). Restore it with the ZoneDesk version that made it."
            )
            % {"missing": ", ".join(missing[:5]) or "-", "extra": ", ".join(extra[:5]) or "-"}
        )
    by_table = {m._meta.db_table: m for m in backed_up_models()}
    unknown = sorted(set(manifest["tables"]) - set(by_table))
    if unknown:
        raise BackupError(_("The backup has tables this installation does not know: %s") % ", ".join(unknown))
    for table, entry in manifest["tables"].items():
        if entry["columns"] != [f.attname for f in _columns(by_table[table])]:
            raise BackupError(_("The columns of table %s differ from this installation's.") % table)
    from auditlog.models import LogEntry

    from zonedesk.core.models import User

    # `migrate` writes reference data (and its audit entries, without a person): that is empty.
    if User.objects.using(using).exists() or LogEntry.objects.using(using).filter(actor__isnull=False).exists():
        raise BackupError(
            _(
                "This installation is not empty (it has accounts). Restore only into a new database"
                " after `zonedesk migrate`: a restore never mixes two installations."
            )
        )
    if _media_files(media_root):
        raise BackupError(_("The uploads folder %s is not empty.") % media_root)
    return by_table


def _decoders(model: type[models.Model], connection) -> list[Callable[[Any], Any]]:
    out = []
    for f in _columns(model):
        if isinstance(f, models.JSONField):
            out.append(lambda v, f=f: f.get_db_prep_save(v, connection))
        elif isinstance(f, models.BinaryField):
            out.append(lambda v, f=f: None if v is None else f.get_db_prep_save(base64.b64decode(v), connection))
        else:
            out.append(lambda v, f=f: f.get_db_prep_save(f.to_python(v), connection))
    return out


def _insert_table(model, entry: dict, lines: Iterator[bytes], using: str, done: Callable[[int], None]) -> None:
    connection = connections[using]
    qn = connection.ops.quote_name
    fields = _columns(model)
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - our own names
    decode = _decoders(model, connection)
    batch: list[list[Any]] = []
    with connection.cursor() as cursor:
        for line in lines:
            values = json.loads(line)
            batch.append([d(v) for d, v in zip(decode, values, strict=True)])
            if len(batch) >= BATCH:
                cursor.executemany(sql, batch)
                done(len(batch))
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            done(len(batch))


def _verified_lines(tar: tarfile.TarFile, table: str, entry: dict) -> Iterator[bytes]:
    """The rows' lines of a table, checked against the manifest once all are read."""
    try:
        f = tar.extractfile(f"db/{table}.jsonl")
    except KeyError:
        f = None
    if f is None:
        raise BackupError(_("The backup is damaged: the rows of %s are missing.") % table)
    digest = hashlib.sha256()
    count = 0
    for line in f:
        digest.update(line)
        count += 1
        yield line
    if digest.hexdigest() != entry["sha256"] or count != entry["rows"]:
        raise BackupError(_("The backup is damaged: the rows of %s do not match their checksum.") % table)


def restore(*, archive: Path, using: str = "default", progress: Progress | None = None) -> Summary:
    """Restore `archive` into this (empty) installation: all of it, or, on any error, nothing."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(_("No such file: %s") % archive)
    media_root = Path(settings.MEDIA_ROOT)
    summary = Summary()
    try:
        tar = tarfile.open(archive, "r:*")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(_("This is not a ZoneDesk backup (not a readable archive).")) from exc
    with tar:
        manifest = _read_manifest(tar)
        by_table = _check_target(using, manifest, media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix=".zonedesk-restore-", dir=media_root.parent) as staging_dir:
            staging = Path(staging_dir)
            _stage_files(tar, manifest, staging, summary, progress)
            moved: list[Path] = []
            try:
                with transaction.atomic(using=using):
                    _write_tables(tar, manifest, by_table, using, summary, progress)
                    for name in manifest["files"]:
                        target = media_root / name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        os.replace(staging / name, target)
                        moved.append(target)
            except BaseException:
                for path in moved:
                    path.unlink(missing_ok=True)
                raise
    for alias in settings.CACHES:
        caches[alias].clear()  # cached figures and pages were of the installation before
    summary.tables = len(manifest["tables"])
    return summary


def _stage_files(tar: tarfile.TarFile, manifest: dict, staging: Path, summary: Summary, progress) -> None:
    """Every uploaded file out of the archive into `staging`, each checked against its checksum;
    members the manifest does not name, or with unsafe names, are refused."""
    files = manifest["files"]
    for name in files:
        if _safe_name(name) != name:
            raise BackupError(_("The backup names an unsafe file path: %s") % name)
    expected = {"manifest.json"} | {f"db/{t}.jsonl" for t in manifest["tables"]} | {f"files/{n}" for n in files}
    for member in tar.getmembers():
        if member.name not in expected or not member.isfile():
            raise BackupError(_("The backup holds something it does not list: %s") % member.name)
    present = set(tar.getnames())
    for index, (name, entry) in enumerate(files.items(), 1):
        src = tar.extractfile(f"files/{name}") if f"files/{name}" in present else None
        if src is None:
            raise BackupError(_("The backup is damaged: the file %s is missing.") % name)
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("wb") as out:
            while block := src.read(1 << 20):
                digest.update(block)
                out.write(block)
        if digest.hexdigest() != entry["sha256"]:
            raise BackupError(_("The backup is damaged: the file %s does not match its checksum.") % name)
        summary.files += 1
        summary.file_bytes += entry["size"]
        if progress:
            progress(_("files"), index, len(files))


def _write_tables(tar, manifest: dict, by_table: dict, using: str, summary: Summary, progress) -> None:
    connection = connections[using]
    tables = manifest["tables"]
    total = sum(entry["rows"] for entry in tables.values()) or 1
    written = 0

    def done(n: int) -> None:
        nonlocal written
        written += n
        if progress:
            progress(_("rows"), written, total)

    with connection.cursor() as cursor:
        # what `migrate` put into the new database (content types, permissions, reference data and
        # its audit entries) gives way to the backup's rows, ids and all. PostgreSQL: one TRUNCATE
        # of every table (the audit trail's trigger stops DELETE, not TRUNCATE); SQLite: DELETE.
        # Foreign keys are checked at commit.
        qn = connection.ops.quote_name
        filled = [t for t in by_table if by_table[t]._base_manager.using(using).exists()]
        if filled and connection.vendor == "postgresql":
            cursor.execute("TRUNCATE " + ", ".join(qn(t) for t in sorted(by_table)))
        else:
            for table in filled:
                cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608 - our own names
    for table, entry in tables.items():
        _insert_table(by_table[table], entry, _verified_lines(tar, table, entry), using, done)
        summary.per_table[table] = entry["rows"]
        summary.rows += entry["rows"]
    models_written = [by_table[t] for t in tables]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models_written):
            cursor.execute(sql)
        if connection.vendor == "sqlite":
            problems = cursor.execute("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise BackupError(_("The backup's rows do not fit together (foreign keys): %s") % problems[:3])


def archive_listing(archive: Path) -> dict:
    """The manifest of an archive (for `zonedesk restore --check`), its every checksum verified."""
    with tarfile.open(archive, "r:*") as tar:
        manifest = _read_manifest(tar)
        for table, entry in manifest["tables"].items():
            for _line in _verified_lines(tar, table, entry):
                pass
        with tempfile.TemporaryDirectory() as staging:
            _stage_files(tar, manifest, Path(staging), Summary(), None)
    return manifest
