# shellcheck shell=bash
# Shared helpers for scripts/start, scripts/test and scripts/cluster. Source it, don't run it.

ZD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ZD_VENV="${ZD_VENV:-$ZD_ROOT/.venv}"   # another venv for a try: ZD_VENV=/tmp/v scripts/test

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install Debian packages without questions (works with no stdin, as in CI).
apt_install() {
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# ensure_venv [EXTRAS]: make $ZD_VENV (.venv; Python 3.11, or $PYTHON) and install into it the lock file
# requirements/base.txt (no extras) or requirements/EXTRAS.txt (e.g. test): every package at the
# version pinned there, its files checked against their hashes; then the project itself,
# `pip install --no-deps -e .` (scripts/lock writes the lock files from pyproject.toml). The
# install is skipped when a stamp file says it was already done for this exact pyproject.toml and
# lock file; an install with extras also counts as a plain install. A lock file that does not
# satisfy pyproject.toml (a dependency added or its range changed without scripts/lock) is an error.
ensure_venv() {
    local extras="${1:-}" python="${PYTHON:-python3.11}"
    local lock="$ZD_ROOT/requirements/${extras:-base}.txt"
    if [ ! -e "$ZD_VENV/bin/python" ]; then
        command -v "$python" >/dev/null || python=python3
        echo "==> creating $ZD_VENV with $("$python" --version)"
        "$python" -m venv "$ZD_VENV"
    elif ! "$ZD_VENV/bin/python" -c '' 2>/dev/null; then
        echo "error: $ZD_VENV/bin/python does not run; delete $ZD_VENV and try again" >&2
        return 1
    fi
    local hash stamp="$ZD_VENV/.zonedesk-installed${extras:+-$extras}"
    hash="$(cat "$ZD_ROOT/pyproject.toml" "$lock" | sha256sum | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
        check_lock "$lock" "$extras" || return 1
        echo "==> pip install -r ${lock#"$ZD_ROOT"/} (hashes checked), then -e . without dependencies"
        "$ZD_VENV/bin/python" -m pip install -q --disable-pip-version-check --require-hashes -r "$lock"
        "$ZD_VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e "$ZD_ROOT"
        echo "$hash" > "$stamp"
        [ -z "$extras" ] || cat "$ZD_ROOT/pyproject.toml" "$ZD_ROOT/requirements/base.txt" | sha256sum \
            | cut -d' ' -f1 > "$ZD_VENV/.zonedesk-installed"
    fi
}

# find_python312: print the path of a Python 3.12 (on the PATH, else pyenv's), or fail. The
# PostgreSQL run of scripts/test uses it for coverage (sys.monitoring, Python 3.12 and newer).
find_python312() {
    local candidate
    for candidate in python3.12 "$(pyenv root 2>/dev/null)"/versions/3.12*/bin/python3.12; do
        if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
            command -v "$candidate"
            return 0
        fi
    done
    return 1
}

# check_lock LOCK [EXTRAS]: whether every dependency of pyproject.toml (and of its EXTRAS) is
# pinned in LOCK at a version inside its range; if not, say which and that scripts/lock is due.
check_lock() {
    "$ZD_VENV/bin/python" - "$ZD_ROOT/pyproject.toml" "$@" <<'PY'
import re, sys, tomllib
try:
    from packaging.requirements import Requirement
except ImportError:  # a new venv: pip's own copy
    from pip._vendor.packaging.requirements import Requirement
pyproject, lock, extras = sys.argv[1], sys.argv[2], sys.argv[3:]
project = tomllib.load(open(pyproject, "rb"))["project"]
wanted = list(project["dependencies"])
for extra in filter(None, extras):
    wanted += project["optional-dependencies"][extra]
def name(text):
    return re.sub(r"[-_.]+", "-", text).lower()
try:
    pins = dict(
        (name(m[1]), m[2])
        for m in re.finditer(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", open(lock).read(), re.M)
    )
except FileNotFoundError:
    sys.exit(f"error: no lock file {lock}: run scripts/lock")
problems = []
for text in wanted:
    req = Requirement(text)
    pin = pins.get(name(req.name))
    if pin is None:
        problems.append(f"{req.name} is not in the lock")
    elif not req.specifier.contains(pin, prereleases=True):
        problems.append(f"{req.name}=={pin} in the lock is outside {req.specifier}")
if problems:
    sys.exit(f"error: {lock} does not match pyproject.toml ({'; '.join(problems)}): run scripts/lock")
PY
}

# free_port: a TCP port of 127.0.0.1 that nothing listens on now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- throwaway PostgreSQL server (scripts/test, scripts/cluster) ----------------------------
# As root, its files belong to (and it runs as) the `postgres` system user, since initdb
# refuses to run as root.

find_pg_bin() {  # newest /usr/lib/postgresql/N/bin holding initdb, or nothing
    local initdb
    initdb="$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n1)"
    [ -x "$initdb" ] && dirname "$initdb" || true
}

# ensure_pg_bin: set PG_BIN, installing Debian's PostgreSQL if no server is installed.
ensure_pg_bin() {
    PG_BIN="$(find_pg_bin)"
    if [ -z "$PG_BIN" ]; then
        apt_install postgresql
        as_root service postgresql stop >/dev/null 2>&1 || true   # not the package's own cluster
        PG_BIN="$(find_pg_bin)"
    fi
    if [ "$(id -u)" -eq 0 ]; then
        id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    fi
}

as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# pg_start DIR: a new server in DIR (data dir, log and unix socket; DIR must not exist yet)
# on 127.0.0.1:$PG_PORT, with trust authentication for the user `postgres`. Needs PG_BIN.
pg_start() {
    local dir="$1"
    mkdir "$dir"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    PG_PORT="$(free_port)"
    (
        cd "$dir"   # the postgres user may not be allowed into the current directory
        as_pg "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 --no-sync >"$dir/initdb.log"
        # Loopback only, socket in DIR; durability off, as the data is thrown away.
        as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null
    ) || { cat "$dir"/*.log >&2 || true; echo "PostgreSQL did not start" >&2; return 1; }
}

# pg_stop DIR: stop the server pg_start started in DIR, if it runs.
pg_stop() {
    local dir="$1"
    if [ -f "$dir/data/postmaster.pid" ]; then
        (cd "$dir" && as_pg "$PG_BIN/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null) || true
    fi
}

# ensure_bench_tools: what bench/run needs besides PostgreSQL and Redis: wrk and PostGIS (for
# the pygeoapi peer's table), from Debian. Needs PG_BIN (ensure_pg_bin).
ensure_bench_tools() {
    local pg_major packages=()
    pg_major="$(basename "$(dirname "$PG_BIN")")"
    command -v wrk >/dev/null || packages+=(wrk)
    [ -e "/usr/share/postgresql/$pg_major/extension/postgis.control" ] || packages+=("postgresql-$pg_major-postgis-3")
    [ ${#packages[@]} -eq 0 ] || apt_install "${packages[@]}"
}

# --- throwaway Redis server (scripts/cluster) -------------------------------------------------

find_redis_server() {  # redis-server on the PATH or Debian's, or nothing
    command -v redis-server || { [ -x /usr/bin/redis-server ] && echo /usr/bin/redis-server; } || true
}

# ensure_redis_server: set REDIS_SERVER, installing Debian's redis-server if missing.
ensure_redis_server() {
    REDIS_SERVER="$(find_redis_server)"
    if [ -z "$REDIS_SERVER" ]; then
        apt_install redis-server
        as_root service redis-server stop >/dev/null 2>&1 || true   # not the package's own server
        REDIS_SERVER="$(find_redis_server)"
    fi
}

# redis_start DIR: a Redis on 127.0.0.1:$REDIS_PORT, working in DIR (created), no persistence.
redis_start() {
    local dir="$1"
    mkdir -p "$dir"
    REDIS_PORT="$(free_port)"
    "$REDIS_SERVER" --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" --save '' --appendonly no \
        --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
        || { cat "$dir/redis.log" >&2 || true; echo "Redis did not start" >&2; return 1; }
    for _ in $(seq 100); do   # answers PING within 10 s
        python3 - "$REDIS_PORT" <<'PY' && return 0
import socket, sys
try:
    with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2) as s:
        s.sendall(b"PING\r\n")
        sys.exit(0 if s.recv(16).startswith(b"+PONG") else 1)
except OSError:
    sys.exit(1)
PY
        sleep 0.1
    done
    cat "$dir/redis.log" >&2 || true
    echo "Redis did not answer on port $REDIS_PORT" >&2
    return 1
}

# redis_stop DIR: stop the server redis_start started in DIR, if it runs.
redis_stop() {
    local dir="$1" pid
    pid="$(cat "$dir/redis.pid" 2>/dev/null)" || return 0
    kill "$pid" 2>/dev/null || return 0
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
}
