"""Issue 21, item 2: every limit holds with the server as the README starts it.

`zonedesk up` / `zonedesk serve` run gunicorn with several worker processes (2 × 4 threads by
default) on the embedded default, where each process has a cache of its own memory: a count kept
there let each process allow the whole limit. Here a real `zonedesk serve` with its default workers
and threads, on an installation of its own (an SQLite file, or a new PostgreSQL database), no cache
server configured, is sent attempts from many threads at once, each on a connection of its own (so
they land on both processes): the login lock-out, the public API's limit and the public petitions'
rule each let through exactly their limit, not one more; and one write sent at once on eight
connections with one Idempotency-Key is done once.
"""

from __future__ import annotations

import json
import re
import sys
import threading
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest

from tests.installations import installation  # noqa: F401 - a fixture
from tests.test_commands import _free_port
from tests.test_server_faults import PASSWORD, SETUP, _serve  # SETUP: a zone, an enterprise, its member dn

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from cluster_check import Browser  # noqa: E402

pytestmark = pytest.mark.django_db(transaction=False)

API_LIMIT = 30


def _at_once(n: int, attempt) -> list[int]:
    """`attempt(i)` from n threads released together; their statuses."""
    start = threading.Barrier(n)
    statuses: list[int] = [0] * n

    def run(i: int) -> None:
        start.wait()
        statuses[i] = attempt(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return statuses


def test_every_limit_holds_across_the_servers_processes(installation):  # noqa: F811
    env = installation.env | {"ZONEDESK_PUBLIC_API_LIMIT": str(API_LIMIT), "ZONEDESK_ENV": "development"}
    env.pop("CACHE_URL", None)  # the embedded default: no cache server
    installation.env = env
    installation.zonedesk("migrate", "-v0")
    installation.zonedesk("shell", "-c", SETUP.format(password=PASSWORD))
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(env, port)
    try:
        # 0. A write sent 8 times at once with one Idempotency-Key (a client resending after a
        #    lost answer, on several connections): one petition, and every answer is its answer.
        member = Browser()
        member.login(base, "dn", PASSWORD)
        member.get_json(base, "/api/v1/session")  # its CSRF cookie
        session, csrf = member.cookie("sessionid"), member.cookie("csrftoken")
        body = json.dumps(
            {"zone": "HHTP", "title": "Mất điện", "body": "Mất điện cả ngày.", "category": "infrastructure"}
        ).encode()
        same = {
            "Content-Type": "application/json",
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Origin": base,
            "Idempotency-Key": "8a1d6c52-resend",
        }
        answers: list[bytes] = [b""] * 8

        def resend(i: int) -> int:
            status, answers[i] = Browser().request(base, "/api/v1/petitions", data=body, headers=same)
            return status

        assert _at_once(8, resend) == [201] * 8
        assert len({json.loads(a)["reference"] for a in answers}) == 1
        assert installation.look("SELECT COUNT(*) FROM petitions_petition") == (1,)

        # 1. Logging in: 16 wrong passwords at once for one account (as the form resolves it:
        #    some spelled with fullwidth letters): 5 are checked, the others refused unchecked.
        browsers = [Browser() for _ in range(16)]
        tokens = []
        for b in browsers:
            status, page = b.request(base, "/login/")
            tokens.append(re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode())

        def wrong_password(i: int) -> int:
            name = "dn" if i % 2 else "ｄｎ"
            form = urllib.parse.urlencode({"username": name, "password": "sai", "csrfmiddlewaretoken": tokens[i]})
            headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": base}
            return browsers[i].request(base, "/login/", data=form.encode(), headers=headers)[0]

        logins = Counter(_at_once(16, wrong_password))
        assert logins == {200: 5, 429: 11}, logins
        with pytest.raises(AssertionError, match="answered 429"):
            Browser().login(base, "dn", PASSWORD)  # the right password: locked out all the same

        # 2. Public petitions (the board's rule: 5 an hour per address), 12 at once: 5 filed.
        payload = json.dumps(
            {
                "zone": "HHTP",
                "title": "Chậm cấp giấy phép",
                "body": "Hồ sơ nộp đã lâu.",
                "category": "construction",
                "petitioner_name": "Trần Thị B",
                "petitioner_email": "b@example.vn",
                "consent_version": 1,
            }
        ).encode()
        headers = {"Content-Type": "application/json", "Accept": "application/json"}

        def petition(i: int) -> int:
            return Browser().request(base, "/api/v1/petitions", data=payload, headers=headers)[0]

        filed = Counter(_at_once(12, petition))
        assert filed == {201: 5, 429: 7}, filed

        # 3. The public API: 3 × API_LIMIT calls at once from the same address, each on its own
        #    connection; the 12 petitions above were calls of the API too: exactly the rest of
        #    the allowance is answered.
        left = API_LIMIT - 12
        calls = Counter(_at_once(3 * API_LIMIT, lambda i: Browser().request(base, "/api/v1/zones")[0]))
        assert calls == {200: left, 429: 3 * API_LIMIT - left}, calls
    finally:
        server.kill()
        server.wait(timeout=30)
