"""Where the time of one request goes: the measured URLs of bench/suite.py, called in this process
through the app's WSGI handler (production settings, no server, no network), timed and profiled.

    DATABASE_URL=... bench/profile_requests.py [NAME ...] [--requests N] [--top N]

For each endpoint (all but the OGC pages by default): the median time of a request after a
warm-up, then cProfile's functions by their own time ('tottime') and by cumulative time. The
times are those of one process on a shared machine: compare endpoints measured in the same run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import secrets
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def environ_of(url: str, headers: dict[str, str]) -> dict:
    parts = urllib.parse.urlsplit(url)
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_ENCODING": "gzip",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    for k, v in headers.items():
        env["HTTP_" + k.upper().replace("-", "_")] = v
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(48))
    from suite import PRODUCTION_ENV, choose_requests, dossier_requests, setup_django, task_requests

    os.environ.update(PRODUCTION_ENV)

    setup_django()
    from zonedesk.wsgi import application

    endpoints, _facts = choose_requests("")
    import tempfile

    endpoints += dossier_requests("", Path(tempfile.mkdtemp()))[0]  # the one-stop desk's (issue 25)
    endpoints += task_requests("")[0]  # the pipeline's and the follow-up's (issue 26)
    wanted = set(args.names) or {e.name for e in endpoints if not e.name.startswith("ogc_items_uncached")}
    status = []

    def start_response(s, _headers, _exc=None):
        status.append(s)

    for e in endpoints:
        if e.name not in wanted:
            continue

        def call(e=e):
            body = application(environ_of(e.url, e.headers), start_response)
            b"".join(body)
            getattr(body, "close", lambda: None)()

        for _ in range(20):
            call()
        if not status[-1].startswith("200"):
            raise SystemExit(f"{e.name}: {status[-1]}")
        times = []
        for _ in range(args.requests):
            t = time.perf_counter()
            call()
            times.append((time.perf_counter() - t) * 1000)
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.requests):
            call()
        profile.disable()
        print(f"\n=== {e.name}: median {statistics.median(times):.3f} ms per request ({e.url})")
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
            print("\n".join(line for line in out.getvalue().splitlines()[6:] if line.strip()))


if __name__ == "__main__":
    main()
