"""Two versions of the app in one run: the working tree and an earlier commit, each under
gunicorn (4 sync workers) on the same database and cache, wrk alternating between them endpoint
by endpoint and round by round (the order flipped every round), so that both meet the same
moments of a shared machine. Reports each endpoint's throughput and median latency, and the
working tree's throughput over the commit's (the median of the rounds' ratios).

    DATABASE_URL=... [CACHE_URL=...] bench/compare.py COMMIT [--endpoints a,b] [--rounds N] [--seconds N]

The commit's `src/` is taken with `git archive` into a temporary folder and put first on the
servers' PYTHONPATH; the URLs and the officer's session are bench/suite.py's (the servers run
the production settings and its raised limits). Run against a bench database kept with
`bench/run --data DIR` (its migrations must suit both versions).
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commit")
    parser.add_argument("--endpoints", default="floor,zone_figures,agency_queue,project_search")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(48))
    import suite

    suite.setup_django()
    from django.db import connections

    folder = Path(tempfile.mkdtemp(prefix="zonedesk-compare-"))
    archive = subprocess.run(["git", "archive", args.commit, "src"], cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(folder / "old", filter="data")
    names = args.endpoints.split(",")
    versions = {args.commit: str(folder / "old" / "src"), "working tree": ""}
    ports = {v: suite.free_port() for v in versions}
    endpoints = {}
    for version, port in ports.items():
        chosen, _facts = suite.choose_requests(f"http://127.0.0.1:{port}")
        endpoints[version] = {e.name: e for e in chosen if e.name in names}
    connections.close_all()
    servers = {}
    for version, port in ports.items():
        env = dict(os.environ, **suite.PRODUCTION_ENV)
        if versions[version]:
            env["PYTHONPATH"] = versions[version]
        command = [sys.executable, "-m", "gunicorn", "--workers", "4", "--worker-class", "sync"]
        command += ["--bind", f"127.0.0.1:{port}", "zonedesk.wsgi:application"]
        servers[version] = suite.start(command, env, folder / f"{port}.log")
    runs: dict[str, dict[str, list[dict]]] = {v: {n: [] for n in names} for v in versions}
    try:
        for version, port in ports.items():
            suite.wait_ready(f"http://127.0.0.1:{port}/healthz")
            for e in endpoints[version].values():
                status, body = suite.fetch(e.url, e.headers)
                if status != 200 or e.check.encode() not in body:
                    raise SystemExit(f"compare: {version}: {e.name} answered {status}: {body[:300]!r}")
                suite.wrk(e, 2)
        order = list(versions)
        for number in range(args.rounds):
            for name in names:
                for version in order if number % 2 == 0 else order[::-1]:
                    runs[version][name].append(suite.wrk(endpoints[version][name], args.seconds))
            print(f"round {number + 1}/{args.rounds} done", file=sys.stderr)
    finally:
        for proc in servers.values():
            suite.stop(proc)
        shutil.rmtree(folder, ignore_errors=True)
    old, new = order
    print(f"| endpoint | {old} req/s | working tree req/s | working tree / {old} | p50 ms {old} → working tree |")
    print("|---|---:|---:|---:|---:|")
    for name in names:
        a, b = runs[old][name], runs[new][name]
        ratio = statistics.median(y["rps"] / x["rps"] for x, y in zip(a, b, strict=True))
        p50 = [statistics.median(r["p50_ms"] for r in side) for side in (a, b)]
        rps = [statistics.median(r["rps"] for r in side) for side in (a, b)]
        print(f"| {name} | {rps[0]:.0f} | {rps[1]:.0f} | {ratio:.2f}× | {p50[0]:.1f} → {p50[1]:.1f} |")


if __name__ == "__main__":
    main()
