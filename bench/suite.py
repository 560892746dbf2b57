"""The HTTP benchmark of issue 5, run by `bench/run` against a PostgreSQL that holds generated data.

It starts the app under gunicorn with production settings and pygeoapi (the peer) under the same
gunicorn with the same worker count, checks that every measured URL answers what it should,
then drives each with wrk (16 connections) in rounds. Every figure is a ratio taken in the same
round as its reference (the floor: `/api/v1/ping`, a trivial endpoint of the same app through
the same middleware and routing, no database; for our OGC
items, pygeoapi serving the same parcels), because absolute times on a shared machine drift;
the medians of the rounds are reported. Results go to bench/results/latest.json and latest.md.
Our OGC items are measured twice: the same URL again and again (the answer our server caches
until the plan changes: the target of the issue's lists), and with a new bbox every request
(bench/lib/rotate.lua), which no cache holds; the comparison with pygeoapi, which caches
nothing, is taken that way, on the same rotating URLs for both.

Run through `bench/run`; directly: `DATABASE_URL=... python bench/suite.py --peer-python PY`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_ratio import import_ratio  # noqa: E402 - bench/ is not a package

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "lib" / "report.lua"
ROTATE = ROOT / "bench" / "lib" / "rotate.lua"  # a new bbox every request: nothing cached
CODES = ROOT / "bench" / "lib" / "codes.lua"  # a dossier's code, another every request
RESULTS = ROOT / "bench" / "results"
CONNECTIONS = 16
# what every browser and HTTP library sends; a server may then answer compressed (both servers
# are measured with it: ours compresses only the cached figures, pygeoapi nothing)
ACCEPT = {"Accept-Encoding": "gzip"}

# targets of issue 5: (minimum ratio to the floor, maximum p99 in ms)
FIGURES = (0.50, 100.0)
LISTS = (0.25, 200.0)
PEER_RATIO = 1.5
MAX_WORKER_MB = 300
# the app's production settings (DEBUG off), on plain HTTP on loopback; every request of the
# bench comes from 127.0.0.1, so the public API's limit per address is raised (as bench/soak
# does): the figures must measure the app, not its limiter (a 429 fails the run anyway)
PRODUCTION_ENV = {
    "ZONEDESK_ENV": "production",
    "DEBUG": "false",
    "SECURE_SSL_REDIRECT": "false",
    "SECURE_HSTS_SECONDS": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "ZONEDESK_PUBLIC_API_LIMIT": "1000000000",
}


@dataclass
class Endpoint:
    name: str
    url: str
    target: tuple[float, float] | None  # (ratio to the floor, p99 ms); None for the floor and the peer
    headers: dict[str, str] = field(default_factory=dict)
    check: str = ""  # what a correct answer must show, for the check before measuring
    script: Path = LUA  # ROTATE: every request a new bbox
    runs: list[dict] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"bench: {url} did not answer within {seconds:.0f} s")
        time.sleep(0.3)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a 3xx is an answer to report, not to follow
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str]) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with _opener.open(request, timeout=60) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


# --- the data: what to ask for ------------------------------------------------------------


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.settings")
    import django

    django.setup()


def officer_session(user) -> str:
    """The key of a new session of `user` that has passed both steps of logging in, as a person's
    session is after the code page (core/twofactor.py): Django's keys of the password step and
    django-otp's key naming the authenticator that gave the code (the officer gets one if it
    has none). Written with the configured session engine, so the servers find it."""
    from importlib import import_module

    from django.conf import settings
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from zonedesk.core import twofactor

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    if twofactor.is_required(user):
        device = twofactor.device_of(user) or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return session.session_key


def raise_petition_limit() -> None:
    """The board's rule for public petitions per address, raised in the bench's database as
    bench/soak raises it (a Rule row, as the board would add in the admin): every request of the
    bench comes from one address. The measured URLs file no petition; a run that adds one must
    measure the app, not this limit."""
    from zonedesk.core.models import Rule

    Rule.objects.update_or_create(
        key="petition.public_throttle",
        effective_from=dt.date(2000, 1, 1),
        defaults={"value": [1_000_000_000, 3600], "note": "bench/run: all its requests come from one address"},
    )


def dossier_requests(app: str, folder: Path) -> tuple[list[Endpoint], dict]:
    """The one-stop desk's URLs (issue 25): the public lookup of a dossier by its code (another
    code every request: 20,000 codes drawn at random, in the file bench/lib/codes.lua reads), the
    figures of the last whole year of dossiers, and the queue of the unit holding the most open
    dossiers, read by one of its members (a board officer's session)."""
    import random

    from django.db.models import Count, Max

    from zonedesk.procedures.models import CLOSED_STATUSES, Dossier, UnitMember

    top = Dossier.objects.aggregate(m=Max("pk"))["m"]
    if not top:
        raise SystemExit("bench: the database holds no dossier: run `zonedesk generate` first")
    rng = random.Random(25)
    ids = rng.sample(range(1, top + 1), min(top, 20_000))
    codes = list(Dossier.objects.filter(pk__in=ids).values_list("code", flat=True))
    rng.shuffle(codes)
    path = folder / "dossier-codes.txt"
    path.write_text("\n".join(codes) + "\n")
    os.environ["ZONEDESK_BENCH_CODES"] = str(path)  # read by codes.lua in wrk (the environment is passed on)
    years = Dossier.objects.filter(received_at__isnull=False).dates("received_at", "year")
    year = max((d.year for d in years), default=dt.date.today().year)
    busiest = (
        Dossier.objects.exclude(status__in=CLOSED_STATUSES)
        .filter(unit__isnull=False, unit__memberships__isnull=False)
        .values("unit")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    member = UnitMember.objects.filter(unit_id=busiest["unit"], user__is_active=True).select_related("user").first()
    cookie = {"Cookie": f"sessionid={officer_session(member.user)}"}
    endpoints = [
        Endpoint(
            "dossier_lookup", f"{app}/api/v1/dossiers/lookup?code={codes[0]}", LISTS, check='"status"', script=CODES
        ),
        Endpoint("dossier_figures", f"{app}/api/v1/dossiers/figures?year={year}", FIGURES, check='"by_month"'),
        Endpoint("unit_queue", f"{app}/api/v1/dossiers?waiting_for_me=true", LISTS, headers=cookie, check='"code"'),
    ]
    facts = {"dossier_codes": len(codes), "dossier_year": year, "unit_member": member.user.username}
    return endpoints, facts


def task_requests(app: str) -> tuple[list[Endpoint], dict]:
    """The promotion pipeline and the follow-up of directions (issue 26): a board officer's page of
    the open pipeline, best scored first (the list target), the pipeline's figures as the board
    reads them, and the public's task figures of the last year with directions (over the published
    ones; cached until a task or a direction changes, or midnight)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from zonedesk.directions.models import Direction, Task
    from zonedesk.promotion.models import Prospect

    years = [d.year for d in Direction.objects.dates("date", "year")]
    year = max(years, default=timezone.localdate().year)
    officer = get_user_model().objects.filter(role="board", is_active=True).order_by("pk").first()
    if officer is None:
        raise SystemExit("bench: the database holds no board officer: run `zonedesk generate` first")
    cookie = {"Cookie": f"sessionid={officer_session(officer)}"}
    endpoints = [
        Endpoint("pipeline_list", f"{app}/api/v1/prospects?stage=open", LISTS, headers=cookie, check='"items"'),
        Endpoint("pipeline_figures", f"{app}/api/v1/prospects/figures", FIGURES, headers=cookie, check='"funnel"'),
        Endpoint("task_figures", f"{app}/api/v1/tasks/figures?year={year}", FIGURES, check='"whole"'),
    ]
    facts = {"task_year": year, "tasks": Task.objects.count(), "prospects": Prospect.objects.count()}
    return endpoints, facts


def choose_requests(app: str) -> tuple[list[Endpoint], dict]:
    """The URLs to measure, chosen from the data: the biggest zone, the last year with reports,
    a word of a project name written without accents, an agency with the most open petitions
    (a session of one of its officers), and a bbox around 100 parcels of the densest zone."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Max

    from zonedesk.core.models import Zone
    from zonedesk.core.text import fold
    from zonedesk.investment.models import PeriodicReport, Project
    from zonedesk.petitions.models import OPEN_STATUSES, Petition
    from zonedesk.planning import selectors

    zone = Zone.objects.annotate(n=Count("projects")).order_by("-n", "code").first()
    if zone is None:
        raise SystemExit("bench: the database holds no zone: run `zonedesk generate` first")
    year = PeriodicReport.objects.aggregate(y=Max("year"))["y"] or dt.date.today().year - 1
    name = Project.objects.filter(zone=zone).order_by("pk").values_list("name_vi", flat=True).first() or "a"
    word = max((w for w in fold(name).split() if w.isalpha()), key=len, default="a")
    busiest = (
        Petition.objects.filter(status__in=OPEN_STATUSES, lead_agency__isnull=False)
        .values("lead_agency")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    officer = get_user_model().objects.filter(role="agency", agency_id=busiest["lead_agency"], is_active=True).first()
    cookie = {"Cookie": f"sessionid={officer_session(officer)}"}

    # a bbox around ~100 parcels in force: the parcels of the zone with most of them, sorted
    # along x, the first 100 by distance from the zone's first parcel
    parcels = selectors.current_features("parcels")
    dense = parcels.values("zone").annotate(n=Count("pk")).order_by("-n").first()
    rows = list(parcels.filter(zone_id=dense["zone"]).values_list("minx", "miny", "maxx", "maxy"))
    x0, y0 = rows[0][0], rows[0][1]
    rows.sort(key=lambda r: (r[0] - x0) ** 2 + (r[1] - y0) ** 2)
    near = rows[:100]
    bbox = (
        min(r[0] for r in near),
        min(r[1] for r in near),
        max(r[2] for r in near),
        max(r[3] for r in near),
    )
    bbox_text = ",".join(f"{v:.7f}" for v in bbox)
    endpoints = [
        Endpoint("floor", f"{app}/api/v1/ping", None, check='"ok"'),
        Endpoint(
            "zone_figures",
            f"{app}/api/v1/zones/{zone.code}/figures?year={year}",
            FIGURES,
            check="registered_capital_vnd",
        ),
        Endpoint("national_figures", f"{app}/api/v1/figures?year={year}", FIGURES, check="registered_capital_vnd"),
        Endpoint(
            "project_search",
            f"{app}/api/v1/projects?zone={zone.code}&status=operating&q={word}",
            LISTS,
            check='"items"',
        ),
        Endpoint("agency_queue", f"{app}/api/v1/petitions?status=open", LISTS, headers=cookie, check='"items"'),
        Endpoint("petition_figures", f"{app}/api/v1/petitions/figures?year={year}", FIGURES, check="{"),
        Endpoint(
            "ogc_items",
            f"{app}/ogc/collections/parcels/items?bbox={bbox_text}&limit=100&f=json",
            LISTS,
            check='"FeatureCollection"',
        ),
        # the same with a new bbox every request: what a page costs when no cache holds it (for
        # the comparison with pygeoapi, which caches nothing)
        Endpoint(
            "ogc_items_uncached",
            f"{app}/ogc/collections/parcels/items?bbox={bbox_text}&limit=100&f=json",
            None,
            check='"FeatureCollection"',
            script=ROTATE,
        ),
    ]
    facts = {"zone": zone.code, "year": year, "search": word, "agency_officer": officer.username, "bbox": bbox}
    return endpoints, facts


# --- the peer -----------------------------------------------------------------------------

PEER_TABLE = "bench_peer_parcels"


def prepare_peer_table() -> int:
    """The parcels in force, with their public fields, in a PostGIS table with a GiST index:
    the same data pygeoapi's PostgreSQL provider serves."""
    from django.db import connection

    from zonedesk.planning import selectors

    ids = selectors.current_revision_ids("parcels")
    with connection.cursor() as c:
        c.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        c.execute(f"DROP TABLE IF EXISTS {PEER_TABLE}")
        c.execute(
            f"""CREATE TABLE {PEER_TABLE} AS
            SELECT z.code || '-' || p.code AS id, p.code, lu.code AS land_use, p.area_m2::float AS area_m2,
                   p.occupancy, z.code AS zone,
                   ST_SetSRID(ST_GeomFromGeoJSON(p.geometry), 4326)::geometry(Geometry, 4326) AS geom
            FROM planning_parcel p JOIN core_zone z ON z.id = p.zone_id
            JOIN planning_landuse lu ON lu.id = p.land_use_id
            WHERE p.revision_id = ANY(%s)""",
            [ids],
        )
        c.execute(f"ALTER TABLE {PEER_TABLE} ADD PRIMARY KEY (id)")
        c.execute(f"CREATE INDEX {PEER_TABLE}_geom ON {PEER_TABLE} USING gist (geom)")
        c.execute(f"ANALYZE {PEER_TABLE}")
        c.execute(f"SELECT count(*) FROM {PEER_TABLE}")
        return c.fetchone()[0]


def peer_config(folder: Path, port: int) -> Path:
    from django.conf import settings

    db = settings.DATABASES["default"]
    config = f"""server:
  bind: {{host: 127.0.0.1, port: {port}}}
  url: http://127.0.0.1:{port}
  mimetype: application/json; charset=UTF-8
  encoding: utf-8
  languages: [en-US]
  limits: {{default_items: 10, max_items: 1000}}
  map: {{url: "", attribution: ""}}
logging: {{level: ERROR}}
metadata:
  identification:
    title: peer
    description: bench peer
    keywords: [bench]
    keywords_type: theme
    terms_of_service: none
    url: http://127.0.0.1
  license: {{name: none, url: http://127.0.0.1}}
  provider: {{name: bench, url: http://127.0.0.1}}
  contact: {{name: bench, email: none@example.org}}
resources:
  parcels:
    type: collection
    title: parcels
    description: parcels in force
    keywords: [parcels]
    extents:
      spatial: {{bbox: [-180, -90, 180, 90], crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84}}
    providers:
      - type: feature
        name: PostgreSQL
        data:
          host: {db["HOST"] or "127.0.0.1"}
          port: {db["PORT"] or 5432}
          dbname: {db["NAME"]}
          user: {db["USER"]}
          password: "{db.get("PASSWORD") or ""}"
          search_path: [public]
        id_field: id
        table: {PEER_TABLE}
        geom_field: geom
"""
    path = folder / "pygeoapi.yml"
    path.write_text(config)
    return path


# --- servers ------------------------------------------------------------------------------


def start(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(cmd, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def worker_rss_mb(master: subprocess.Popen) -> list[float]:
    """Resident memory of each gunicorn worker (the children of the master), in MB."""
    out = subprocess.run(["ps", "-o", "pid=,rss=", "--ppid", str(master.pid)], capture_output=True, text=True).stdout
    return [int(line.split()[1]) / 1024 for line in out.splitlines() if line.strip()]


# --- measuring ----------------------------------------------------------------------------


def wrk(e: Endpoint, seconds: int) -> dict:
    """One run of wrk against an endpoint; the run fails (exit 1, naming the endpoint and the
    statuses) if any answer was not 2xx or any request got no answer: a figure is only worth
    something if every request it counts was served."""
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-s", str(e.script)]
    for k, v in {**ACCEPT, **e.headers}.items():
        cmd += ["-H", f"{k}: {v}"]
    env = dict(os.environ, ZONEDESK_BENCH_LUA=str(LUA))
    out = subprocess.run([*cmd, e.url], capture_output=True, text=True, check=True, env=env).stdout
    match = re.search(r"^WRK_JSON (.*)$", out, re.M)
    if not match:
        raise SystemExit(f"bench: no result from wrk for {e.name} ({e.url}):\n{out}")
    result = json.loads(match.group(1))
    unanswered = {kind: n for kind, n in result["errors"].items() if kind != "status" and n}
    result["error_count"] = result["non_2xx"] + sum(unanswered.values())
    if result["error_count"]:
        statuses = ", ".join(f"{status} × {n}" for status, n in sorted(result["statuses"].items()))
        raise SystemExit(
            f"bench: {e.name} did not answer 2xx to every request during the measurement ({e.url}): "
            f"{result['non_2xx']} of {result['requests']} answers not 2xx ({statuses or 'none'}), "
            f"requests without an answer: {unanswered or 'none'}"
        )
    return result


def summary(e: Endpoint) -> dict:
    med = lambda key: round(statistics.median(r[key] for r in e.runs), 3)  # noqa: E731
    row = {
        "name": e.name,
        "url": e.url,
        "rps": round(statistics.median(r["rps"] for r in e.runs), 1),
        "p50_ms": med("p50_ms"),
        "p99_ms": med("p99_ms"),
        "errors": sum(r["error_count"] for r in e.runs),
        "non_2xx": sum(r["non_2xx"] for r in e.runs),
        "ratio_to_floor": round(statistics.median(e.ratios), 3) if e.ratios else None,
        "rounds": len(e.runs),
    }
    if e.target:
        ratio, p99 = e.target
        row["target"] = {"ratio_to_floor": ratio, "p99_ms": p99}
        row["meets_target"] = bool(
            row["ratio_to_floor"] is not None
            and row["ratio_to_floor"] >= ratio
            and row["p99_ms"] <= p99
            and row["errors"] == 0
        )
    return row


def machine() -> dict:
    cpu = ""
    try:
        cpu = next(
            (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), ""
        )
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gib": round(mem, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "note": "shared machine: figures are medians of rounds, ratios taken in the same round",
    }


def cache_in_use() -> str:
    """Which cache the servers share (CACHE_URL): what every cached answer and every rate-limit
    count costs a request."""
    from django.conf import settings

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return {"RedisCache": "Redis", "LocMemCache": "each process's own memory", "DatabaseCache": "the database"}.get(
        backend, backend
    )


def markdown(result: dict) -> str:
    lines = [
        f"# Benchmark results ({result['scale']}, {result['finished_at']})",
        "",
        f"Machine: {result['machine']['cpus']} CPUs ({result['machine']['cpu_model']}), "
        f"{result['machine']['memory_gib']} GiB; {result['workers']} gunicorn workers each for the app and "
        f"the peer; the app's cache: {result.get('cache', '?')}; {CONNECTIONS} connections; "
        f"{result['rounds']} rounds of {result['seconds']} s. Every request answered 2xx (the run fails otherwise). "
        "Medians of the rounds; each ratio is taken against the floor of the same round.",
        "",
        "| endpoint | req/s | p50 ms | p99 ms | errors | ratio to floor | target | met |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for row in result["endpoints"]:
        target = row.get("target")
        target_text = f"≥ {target['ratio_to_floor']:.0%}, p99 ≤ {target['p99_ms']:.0f} ms" if target else ""
        met = {True: "yes", False: "**no**"}.get(row.get("meets_target"), "")
        ratio = f"{row['ratio_to_floor']:.2f}" if row["ratio_to_floor"] is not None else ""
        lines.append(
            f"| {row['name']} | {row['rps']:.0f} | {row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']} | "
            f"{ratio} | {target_text} | {met} |"
        )
    peer = result["peer"]
    cold, same = peer["uncached"], peer["same_url"]

    def times(ratio: float | None) -> str:
        return "no round served both" if ratio is None else f"{ratio:.2f}×"

    lines += [
        "",
        f"OGC items against pygeoapi {peer['version']} (same data, same server and worker count), without "
        f"caches (a new bbox every request): {times(peer['ratio'])} its throughput (target ≥ {PEER_RATIO}×; "
        f"ours {cold['ours_rps']:.0f} req/s, pygeoapi {cold['rps']:.0f} req/s, p99 {cold['p99_ms']:.1f} ms). "
        f"The same URL again and again (our cached answer): {times(same['ratio'])} "
        f"(ours {same['ours_rps']:.0f} req/s, pygeoapi {same['rps']:.0f} req/s).",
        f"Worker memory after the run: at most {result['worker_memory_mb']['max']:.0f} MB (target ≤ {MAX_WORKER_MB} MB).",
        f"Import: {result['import']['note']}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="national")
    parser.add_argument("--seconds", type=int, default=10, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers, for the app and for the peer")
    parser.add_argument("--peer-python", required=True, help="the Python of the venv where pygeoapi is installed")
    parser.add_argument("--out", default=str(RESULTS / "latest.json"))
    parser.add_argument("--import-rows", type=int, default=100_000, help="periodic-report rows of the import file")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("bench: wrk is not installed (Debian package wrk)")

    # one key for this process (which writes the officer's session) and the servers (which read it)
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(48))
    setup_django()
    from django.db import connections

    folder = Path(tempfile.mkdtemp(prefix="zonedesk-bench-"))
    app_port, peer_port = free_port(), free_port()
    app = f"http://127.0.0.1:{app_port}"
    peer = f"http://127.0.0.1:{peer_port}"
    raise_petition_limit()
    endpoints, facts = choose_requests(app)
    desk_endpoints, desk_facts = dossier_requests(app, folder)
    endpoints += desk_endpoints
    facts |= desk_facts
    task_endpoints, task_facts = task_requests(app)
    endpoints += task_endpoints
    facts |= task_facts
    peer_rows = prepare_peer_table()
    config = peer_config(folder, peer_port)
    connections.close_all()

    env = dict(os.environ, **PRODUCTION_ENV)
    gunicorn = [sys.executable, "-m", "gunicorn", "--workers", str(args.workers), "--worker-class", "sync"]
    gunicorn += ["--timeout", "60", "--graceful-timeout", "10"]
    app_proc = start(
        [*gunicorn, "--bind", f"127.0.0.1:{app_port}", "zonedesk.wsgi:application"], env, folder / "app.log"
    )
    openapi = folder / "openapi.yml"
    peer_env = dict(os.environ, PYGEOAPI_CONFIG=str(config), PYGEOAPI_OPENAPI=str(openapi))
    subprocess.run(
        [
            str(Path(args.peer_python).parent / "pygeoapi"),
            "openapi",
            "generate",
            str(config),
            "--output-file",
            str(openapi),
        ],
        env=peer_env,
        check=True,
        capture_output=True,
    )
    peer_gunicorn = [args.peer_python, "-m", "gunicorn", "--workers", str(args.workers), "--worker-class", "sync"]
    peer_proc = start(
        [*peer_gunicorn, "--bind", f"127.0.0.1:{peer_port}", "pygeoapi.flask_app:APP"], peer_env, folder / "peer.log"
    )
    peer_version = subprocess.run(
        [args.peer_python, "-c", "import pygeoapi; print(pygeoapi.__version__)"], capture_output=True, text=True
    ).stdout.strip()
    try:
        wait_ready(f"{app}/healthz")
        wait_ready(f"{peer}/collections/parcels?f=json")
        bbox = facts["bbox"]
        peer_url = f"{peer}/collections/parcels/items?bbox={','.join(f'{v:.7f}' for v in bbox)}&limit=100&f=json"
        peer_ep = Endpoint("pygeoapi_items", peer_url, None, check='"FeatureCollection"')
        peer_cold = Endpoint("pygeoapi_items_uncached", peer_url, None, check='"FeatureCollection"', script=ROTATE)
        # correctness first: every URL answers 200 with what it should, both OGC servers the same parcels
        answers = {}
        for e in [*endpoints, peer_ep, peer_cold]:
            status, body = fetch(e.url, e.headers)
            if status != 200 or e.check.encode() not in body:
                raise SystemExit(f"bench: {e.name} answered {status} ({e.url}): {body[:300]!r}")
            answers[e.name] = body
        ours = {f["id"] for f in json.loads(answers["ogc_items"])["features"]}
        theirs = {str(f["id"]) for f in json.loads(answers["pygeoapi_items"])["features"]}
        if ours != theirs:
            raise SystemExit(
                f"bench: the two OGC servers disagree on the parcels of the bbox ({len(ours)} vs {len(theirs)})"
            )
        facts["parcels_in_bbox"] = len(ours)
        for e in [*endpoints, peer_ep, peer_cold]:  # warm every worker's caches and connections
            wrk(e, min(2, args.seconds))

        floor = endpoints[0]
        ogc = next(e for e in endpoints if e.name == "ogc_items")
        ogc_cold = next(e for e in endpoints if e.name == "ogc_items_uncached")
        peer_ratios, cold_ratios = [], []
        for _round in range(args.rounds):
            base = wrk(floor, args.seconds)
            floor.runs.append(base)
            for e in endpoints[1:]:
                run = wrk(e, args.seconds)
                e.runs.append(run)
                if base["rps"]:  # a floor that served nothing in its seconds (a busy machine) divides nothing
                    e.ratios.append(run["rps"] / base["rps"])
            for peer_e, ours, ratios in ((peer_ep, ogc, peer_ratios), (peer_cold, ogc_cold, cold_ratios)):
                run = wrk(peer_e, args.seconds)
                peer_e.runs.append(run)
                if run["rps"]:  # pygeoapi served nothing in the round (the smoke run's 1 s on a busy machine)
                    ratios.append(ours.runs[-1]["rps"] / run["rps"])
            print(f"round {_round + 1}/{args.rounds} done", file=sys.stderr)
        memory = worker_rss_mb(app_proc)
    finally:
        stop(app_proc)
        stop(peer_proc)

    print("import of periodic reports from a spreadsheet ...", file=sys.stderr)
    imported = import_ratio(args.import_rows, args.rounds)
    peer_row, cold_row = summary(peer_ep), summary(peer_cold)
    result = {
        "scale": args.scale,
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "workers": args.workers,
        "cache": cache_in_use(),
        "connections": CONNECTIONS,
        "seconds": args.seconds,
        "rounds": args.rounds,
        "requests": facts,
        "endpoints": [summary(e) for e in endpoints],
        "peer": {
            "name": "pygeoapi",
            "version": peer_version,
            "rows": peer_rows,
            "rps": cold_row["rps"],
            "p50_ms": cold_row["p50_ms"],
            "p99_ms": cold_row["p99_ms"],
            "errors": cold_row["errors"] + peer_row["errors"],
            "ratio": round(statistics.median(cold_ratios), 3) if cold_ratios else None,
            "target_ratio": PEER_RATIO,
            "meets_target": statistics.median(cold_ratios) >= PEER_RATIO if cold_ratios else None,
            "measure": "uncached: every request a new bbox, for both servers (bench/lib/rotate.lua)",
            "uncached": {"ours_rps": summary(ogc_cold)["rps"], "rps": cold_row["rps"], "p99_ms": cold_row["p99_ms"]},
            "same_url": {
                "ours_rps": summary(ogc)["rps"],
                "rps": peer_row["rps"],
                "p99_ms": peer_row["p99_ms"],
                "ratio": round(statistics.median(peer_ratios), 3) if peer_ratios else None,
            },
        },
        "worker_memory_mb": {
            "each": [round(m, 1) for m in memory],
            "max": round(max(memory, default=0), 1),
            "target": MAX_WORKER_MB,
        },
        "import": imported,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
