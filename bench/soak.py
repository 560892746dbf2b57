"""The soak of issue 8: mixed traffic of every role against a running ZoneDesk, for minutes on end.

    bench/soak.py --base http://127.0.0.1:PORT --fixture F.json --password P
                  --process app=PID --process worker=PID [--minutes 10] [--warmup 120]
                  [--out bench/results/soak]

bench/soak starts the installation (production settings) and calls this. Nine virtual users
(three visitors, two enterprises, an agency officer, a board officer, a leader and an admin),
each in its own thread, log in as a person does (password, then the authenticator's code for
the roles that need one), then pick actions at random by weight, one after the other: the
public pages, the plan map, open data, the OGC API, the public API and public petitions; the
enterprise portal, petitions to the city and corrections of reports; the agency's queue and
petitions; the board's dashboard, report, audit trail, imports, exports and new projects; the
leader's dashboards; the admin. Before the clock starts each action is tried once and must
answer what it should (a soak of 404s proves nothing).

It counts every answer: an error is a 5xx, an answer other than the action's, or no answer
(refused connection, timeout). Every 5 s it reads the resident memory (/proc) of each process
named with --process and of its children (the gunicorn workers) and reports its growth from the
end of the warm-up and in the second half of the measured time; the verdict is the second
half's (under GROWTH_LIMIT_PCT): a worker may load a library at its first call of a page minutes
after the warm-up (see memory_table), a leak goes on growing. A gunicorn worker that was
replaced (crashed, timed out) is reported. The results go to OUT.json and OUT.md. Exit 1 if
there was an error, 3 if there was none but a process grew too much.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from cluster_check import Browser  # noqa: E402 - the cluster proof's browser: cookies, CSRF, login

SAMPLE_SECONDS = 5


@dataclass
class Action:
    role: str  # the account's username, or "public"
    weight: int
    name: str
    run: object  # callable(Browser, Soak) -> (status, expected statuses)


@dataclass
class Tally:
    count: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: int = 0
    times: list = field(default_factory=list)


def get(path: str, expected=(200,)):
    def run(browser: Browser, soak: Soak):
        status, _body = browser.request(soak.base, path() if callable(path) else path)
        return status, expected

    return run


def post_json(path, payload, expected=(201,)):
    def run(browser: Browser, soak: Soak):
        status, _body = browser.post_json(soak.base, path, payload())
        return status, expected

    return run


class Soak:
    def __init__(self, args: argparse.Namespace) -> None:
        self.base = args.base
        self.fixture = json.loads(Path(args.fixture).read_text())
        self.password = args.password
        self.lock = threading.Lock()
        self.tallies: dict[str, Tally] = defaultdict(Tally)
        self.error_examples: list[str] = []
        self.measuring = False
        self.stop = threading.Event()
        self.sequence = 0
        self.reports = {u: list(ids) for u, ids in self.fixture["reports"].items()}

    # -- what each role does ---------------------------------------------------------------

    def next_number(self) -> int:
        with self.lock:
            self.sequence += 1
            return self.sequence

    def pick(self, items: list[str]) -> str:
        return random.choice(items)  # noqa: S311 - traffic, not secrets

    def actions(self) -> list[Action]:
        f = self.fixture
        zone = f["zone"]
        project = lambda: urllib.parse.quote(self.pick(f["projects"]))  # noqa: E731
        dataset = lambda: self.pick(f["datasets"])  # noqa: E731
        collection = lambda: self.pick(f["collections"])  # noqa: E731
        words = ["cong nghe", "đất", "thuế", "Hòa Lạc", "phan mem", "điện"]
        word = lambda: urllib.parse.quote(self.pick(words))  # noqa: E731

        def public_petition():
            n = self.next_number()
            return {
                "zone": zone,
                "title": f"Đề nghị số {n} về chiếu sáng đường nội khu",
                "body": "Đèn đường trên trục chính tắt từ 22 giờ, đề nghị kiểm tra.",
                "category": "infrastructure",
                "petitioner_name": f"Người dân {n}",
                "petitioner_email": f"soak{n}@example.invalid",
                "petitioner_phone": f"09{n:08d}"[-10:],
                "consent_version": 1,  # the privacy notice of a fresh installation, agreed to
            }

        def enterprise_petition():
            n = self.next_number()
            return {
                "zone": zone,
                "title": f"Kiến nghị {n}: thủ tục cấp giấy phép lao động",
                "body": "Doanh nghiệp đề nghị hướng dẫn hồ sơ cấp giấy phép lao động cho chuyên gia.",
                "category": "labour",
            }

        def correction(username):
            def run(browser: Browser, soak: Soak):
                with self.lock:
                    ids = self.reports[username]
                    index = random.randrange(len(ids))  # noqa: S311
                    report, version = ids[index]
                n = self.next_number()
                status, body = browser.post_json(
                    self.base,
                    f"/api/v1/reports/{report}/corrections",
                    {
                        # a figure no rule ties to another (the workers with a degree must not
                        # outnumber the workers: a head count could be refused), new every time
                        "figures": {"revenue_vnd": 1_000_000_000 + n * 1_000},
                        "reason": f"Soát lại doanh thu, lần {n}",
                        "version": version,  # the version corrected (one virtual user a company: never stale)
                    },
                )
                if status == 201:
                    with self.lock:  # the correction is now the report's current version
                        self.reports[username][index] = [body["id"], body["version"]]
                return status, (201,)

            return run

        def new_project():
            n = self.next_number()
            return {
                "code": f"SOAK-{os.getpid()}-{n:06d}",
                "name_vi": f"Dự án thử tải {n}",
                "enterprise": f["enterprise"],
                "sector": "software",
                "shares": [{"investor": f["investor"], "capital_vnd": 10_000_000_000}],
                "registered_capital_vnd": 10_000_000_000,
                "certificate_date": "2026-06-01",
            }

        agency_petition = lambda: urllib.parse.quote(self.pick(f["agency_petitions"]))  # noqa: E731
        board_petition = lambda: urllib.parse.quote(self.pick(f["board_petitions"]))  # noqa: E731
        a = Action
        return [
            # visitors
            a("public", 10, "home", get("/")),
            a("public", 6, "project list", get("/projects/")),
            a("public", 4, "project search", get(lambda: f"/projects/?q={word()}")),
            a("public", 6, "project page", get(lambda: f"/projects/{project()}/")),
            a("public", 4, "planning map", get(f"/planning/?zone={zone}")),
            a("public", 6, "planning map data", get(f"/planning/map.json?zone={zone}")),
            a("public", 3, "public answers search", get(lambda: f"/answers/?q={word()}")),
            a("public", 2, "petition form", get("/petitions/new/")),
            a("public", 2, "open data catalogue", get("/open-data/")),
            a("public", 3, "open dataset", get(lambda: f"/open-data/{dataset()}.{self.pick(['csv', 'json'])}")),
            a("public", 3, "OGC items", get(lambda: f"/ogc/collections/{collection()}/items?f=json&limit=50")),
            a("public", 4, "API projects", get("/api/v1/projects?limit=20")),
            a("public", 3, "API figures", get("/api/v1/figures")),
            a("public", 2, "API published petitions", get("/api/v1/petitions/published")),
            a("public", 2, "ecosystem scorecard", get("/ecosystem/")),
            a("public", 1, "public petition (API)", post_json("/api/v1/petitions", public_petition)),
            # enterprises
            *(
                x
                for u in ("fpt", "hanwha")
                for x in (
                    a(u, 6, "portal", get("/portal/")),
                    a(u, 4, "portal petitions", get("/portal/petitions/")),
                    a(u, 3, "inbox", get("/inbox/")),
                    a(u, 4, "API own reports", get("/api/v1/reports")),
                    a(u, 3, "project list", get("/projects/")),
                    a(u, 1, "petition to the city (API)", post_json("/api/v1/petitions", enterprise_petition)),
                    a(u, 1, "report correction (API)", correction(u)),
                )
            ),
            # the agency officer
            a("thue", 6, "petition queue", get("/petitions/")),
            a("thue", 6, "petition page", get(lambda: f"/petitions/{agency_petition()}/")),
            a("thue", 3, "API petitions", get("/api/v1/petitions")),
            a("thue", 2, "inbox", get("/inbox/")),
            # the board officer
            a("bql", 5, "dashboard", get("/dashboard/")),
            a("bql", 3, "board report", get("/reports/board/")),
            a("bql", 5, "petition queue", get("/petitions/")),
            a("bql", 4, "petition page", get(lambda: f"/petitions/{board_petition()}/")),
            a("bql", 2, "audit search", get(lambda: f"/audit/?q={word()}")),
            a("bql", 2, "imports", get("/imports/")),
            a("bql", 1, "projects export (XLSX)", get("/imports/export/projects.xlsx")),
            a("bql", 2, "roadmaps", get("/roadmaps/")),
            a("bql", 2, "conferences", get("/conferences/")),
            a("bql", 1, "new project (API)", post_json("/api/v1/projects", new_project)),
            # the leader
            a("lanhdao", 5, "dashboard", get("/dashboard/")),
            a("lanhdao", 3, "board report", get("/reports/board/")),
            a("lanhdao", 3, "ecosystem scorecard", get("/ecosystem/")),
            a("lanhdao", 2, "roadmaps needing attention", get("/roadmaps/attention/")),
            # the admin
            a("admin", 3, "admin", get("/admin/")),
            a("admin", 3, "admin users", get("/admin/core/user/")),
            a("admin", 2, "admin projects", get("/admin/investment/project/")),
            a("admin", 2, "audit trail", get("/audit/")),
        ]

    # -- running ---------------------------------------------------------------------------

    def login_all(self) -> dict[str, Browser]:
        browsers = {"public": Browser()}
        accounts = self.fixture["accounts"]
        for username, account in accounts.items():
            browser = Browser()
            for attempt in range(3):  # a code is accepted once: two logins in one 30 s step wait
                try:
                    browser.login(self.base, username, self.password, account["totp_key"])
                    break
                except AssertionError:
                    if attempt == 2:
                        raise
                    time.sleep(31 - time.time() % 30)
            browsers[username] = browser
        return browsers

    def call(self, browser: Browser, action: Action) -> None:
        started = time.perf_counter()
        try:
            status, expected = action.run(browser, self)
            ok = status in expected
            label = str(status)
        except (urllib.error.URLError, OSError, ValueError, http.client.HTTPException) as exc:  # no (whole) answer
            ok, label = False, type(exc).__name__
        took = time.perf_counter() - started
        key = f"{action.role}: {action.name}"
        with self.lock:
            if not self.measuring:
                return
            tally = self.tallies[key]
            tally.count += 1
            tally.statuses[label] += 1
            tally.times.append(took)
            if not ok:
                tally.errors += 1
                if len(self.error_examples) < 30:
                    self.error_examples.append(f"{key}: {label}")

    def check(self, browsers: dict[str, Browser], actions: list[Action]) -> list[str]:
        wrong = []
        for action in actions:
            status, expected = action.run(browsers[action.role], self)
            if status not in expected:
                wrong.append(f"{action.role}: {action.name} answered {status}, not {expected}")
        return wrong

    def user(self, browser: Browser, actions: list[Action]) -> None:
        weights = [a.weight for a in actions]
        while not self.stop.is_set():
            self.call(browser, random.choices(actions, weights)[0])  # noqa: S311


def rss_kb(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def sample(processes: dict[str, int]) -> dict[str, int]:
    """RSS in kB of each named process and of each of its children (`app/worker 1234`)."""
    out = {}
    for name, pid in processes.items():
        if (kb := rss_kb(pid)) is not None:
            out[name] = kb
        for child in children(pid):
            if (kb := rss_kb(child)) is not None:
                out[f"{name}/child {child}"] = kb
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


GROWTH_LIMIT_PCT = 5  # in the second half of the measured time


def memory_table(samples: list[tuple[float, dict[str, int]]], warmup: float) -> list[dict]:
    """Each process's resident memory: after the warm-up, at half time, at the end; the growth
    that counts is the second half's.

    A gunicorn worker loads some of what it serves at its first call of it: scikit-learn and the
    petitions' suggestion model (about 120 MB) at its first triage page. gunicorn gives the
    visitors' keep-alive connections to whichever worker accepts first, so the other may serve its
    first triage page minutes after the warm-up: that is a load, not a leak. A leak goes on
    growing; the second half of the measured time shows it, whatever was loaded in the first."""
    names = sorted({n for _t, s in samples for n in s})
    end_t = samples[-1][0] if samples else 0.0
    half_t = warmup + (end_t - warmup) / 2
    rows = []
    for name in names:
        series = [(t, s[name]) for t, s in samples if name in s]
        after = [(t, kb) for t, kb in series if t >= warmup] or series
        second = [(t, kb) for t, kb in after if t >= half_t] or after[-1:]
        base, half, end = after[0][1], second[0][1], after[-1][1]
        rows.append(
            {
                "process": name,
                "first_mb": round(series[0][1] / 1024, 1),
                "after_warmup_mb": round(base / 1024, 1),
                "half_time_mb": round(half / 1024, 1),
                "end_mb": round(end / 1024, 1),
                "max_mb": round(max(kb for _t, kb in series) / 1024, 1),
                "growth_after_warmup_pct": round(100 * (end - base) / base, 1),
                "growth_second_half_pct": round(100 * (end - half) / half, 1),
                "each_minute_mb": [round(kb / 1024, 1) for t, kb in series if int(t) % 60 < SAMPLE_SECONDS],
                "alive_at_end": series[-1][0] >= samples[-1][0],
            }
        )
    return rows


def markdown(result: dict) -> str:
    lines = [
        "# Soak (issue 8)",
        "",
        f"{result['started']}, {result['minutes']} minutes of traffic after a {result['warmup_s']} s warm-up "
        f"(the warm-up's answers are not counted), {result['users']} virtual users, against "
        f"{result['setup']}. Machine: {result['machine']}.",
        "",
        f"**{result['requests']} requests served, {result['errors']} errors** "
        f"({result['requests_per_s']} requests/s; median {result['median_ms']} ms, p99 {result['p99_ms']} ms).",
        "",
        "| process | RSS after warm-up (MB) | at half time (MB) | at the end (MB) | max (MB) | growth after warm-up "
        "| growth in the second half |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in result["memory"]:
        alive = "" if row["alive_at_end"] else " (gone before the end)"
        lines.append(
            f"| {row['process']}{alive} | {row['after_warmup_mb']} | {row['half_time_mb']} | {row['end_mb']} | "
            f"{row['max_mb']} | {row['growth_after_warmup_pct']:+.1f}% | {row['growth_second_half_pct']:+.1f}% |"
        )
    lines += [
        "",
        "| role: action | requests | errors | answers | median ms | p99 ms |",
        "|---|---:|---:|---|---:|---:|",
    ]
    for key, row in sorted(result["actions"].items()):
        answers = ", ".join(f"{k}×{v}" for k, v in sorted(row["statuses"].items()))
        lines.append(
            f"| {key} | {row['requests']} | {row['errors']} | {answers} | {row['median_ms']} | {row['p99_ms']} |"
        )
    if result["error_examples"]:
        lines += ["", "Errors (first ones):", ""] + [f"- {e}" for e in result["error_examples"]]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--fixture", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--process", action="append", default=[], help="NAME=PID, repeated")
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--warmup", type=float, default=120, help="seconds of traffic before counting")
    parser.add_argument("--setup", default="", help="what runs, for the report")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "soak"))
    args = parser.parse_args()
    processes = {n: int(p) for n, p in (x.split("=", 1) for x in args.process)}

    soak = Soak(args)
    browsers = soak.login_all()
    actions = soak.actions()
    wrong = soak.check(browsers, actions)
    if wrong:
        print("bench/soak.py: some actions do not answer what they should:\n  " + "\n  ".join(wrong), file=sys.stderr)
        return 2
    by_role = defaultdict(list)
    for action in actions:
        by_role[action.role].append(action)
    users = [("public", 3)] + [(u, 1) for u in soak.fixture["accounts"]]
    threads = [
        threading.Thread(target=soak.user, args=(browsers[role], by_role[role]), daemon=True)
        for role, n in users
        for _ in range(n)
    ]
    started_text = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    t0 = time.monotonic()
    for thread in threads:
        thread.start()
    samples: list[tuple[float, dict[str, int]]] = []
    total = args.warmup + 60 * args.minutes
    next_print = 0.0
    while (elapsed := time.monotonic() - t0) < total:
        if elapsed >= args.warmup and not soak.measuring:
            with soak.lock:
                soak.measuring = True
                measured_from = time.monotonic()
        samples.append((elapsed, sample(processes)))
        if elapsed >= next_print:
            with soak.lock:
                done = sum(t.count for t in soak.tallies.values())
                errors = sum(t.errors for t in soak.tallies.values())
            rss = ", ".join(f"{n} {kb / 1024:.0f} MB" for n, kb in samples[-1][1].items())
            print(f"  {elapsed:5.0f} s  {done} requests counted, {errors} errors; {rss}", flush=True)
            next_print += 60
        time.sleep(SAMPLE_SECONDS)
    with soak.lock:
        soak.measuring = False
        measured = time.monotonic() - measured_from
    soak.stop.set()
    for thread in threads:
        thread.join(timeout=30)
    samples.append((time.monotonic() - t0, sample(processes)))

    times = [x for t in soak.tallies.values() for x in t.times]
    requests = sum(t.count for t in soak.tallies.values())
    result = {
        "started": started_text,
        "minutes": args.minutes,
        "warmup_s": args.warmup,
        "users": len(threads),
        "setup": args.setup,
        "machine": f"{os.cpu_count()} cores, {round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB",
        "requests": requests,
        "errors": sum(t.errors for t in soak.tallies.values()),
        "requests_per_s": round(requests / measured, 1),
        "median_ms": round(1000 * statistics.median(times), 1) if times else 0,
        "p99_ms": round(1000 * percentile(times, 0.99), 1),
        "memory": memory_table(samples, args.warmup),
        "actions": {
            key: {
                "requests": t.count,
                "errors": t.errors,
                "statuses": dict(t.statuses),
                "median_ms": round(1000 * statistics.median(t.times), 1) if t.times else 0,
                "p99_ms": round(1000 * percentile(t.times, 0.99), 1),
            }
            for key, t in soak.tallies.items()
        },
        "error_examples": soak.error_examples,
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    out.with_suffix(".md").write_text(markdown(result))
    print(markdown(result))
    grew = [r["process"] for r in result["memory"] if r["growth_second_half_pct"] >= GROWTH_LIMIT_PCT]
    print(
        f"bench/soak.py: {requests} requests, {result['errors']} errors; "
        + (
            f"memory grew {GROWTH_LIMIT_PCT}% or more in the second half: {', '.join(grew)}"
            if grew
            else f"every process grew less than {GROWTH_LIMIT_PCT}% in the second half"
        )
    )
    return 1 if result["errors"] else 3 if grew else 0  # 3: only memory (bench/soak says so)


if __name__ == "__main__":
    sys.exit(main())
