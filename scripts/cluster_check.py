"""The proof of scripts/cluster: two app servers, one worker, one PostgreSQL and one Redis act as
one system. Standard library only; it talks to the servers over HTTP as a browser or a script
would (session cookie, CSRF token), and to Redis only to show what is cached there.

    (a) a petition filed through server A is read through server B with the same deadlines
        (and the session of the login through A works on B: sessions are shared);
    (b) a figure read through A, and cached, changes once a board officer logged in through B
        registers a project;
    (c) the e-mails that filing the petition queued through A are sent by the worker (into its
        own mail folder), and by neither app server;
    (d) the rate limits are one count for both servers (the shared cache): the public's
        petitions, the public's API calls and failed logins, sent to A and B in turn, are
        refused (429) once their limit is reached in total, on both servers.

Each check prints one PASS or FAIL line with what it saw; exit 1 if any failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import email
import email.policy
import http.cookiejar
import json
import re
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from zoneinfo import ZoneInfo

TIMEOUT = 15  # seconds for one request
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


class Browser:
    """One person's cookies (session, CSRF token), as a browser keeps them for 127.0.0.1."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect(), _KeepErrors()
        )

    def cookie(self, name: str) -> str:
        return next((c.value for c in self.jar if c.name == name), "")

    def request(self, base: str, path: str, *, data: bytes | None = None, headers: dict | None = None):
        req = urllib.request.Request(base + path, data=data, headers=headers or {})  # noqa: S310 - http://127.0.0.1 only
        with self.opener.open(req, timeout=TIMEOUT) as response:
            return response.status, response.read()

    def get_json(self, base: str, path: str) -> tuple[int, dict]:
        status, body = self.request(base, path, headers={"Accept": "application/json"})
        return status, json.loads(body or b"null")

    def post_json(self, base: str, path: str, payload: dict) -> tuple[int, dict]:
        if not self.cookie("csrftoken"):
            self.get_json(base, "/api/v1/session")  # sets the CSRF cookie
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": self.cookie("csrftoken"),
            "Origin": base,  # what a browser sends with a same-origin POST
        }
        status, body = self.request(base, path, data=json.dumps(payload).encode(), headers=headers)
        return status, json.loads(body or b"null")

    def login(self, base: str, username: str, password: str, totp_key: str = "") -> None:
        status, page = self.request(base, "/login/")
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not match:
            raise AssertionError(f"GET {base}/login/ answered {status} without a CSRF token")
        form = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": match.group(1).decode()}
        ).encode()
        status, _body = self.request(
            base, "/login/", data=form, headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": base}
        )
        if status != 302 or not self.cookie("sessionid"):
            raise AssertionError(f"logging in as {username} through {base} answered {status}, no session")
        if totp_key:  # the second step: the code the account's authenticator app shows now
            from binascii import unhexlify

            from django_otp.oath import TOTP

            status, page = self.request(base, "/login/code/")
            match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            if status != 200 or not match:
                raise AssertionError(f"GET {base}/login/code/ answered {status} without a CSRF token")
            code = f"{TOTP(unhexlify(totp_key)).token():06d}"
            form = urllib.parse.urlencode({"code": code, "csrfmiddlewaretoken": match.group(1).decode()}).encode()
            status, _body = self.request(
                base,
                "/login/code/",
                data=form,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": base},
            )
            if status != 302:
                raise AssertionError(f"the code of {username} through {base} answered {status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is an answer to look at, not to follow


class _KeepErrors(urllib.request.HTTPErrorProcessor):
    def http_response(self, request, response):
        return response  # 4xx and 5xx are answers too

    https_response = http_response


def redis_keys(port: int, pattern: str) -> list[str]:
    """KEYS pattern, in Redis's own protocol (RESP), to show what the app servers cached there."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        p = pattern.encode()
        s.sendall(b"*2\r\n$4\r\nKEYS\r\n$%d\r\n%s\r\n" % (len(p), p))
        reader = s.makefile("rb")
        header = reader.readline()
        if not header.startswith(b"*"):
            raise AssertionError(f"Redis answered {header!r}")
        keys = []
        for _ in range(int(header[1:])):
            size = int(reader.readline()[1:])
            keys.append(reader.read(size + 2)[:-2].decode())
        return keys


def wait_ready(base: str, deadline: float) -> dict:
    last = "no answer"
    while time.monotonic() < deadline:
        try:
            status, body = Browser().get_json(base, "/readyz")
            if status == 200:
                return body
            last = f"{status} {body}"
        except OSError as exc:
            last = str(exc)
        time.sleep(0.3)
    raise AssertionError(f"{base}/readyz: {last}")


def mails(folder: Path) -> list[email.message.EmailMessage]:
    """The messages Django's file-based e-mail backend wrote into `folder` (one file per
    connection, messages separated by a line of dashes)."""
    found = []
    for path in sorted(folder.glob("*")) if folder.is_dir() else []:
        for chunk in path.read_text(encoding="utf-8").split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.lstrip("\n"), policy=email.policy.default))
    return found


def _instant(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None  # "...Z" and "...+07:00" alike


def _local(value: str | None) -> str:
    return _instant(value).astimezone(HANOI).strftime("%Y-%m-%d %H:%M") if value else "-"


class Proof:
    def __init__(self, args: argparse.Namespace) -> None:
        self.a, self.b = args.a.rstrip("/"), args.b.rstrip("/")
        self.fixture = json.loads(Path(args.fixture).read_text())
        self.password = args.password
        self.worker_mail, self.web_mail = Path(args.worker_mail), Path(args.web_mail)
        self.redis_port = args.redis_port
        self.public_api_limit = args.public_api_limit
        self.failures = 0
        self.petition: dict = {}

    def report(self, label: str, ok: bool, text: str) -> None:
        print(f"{'PASS' if ok else 'FAIL'} ({label}) {text}", flush=True)
        self.failures += not ok

    def run(self, label: str, check) -> None:
        try:
            ok, text = check()
        except Exception as exc:  # noqa: BLE001 - a check that breaks is a FAIL with its reason
            ok, text = False, f"{type(exc).__name__}: {exc}"
        self.report(label, ok, text)

    def petition_through_a_read_through_b(self) -> tuple[bool, str]:
        person = Browser()
        person.login(self.a, self.fixture["enterprise_user"], self.password)
        status, filed = person.post_json(
            self.a,
            "/api/v1/petitions",
            {
                "zone": self.fixture["zone"],
                "title": "Chậm cấp điện cho nhà xưởng mới",
                "body": "Nhà xưởng đã hoàn thành nhưng chưa được đấu nối điện; đề nghị Ban hỗ trợ.",
                "category": "infrastructure",
            },
        )
        if status != 201:
            return False, f"POST {self.a}/api/v1/petitions answered {status}: {filed}"
        self.petition = filed | {"filed_at": time.monotonic()}
        status, read = person.get_json(self.b, f"/api/v1/petitions/{filed['reference']}")
        if status != 200:
            return False, f"{filed['reference']} filed through A; GET through B answered {status}: {read}"
        due = ("acknowledge_due_at", "answer_due_at")
        same = all(read[k] == filed[k] for k in ("reference", "status")) and all(
            _instant(read[k]) == _instant(filed[k]) and filed[k] for k in due
        )
        return same, (
            f"{filed['reference']} filed through A (acknowledge by {_local(filed['acknowledge_due_at'])}, answer by "
            f"{_local(filed['answer_due_at'])}), read through B with the session of the login through A: "
            f"status {read['status']}, acknowledge by {_local(read['acknowledge_due_at'])}, "
            f"answer by {_local(read['answer_due_at'])}"
        )

    def figure_cached_by_a_refreshed_after_a_write_through_b(self) -> tuple[bool, str]:
        year = dt.datetime.now(HANOI).year
        path = f"/api/v1/zones/{self.fixture['zone']}/figures?year={year}"
        anyone = Browser()
        status, before = anyone.get_json(self.a, path)
        if status != 200:
            return False, f"GET {self.a}{path} answered {status}: {before}"
        _status, again = anyone.get_json(self.a, path)
        cached = redis_keys(self.redis_port, "*figures:*")
        if again != before or not cached:
            return False, f"the figures were not cached in Redis (keys: {cached})"
        board = Browser()
        board.login(self.b, self.fixture["board_user"], self.password, self.fixture["board_totp_key"])
        capital = 2_500_000_000_000
        status, project = board.post_json(
            self.b,
            "/api/v1/projects",
            {
                "code": "CLUSTER-0002",
                "name_vi": "Nhà máy vi mạch Cụm Thử",
                "enterprise": self.fixture["enterprise"],
                "sector": "electronics",
                "shares": [{"investor": self.fixture["investor"], "capital_vnd": capital}],
                "registered_capital_vnd": capital,
                "land_area_m2": "50000",
                "certificate_date": before["as_of"],
            },
        )
        if status != 201:
            return False, f"POST {self.b}/api/v1/projects answered {status}: {project}"
        _status, after = anyone.get_json(self.a, path)
        cached_after = redis_keys(self.redis_port, "*figures:*")
        ok = (
            after["projects"]["total"] == before["projects"]["total"] + 1
            and after["registered_capital_vnd"] == before["registered_capital_vnd"] + capital
        )
        return ok, (
            f"{self.fixture['zone']} {year} through A: {before['projects']['total']} projects, "
            f"{before['registered_capital_vnd']:,} VND (cached: {len(cached)} key(s) in Redis); "
            f"project {project.get('code')} registered through B; through A again: "
            f"{after['projects']['total']} projects, {after['registered_capital_vnd']:,} VND "
            f"(recomputed under a new generation: {len(cached_after)} key(s) in Redis)"
        )

    def background_work_done_by_the_worker(self, timeout: float) -> tuple[bool, str]:
        reference = self.petition.get("reference")
        if not reference:
            return False, "no petition was filed in (a)"
        deadline = time.monotonic() + timeout
        while True:
            sent = [m for m in mails(self.worker_mail) if reference in str(m["subject"])]
            if len(sent) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        seconds = time.monotonic() - self.petition["filed_at"]
        by_web = [m for m in mails(self.web_mail) if reference in str(m["subject"])]
        recipients = sorted(str(m["to"]) for m in sent)
        ok = len(sent) >= 2 and not by_web  # the enterprise's user and the board officer
        return ok, (
            f"{len(sent)} e-mail(s) about {reference} sent by the worker within {seconds:.1f} s of the filing "
            f"through A (to {', '.join(recipients) or 'nobody'}); sent by an app server: {len(by_web)}"
        )

    def rate_limits_shared_by_both_servers(self) -> tuple[bool, str]:
        seen = []
        # the public petition form: 5 an hour per address (the board's rule)
        visitor = Browser()
        petition = {
            "zone": self.fixture["zone"],
            "title": "Hỏi về giờ làm việc của bộ phận một cửa",
            "body": "Xin hỏi giờ làm việc của bộ phận một cửa vào thứ Bảy.",
            "category": "other",
            "petitioner_name": "Khách",
            "petitioner_email": "khach@cluster.invalid",
            "consent_version": 1,  # the privacy notice of a fresh installation, agreed to
        }
        answers = [visitor.post_json((self.a, self.b)[i % 2], "/api/v1/petitions", petition)[0] for i in range(8)]
        ok = answers[:5] == [201] * 5 and answers[5:] == [429] * 3
        seen.append(f"public petitions through A and B in turn: {answers}")
        # the public API: ZONEDESK_PUBLIC_API_LIMIT (40 here) a minute per address, counted with
        # every public call made so far; two separate counts would serve up to twice that
        limit = int(self.public_api_limit)
        reader = Browser()
        served = 0
        for i in range(2 * limit + 2):
            status, _body = reader.request((self.a, self.b)[i % 2], "/api/v1/ping")
            if status == 429:
                break
            served += 1
        after = [reader.request(base, "/api/v1/ping")[0] for base in (self.a, self.b)]
        ok = ok and served <= limit and after == [429, 429]
        seen.append(f"public API calls served before the first 429: {served} (limit {limit}); then A, B: {after}")
        # failed logins: 5 for one account from one address lock it out, whichever server counted
        intruder = Browser()
        statuses = []
        for i in range(7):
            base = (self.a, self.b)[i % 2]
            status, page = intruder.request(base, "/login/")
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            form = urllib.parse.urlencode(
                {"username": "no-such-person", "password": f"guess-{i}", "csrfmiddlewaretoken": token.group(1).decode()}
            ).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": base}
            statuses.append(intruder.request(base, "/login/", data=form, headers=headers)[0])
        ok = ok and statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
        seen.append(f"wrong passwords through A and B in turn: {statuses}")
        return ok, "; ".join(seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--a", required=True, help="base URL of app server A")
    parser.add_argument("--b", required=True, help="base URL of app server B")
    parser.add_argument("--fixture", required=True, help="the JSON scripts/cluster_fixture.py printed")
    parser.add_argument("--password", required=True)
    parser.add_argument("--worker-mail", required=True, help="the worker's e-mail folder")
    parser.add_argument("--web-mail", required=True, help="the app servers' e-mail folder")
    parser.add_argument("--redis-port", type=int, required=True)
    parser.add_argument("--public-api-limit", type=int, required=True, help="ZONEDESK_PUBLIC_API_LIMIT of the servers")
    parser.add_argument("--wait", type=float, default=60, help="seconds to wait for /readyz of both servers")
    args = parser.parse_args(argv)

    proof = Proof(args)
    deadline = time.monotonic() + args.wait
    for name, base in (("A", proof.a), ("B", proof.b)):
        try:
            ready = wait_ready(base, deadline)
        except AssertionError as exc:
            print(f"FAIL (ready) server {name} is not ready: {exc}", flush=True)
            return 1
        print(f"ready: server {name} at {base}: {json.dumps(ready['checks'])}", flush=True)
    proof.run("a", proof.petition_through_a_read_through_b)
    proof.run("b", proof.figure_cached_by_a_refreshed_after_a_write_through_b)
    proof.run("c", lambda: proof.background_work_done_by_the_worker(timeout=30))
    proof.run("d", proof.rate_limits_shared_by_both_servers)
    sessions = redis_keys(proof.redis_port, "*sessions.cached_db*")
    print(f"sessions in Redis: {len(sessions)}", flush=True)
    return 1 if proof.failures else 0


if __name__ == "__main__":
    sys.exit(main())
