"""What each security layer added since issue 5 costs a request: the bench's URLs called in this
process through Django's WSGI handler (production settings, no server, no network), once with
the whole middleware stack and once without each layer, the variants interleaved in rounds so
that they share the machine's moments; the cost of a layer is the difference of the least times of the rounds
(as timeit takes them: on a shared machine the slower rounds measure the neighbours).

    DATABASE_URL=... [CACHE_URL=...] bench/middleware_cost.py [NAME ...] [--requests N] [--rounds N]

The layers: the access matrix (`core.access.AccessMiddleware`), the two-step gate
(`core.twofactor.OTPMiddleware`, django-otp's, and `core.twofactor.SecondFactorMiddleware`, removed
together: the gate needs django-otp's answer), the audit trail's request context
(`core.audit.AuditMiddleware`), the Content Security Policy (`core.middleware.CSPMiddleware`,
django-csp's) and
the public API's rate limit (`core.throttle.PublicApiThrottle`, counted in the configured cache;
"removed" by letting every call through). Run against the bench's database (bench/run --data DIR
keeps one); the endpoints and the officer's session are bench/suite.py's.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

LAYERS = {
    "access matrix": ["zonedesk.core.access.AccessMiddleware"],
    "two-step gate": ["zonedesk.core.twofactor.OTPMiddleware", "zonedesk.core.twofactor.SecondFactorMiddleware"],
    "audit context": ["zonedesk.core.audit.AuditMiddleware"],
    "CSP header": ["zonedesk.core.middleware.CSPMiddleware"],
    "rate limit": [],  # not a middleware: the API's throttle
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="endpoints (default: floor, zone_figures, agency_queue)")
    parser.add_argument("--requests", type=int, default=40, help="requests of each variant in a round")
    parser.add_argument(
        "--rounds",
        type=int,
        default=30,
        help="rounds: short and many, so that a busy moment of a shared machine falls on every variant alike",
    )
    parser.add_argument("--json", help="write the medians there")
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(48))
    from profile_requests import environ_of
    from suite import PRODUCTION_ENV, choose_requests, setup_django

    os.environ.update(PRODUCTION_ENV)
    setup_django()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.utils import override_settings

    from zonedesk.core import throttle

    endpoints, _facts = choose_requests("")
    wanted = args.names or ["floor", "zone_figures", "agency_queue"]
    chosen = [e for e in endpoints if e.name in wanted]

    handlers = {"all layers": WSGIHandler()}
    for layer, classes in LAYERS.items():
        if classes:
            with override_settings(MIDDLEWARE=[m for m in settings.MIDDLEWARE if m not in classes]):
                handlers[f"without {layer}"] = WSGIHandler()
    handlers["without rate limit"] = handlers["all layers"]
    allow = throttle.PublicApiThrottle.allow_request
    status: list[str] = []

    def start_response(s, _headers, _exc=None):
        status.append(s)

    def call(handler, e):
        body = handler(environ_of(e.url, e.headers), start_response)
        b"".join(body)
        getattr(body, "close", lambda: None)()

    times: dict[str, dict[str, list[float]]] = {e.name: {v: [] for v in handlers} for e in chosen}
    for e in chosen:
        for variant, handler in handlers.items():
            for _ in range(30):  # warm: caches, connections, imports
                call(handler, e)
            if not status[-1].startswith("200"):
                raise SystemExit(f"{e.name} {variant}: {status[-1]}")
    for _round in range(args.rounds):
        for e in chosen:
            for variant, handler in handlers.items():
                if variant == "without rate limit":
                    throttle.PublicApiThrottle.allow_request = lambda self, request: True
                try:
                    started = time.perf_counter()
                    for _ in range(args.requests):
                        call(handler, e)
                    times[e.name][variant].append((time.perf_counter() - started) * 1000 / args.requests)
                finally:
                    throttle.PublicApiThrottle.allow_request = allow
        if (_round + 1) % 10 == 0:
            print(f"round {_round + 1}/{args.rounds} done", file=sys.stderr)
    result = {}
    print(f"cache: {settings.CACHES['default']['BACKEND']}; {args.rounds} rounds of {args.requests} requests")
    print("| endpoint | all layers ms | " + " | ".join(v for v in handlers if v != "all layers") + " |")
    print("|---|---:|" + "---:|" * (len(handlers) - 1))
    for e in chosen:
        # the least time of the rounds (as timeit): on a shared machine the other rounds measure
        # the neighbours; medians are kept in the JSON
        full = min(times[e.name]["all layers"])
        row = {"least_ms": {}, "median_ms": {}}
        cells = []
        for variant in handlers:
            least, median = min(times[e.name][variant]), statistics.median(times[e.name][variant])
            row["least_ms"][variant], row["median_ms"][variant] = round(least, 3), round(median, 3)
            if variant != "all layers":
                cells.append(f"{full - least:+.3f}")
        result[e.name] = row
        print(f"| {e.name} | {full:.3f} | " + " | ".join(cells) + " |")
    print("(each cell: what the layer costs a request, ms = all layers − without it, least time of the rounds)")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
