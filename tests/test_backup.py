"""Issue 8, data safety: `zonedesk backup` makes a snapshot of the whole demo and its uploaded files;
`zonedesk restore`, run as its own process on a new installation (`zonedesk migrate`, nothing
else), brings back every table row for row and every file byte for byte. A damaged archive and a
non-empty target are refused and change nothing. On PostgreSQL, a write committed while the backup
runs is not in it: the snapshot is one moment of the database."""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import subprocess
import sys
import tarfile
import threading
from pathlib import Path

import pytest
from auditlog.context import disable_auditlog
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, connections
from django.db.utils import ConnectionHandler
from django.test import override_settings
from django.utils import translation
from django.utils.translation import gettext

from zonedesk.core import backup
from zonedesk.core.models import User, Zone
from zonedesk.petitions import services as petitions
from zonedesk.petitions.models import Notification

from .test_attachments import make_pdf, make_png

pytestmark = pytest.mark.demo_writes  # commits two petitions with files into the run's demo


NOT_EMPTY = (
    "This installation is not empty (it has accounts). Restore only into a new database after `zonedesk migrate`:"
    " a restore never mixes two installations."
)


def _vi(message: str) -> str:
    """A message as the commands, in the site's language, print it."""
    with translation.override("vi"):
        return gettext(message)


def _vi_pattern(message: str) -> str:
    """A pattern of the message as the commands print it, any value in its placeholders."""
    return re.sub(r"%(\\\(\w+\\\))?[sd]", ".+", re.escape(_vi(message)))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _sha(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _rows(conn, table: str) -> list[tuple]:
    qn = conn.ops.quote_name
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608 - a table name of the database itself
        count = len(cursor.description)
        cursor.execute(f"SELECT * FROM {qn(table)} ORDER BY {', '.join(str(i + 1) for i in range(count))}")  # noqa: S608
        return cursor.fetchall()


class Target:
    """A new installation beside the test database: its own database and data folder."""

    def __init__(self, tmp_path: Path) -> None:
        self.data_dir = tmp_path / "target"
        self.data_dir.mkdir()
        db = dict(settings.DATABASES["default"])
        if connection.vendor == "postgresql":
            self.name = f"{connection.settings_dict['NAME']}_restore"
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            self.url = f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{self.name}"
        else:
            self.name = str(self.data_dir / "zonedesk.sqlite3")
            self.url = f"sqlite:///{self.name}"
        db.update(NAME=self.name, TEST={})
        self.connection = ConnectionHandler({"default": db})["default"]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        env = {k: v for k, v in os.environ.items() if k not in {"MEDIA_ROOT", "CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
        env |= {"ZONEDESK_DATA_DIR": str(self.data_dir), "DATABASE_URL": self.url}
        return subprocess.run(  # noqa: S603
            [sys.executable, "-m", "zonedesk", *args], env=env, capture_output=True, text=True, timeout=600
        )

    def users(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {User._meta.db_table}")  # noqa: S608
            return cursor.fetchone()[0]

    def close(self) -> None:
        self.connection.close()
        if connection.vendor == "postgresql":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def _tampered(archive: Path, out: Path) -> Path:
    """The same archive with one row of the petitions table changed, its manifest untouched."""
    with tarfile.open(archive) as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "db/petitions_petition.jsonl":
                data = data.replace("Hòa Lạc".encode(), b"Hoa Lac", 1)
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return out


@pytest.fixture
def source(demo_everything, django_db_blocker, tmp_path):
    """The demo of the run with two petitions carrying files, committed, in a MEDIA_ROOT of its own."""
    media = tmp_path / "source-media"
    media.mkdir()
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
        user = User.objects.get(username="fpt")
        for title, files in (
            ("Hồ sơ đất đai kèm công văn", [SimpleUploadedFile("cong-van.pdf", make_pdf(), "application/pdf")]),
            ("Ảnh hiện trạng lô đất", [SimpleUploadedFile("hien-trang.png", make_png(40, 30), "image/png")]),
        ):
            petitions.petition_submit(
                zone=Zone.objects.get(code="HHTP"),
                title=title,
                body="Nội dung kiến nghị có tệp đính kèm.",
                category="land",
                enterprise=user.enterprise,
                by=user,
                attachments=files,
            )
        yield media


def test_a_backup_restores_into_an_empty_installation_row_for_row_and_file_for_file(
    source, django_db_blocker, tmp_path
):
    archive = tmp_path / "backups" / "zonedesk.tar.gz"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(source)):
        call_command("backup", output=str(archive), stdout=io.StringIO(), stderr=io.StringIO())
        tables = sorted(t for t in connection.introspection.table_names() if t != "django_migrations")
        expected_rows = {t: _rows(connection, t) for t in tables}
    assert archive.stat().st_mode & 0o077 == 0, "the archive holds personal data: its owner's only"
    assert len(_files(source)) == 2

    target = Target(tmp_path)
    try:
        migrated = target.run("migrate", "-v0")
        assert migrated.returncode == 0, migrated.stderr

        damaged = target.run("restore", str(_tampered(archive, tmp_path / "damaged.tar.gz")))
        assert damaged.returncode != 0
        assert _vi("The backup is damaged: the rows of %s do not match their checksum.") % "petitions_petition" in (
            damaged.stderr
        )
        assert target.users() == 0 and _files(target.data_dir / "media") == {}, "a refused restore wrote nothing"

        restored = target.run("restore", str(archive), "--no-retention")  # row for row, as they were
        assert restored.returncode == 0, restored.stderr
        assert (
            _vi("Restored %(tables)d tables, %(rows)d rows and %(files)d files.")
            % {
                "tables": len(tables),
                "rows": sum(len(r) for r in expected_rows.values()),
                "files": 2,
            }
            in restored.stdout
        )

        with django_db_blocker.unblock():
            assert (
                sorted(t for t in target.connection.introspection.table_names() if t != "django_migrations") == tables
            )
            different = [t for t in tables if _rows(target.connection, t) != expected_rows[t]]
            assert different == [], f"tables not restored as they were: {different}"
            assert sum(len(r) for r in expected_rows.values()) > 10_000
            assert all(expected_rows[t] for t in ("petitions_attachment", "auditlog_logentry", "core_user"))
        assert _files(target.data_dir / "media") == _files(source)

        again = target.run("restore", str(archive))
        assert again.returncode != 0 and _vi(NOT_EMPTY) in again.stderr
    finally:
        with django_db_blocker.unblock():
            target.close()


def test_the_archive_check_finds_damage_without_writing(source, django_db_blocker, tmp_path):
    archive = tmp_path / "a.tar.gz"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(source)):
        backup.backup(output=archive)
        out = io.StringIO()
        call_command("restore", str(archive), check=True, stdout=out)
        whole = _vi_pattern("The backup of %(created)s is whole: %(tables)d tables, %(rows)d rows, %(files)d files.")
        assert re.fullmatch(whole + "\n", out.getvalue())
        damaged = _vi_pattern("The backup is damaged: the rows of %s do not match their checksum.")
        with pytest.raises(backup.BackupError, match=damaged):
            backup.archive_listing(_tampered(archive, tmp_path / "b.tar.gz"))
        not_a_backup = tmp_path / "c.tar.gz"
        not_a_backup.write_bytes(gzip.compress(b"hello"))
        with pytest.raises(
            backup.BackupError, match=_vi_pattern("This is not a ZoneDesk backup (not a readable archive).")
        ):
            backup.restore(archive=not_a_backup)
        with pytest.raises(backup.BackupError, match=re.escape(_vi(NOT_EMPTY))):
            backup.restore(archive=archive)  # the running installation itself


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3",
    reason="the test database of SQLite is in memory, without the WAL mode the snapshot relies on",
)
def test_a_write_during_the_backup_is_not_in_it(demo_everything, django_db_blocker, tmp_path):
    """A notification committed by another connection after the first table was read is not in the
    archive, although the notifications table is read after it."""
    written = []

    def write() -> None:
        try:
            with disable_auditlog():
                written.append(
                    Notification.objects.create(user=User.objects.get(username="bql"), subject="x", body="y")
                )
        finally:
            connections.close_all()

    def progress(what: str, done: int, total: int) -> None:
        if done == 1 and not written:
            thread = threading.Thread(target=write)
            thread.start()
            thread.join()

    archive = tmp_path / "a.tar.gz"
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(tmp_path / "media")):
        before = Notification.objects.count()
        backup.backup(output=archive, progress=progress)
        try:
            assert written and Notification.objects.count() == before + 1
            manifest = backup.archive_listing(archive)
            assert manifest["tables"][Notification._meta.db_table]["rows"] == before
        finally:
            Notification.objects.filter(pk__in=[n.pk for n in written]).delete()
