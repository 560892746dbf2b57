# shellcheck shell=bash
# Shared helpers for scripts/start and scripts/test. Source it, don't run it.

ZD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ZD_VENV="$ZD_ROOT/.venv"

# Run a command as root: directly when we are root, else through sudo.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Install Debian packages without questions (works with no stdin, as in CI).
apt_install() {
    as_root apt-get update -q
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

# ensure_venv [EXTRAS]: make .venv (Python 3.11) and `pip install -e .[EXTRAS]` into it.
# The install is skipped when a stamp file says it was already done for this exact
# pyproject.toml; an install with extras also counts as a plain install.
ensure_venv() {
    local extras="${1:-}" python="${PYTHON:-python3.11}"
    if [ ! -e "$ZD_VENV/bin/python" ]; then
        command -v "$python" >/dev/null || python=python3
        echo "==> creating $ZD_VENV with $("$python" --version)"
        "$python" -m venv "$ZD_VENV"
    elif ! "$ZD_VENV/bin/python" -c '' 2>/dev/null; then
        echo "error: $ZD_VENV/bin/python does not run; delete $ZD_VENV and try again" >&2
        return 1
    fi
    local hash stamp="$ZD_VENV/.zonedesk-installed${extras:+-$extras}"
    hash="$(sha256sum "$ZD_ROOT/pyproject.toml" | cut -d' ' -f1)"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$hash" ]; then
        echo "==> pip install -e '.${extras:+[$extras]}'"
        "$ZD_VENV/bin/python" -m pip install -q --disable-pip-version-check \
            -e "$ZD_ROOT${extras:+[$extras]}"
        echo "$hash" > "$stamp"
        echo "$hash" > "$ZD_VENV/.zonedesk-installed"
    fi
}
