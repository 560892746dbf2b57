"""Issue 8, faults: the app server killed (SIGKILL, master and workers at once) while it writes.

A real `zonedesk serve` on an installation of its own (an SQLite file in the SQLite run, a new
PostgreSQL database in the PostgreSQL run) is sent writes from several threads: a board officer
registers projects with their shares and schedule (several rows each, and their audit entries),
an enterprise files petitions with three attachments each (rows and files). The whole server is
killed in the middle. What was committed is whole; what was not left no row (the files its
request had written are deleted by the worker's periodic work); the server started again answers, and sending again the writes that got no answer registers each project once.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import uuid
from pathlib import Path

import pytest

from tests.test_commands import _free_port

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from cluster_check import Browser  # noqa: E402 - cookies, CSRF token, the two steps of the login

PASSWORD = "mat-khau-rat-dai-2026"

SETUP = """
import json
from django_otp.plugins.otp_totp.models import TOTPDevice
from zonedesk.core.models import Role, User, Zone
from zonedesk.investment import services
from stdnum.vn import mst
def make_tax_code(body):
    return next(body + d for d in "0123456789" if mst.is_valid(body + d))
zone = Zone.objects.create(code="HHTP", kind="hitech", name_vi="Khu CNC Hòa Lạc", province="Hà Nội", area_ha=1586)
investor = services.investor_create(name="Công ty Cổ phần Đầu tư Thử", tax_code=make_tax_code("010000001"))
enterprise = services.enterprise_create(
    name="Công ty TNHH Thử", tax_code=make_tax_code("010000002"), zone=zone, investors=[investor]
)
board = User(username="bql", role=Role.BOARD)
board.set_password({password!r})
board.save()
key = TOTPDevice.objects.create(user=board, confirmed=True).key
member = User(username="dn", role=Role.ENTERPRISE, enterprise=enterprise)
member.set_password({password!r})
member.save()
print(json.dumps({{"enterprise": enterprise.pk, "investor": investor.pk, "key": key}}))
"""

STATE = """
import hashlib, json
from pathlib import Path
from django.conf import settings
from auditlog.models import LogEntry
from zonedesk.investment.models import Project
from zonedesk.petitions.models import Attachment, Petition
projects = {
    p.code: [p.shares.count(), p.milestones.count(), LogEntry.objects.get_for_object(p).count()]
    for p in Project.objects.all()
}
petitions = {}
for p in Petition.objects.all():
    files = []
    for a in p.attachments.all():
        path = Path(settings.MEDIA_ROOT) / a.file.name
        files.append(path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == a.sha256)
    petitions[p.title] = {"files": files, "events": p.events.filter(action="attach").count()}
known = {a.file.name for a in Attachment.objects.all()}
folder = Path(settings.MEDIA_ROOT) / "petitions"
stored = [str(f.relative_to(settings.MEDIA_ROOT)) for f in folder.rglob("*") if f.is_file()] if folder.exists() else []
print(json.dumps({"projects": projects, "petitions": petitions, "unrecorded": [f for f in stored if f not in known]}))
"""


def _serve(env, port: int) -> subprocess.Popen:
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "zonedesk", "serve", "--no-migrate", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: master and workers are killed together
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Browser().request(base, "/readyz")[0] == 200:
                return proc
        except OSError:
            pass
        assert proc.poll() is None, "the server did not start"
        time.sleep(0.2)
    pytest.fail("the server never became ready")


def _multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        parts.append(head.encode() + b"Content-Type: text/plain\r\n\r\n" + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_killing_the_app_server_mid_write_leaves_whole_records_and_a_resent_write_is_done_once(installation):
    env = installation.env
    _zonedesk = installation.zonedesk
    _zonedesk("migrate", "-v0")
    ids = json.loads(_zonedesk("shell", "-c", SETUP.format(password=PASSWORD)).strip().splitlines()[-1])
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(env, port)

    board, member = Browser(), Browser()
    board.login(base, "bql", PASSWORD, ids["key"])
    member.login(base, "dn", PASSWORD)
    member.get_json(base, "/api/v1/session")  # its CSRF cookie

    def project(n: int) -> dict:
        return {
            "code": f"KILL-{n:05d}",
            "name_vi": f"Dự án {n}",
            "enterprise": ids["enterprise"],
            "sector": "software",
            "shares": [{"investor": ids["investor"], "capital_vnd": 5_000_000_000}],
            "registered_capital_vnd": 5_000_000_000,
            "certificate_date": "2026-03-02",
            "milestones": [
                {"kind": "construction", "planned_date": "2027-01-04"},
                {"kind": "operation", "planned_date": "2028-01-03"},
            ],
        }

    lock = threading.Lock()
    answered: dict[int, int] = {}  # project number -> status
    unanswered: list[int] = []
    petitions_answered: list[str] = []
    stop = threading.Event()
    counter = iter(range(1_000_000))

    def registrar():
        while not stop.is_set():
            with lock:
                n = next(counter)
            try:
                status, _body = board.post_json(base, "/api/v1/projects", project(n))
            except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException):  # no whole answer
                with lock:
                    unanswered.append(n)
                return
            with lock:
                answered[n] = status

    def filer():
        while not stop.is_set():
            title = f"Kiến nghị {uuid.uuid4().hex[:8]}"
            body, content_type = _multipart(
                {"zone": "HHTP", "title": title, "body": "Đề nghị hướng dẫn thủ tục.", "category": "labour"},
                [("attachments", f"hoso-{i}.txt", (f"Hồ sơ {i} " * 20_000).encode()) for i in range(3)],
            )
            headers = {"Content-Type": content_type, "X-CSRFToken": member.cookie("csrftoken"), "Origin": base}
            try:
                status, _answer = member.request(base, "/api/v1/petitions/with-files", data=body, headers=headers)
            except (urllib.error.URLError, OSError, http.client.HTTPException):
                return
            if status == 201:
                with lock:
                    petitions_answered.append(title)

    threads = [threading.Thread(target=registrar) for _ in range(3)] + [threading.Thread(target=filer)]
    try:
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (len(answered) < 20 or len(petitions_answered) < 3):
            time.sleep(0.05)
        os.killpg(server.pid, signal.SIGKILL)  # in the middle of the writes of four threads
        server.wait(timeout=30)
    finally:
        stop.set()
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=30)
    assert set(answered.values()) == {201}, answered
    assert unanswered, "every write was answered before the kill: the test proves nothing"

    state = json.loads(_zonedesk("shell", "-c", STATE).strip().splitlines()[-1])
    # every project is whole: its share, its two milestones, and its creation in the audit trail
    assert state["projects"], state
    assert all(counts[:2] == [1, 2] and counts[2] >= 1 for counts in state["projects"].values()), state["projects"]
    assert {f"KILL-{n:05d}" for n in answered} <= set(state["projects"])  # every answered write is kept
    # every petition has its three files on disk with their checksums, each attachment recorded
    assert set(petitions_answered) <= set(state["petitions"])
    assert all(p["files"] == [True] * 3 and p["events"] == 3 for p in state["petitions"].values()), state
    # a file written before its petition's transaction committed is named by no record: the
    # worker's periodic work deletes it (here at once; in production once an hour old)
    _zonedesk("worker", "--once", env=env | {"ZONEDESK_UNRECORDED_UPLOAD_SECONDS": "0"})
    swept = json.loads(_zonedesk("shell", "-c", STATE).strip().splitlines()[-1])
    assert swept["unrecorded"] == [], "files were left on disk without their petition"
    assert swept["petitions"] == state["petitions"]  # the recorded files are all kept

    server = _serve(env, port)  # the server starts again on the same database and folder
    try:
        again = []  # the officer's session outlived the server (sessions are in the database)
        for n in unanswered:  # what a person does when the page never answered: send it again
            status, body = board.post_json(base, "/api/v1/projects", project(n))
            again.append((n, status, body))
        in_db = set(state["projects"])
        for n, status, body in again:
            if f"KILL-{n:05d}" in in_db:  # it was saved before the kill, its answer lost: refused
                assert status in (409, 422), (n, status, body)
            else:
                assert status == 201, (n, status, body)
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=30)
    final = json.loads(_zonedesk("shell", "-c", STATE).strip().splitlines()[-1])
    codes = {f"KILL-{n:05d}" for n in [*answered, *unanswered]}
    assert codes <= set(final["projects"])  # every write done, once: codes are unique
    assert all(counts[:2] == [1, 2] for counts in final["projects"].values())


def test_only_old_uploads_no_record_names_are_deleted(db, media, board_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import stored_files
    from zonedesk.core.uploads import sweep_unrecorded
    from zonedesk.sheets import services

    job = services.job_create(
        kind="enterprises", upload=SimpleUploadedFile("dn.csv", "Tên,Mã số thuế\n".encode()), by=board_user
    )
    recorded = media / job.file.name
    left = media / "petitions" / "2026" / "a-killed-request"  # no attachment names it
    recent = media / "petitions" / "2026" / "a-request-still-on-its-way"
    elsewhere = media / "backups" / "not-an-upload"
    for path in (left, recent, elsewhere):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x")
    hour_ago = time.time() - 3601
    for path in (recorded, left, elsewhere):
        os.utime(path, (hour_ago, hour_ago))

    assert sweep_unrecorded() == ["petitions/2026/a-killed-request"]  # an hour by default
    assert stored_files(media) == sorted([recorded, recent, elsewhere])
    assert sweep_unrecorded() == []  # twice changes nothing
