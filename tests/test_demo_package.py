"""The demo and the benchmark data live in their own package (`zonedesk_demo`), shipped with the
rest by `pip install .`; the apps and core import nothing from it, and the scale generator's
modules import one another without a circle."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src"


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at the top or inside a function (relative imports resolved)."""
    package = ".".join(path.relative_to(SRC).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def test_pip_install_ships_the_demo_and_its_commands():
    """`pip install .` ships the packages setuptools finds as pyproject.toml tells it to
    ([tool.setuptools.packages.find]): the demo package, its commands and the scale generator are
    among them, and no demo module is left in the platform's packages. (Read with the venv's own
    setuptools, offline: a wheel built in the test would need a build backend from the registry.)"""
    import sys
    import tomllib

    if sys.version_info >= (3, 12):  # its venvs come without setuptools: the Python 3.11 run proves this
        pytest.importorskip("setuptools", reason="a venv of Python 3.12 has no setuptools (the 3.11 run reads it)")
    from setuptools import find_packages

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    find = config["tool"]["setuptools"]["packages"]["find"]
    where = ROOT / find.get("where", ["."])[0]
    packages = set(find_packages(where=str(where), include=find.get("include", ["*"]), exclude=find.get("exclude", ())))
    assert {"zonedesk_demo", "zonedesk_demo.management.commands", "zonedesk_demo.scale", "zonedesk"} <= packages
    shipped = {
        str(path.relative_to(where)).replace("\\", "/")
        for package in packages
        for path in (where / package.replace(".", "/")).glob("*.py")
    }
    for path in (
        "zonedesk_demo/build.py",
        "zonedesk_demo/investment.py",
        "zonedesk_demo/corpus.py",
        "zonedesk_demo/management/commands/demo.py",
        "zonedesk_demo/management/commands/up.py",
        "zonedesk_demo/management/commands/generate.py",
        "zonedesk_demo/scale/generate.py",
        "zonedesk_demo/scale/load.py",
    ):
        assert path in shipped, path
    assert not [n for n in shipped if n.startswith("zonedesk/") and ("/demo" in n or "/scale/" in n)]


def _demo(name: str) -> bool:
    """The demo package, or a demo module or the scale generator where they were in the apps."""
    parts = name.split(".")
    return parts[0] == "zonedesk_demo" or parts[-1].startswith("demo") or parts[:2] == ["zonedesk", "scale"]


def test_no_app_and_not_core_imports_the_demo():
    offenders = [
        f"{path.relative_to(SRC)}: {name}"
        for path in sorted((SRC / "zonedesk").rglob("*.py"))
        for name in sorted(_imports(path))
        if _demo(name)
    ]
    assert offenders == []


def test_the_scale_generator_has_no_import_circle():
    package = SRC / "zonedesk_demo" / "scale"
    modules = {f"zonedesk_demo.scale.{p.stem}": p for p in package.glob("*.py") if p.stem != "__init__"}
    arrows = {name: {m for m in _imports(path) if m in modules and m != name} for name, path in modules.items()}
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " -> ".join([*path, name])
        if name in done:
            return
        for other in arrows[name]:
            visit(other, (*path, name))
        done.add(name)

    for name in sorted(modules):
        visit(name, ())
    assert "zonedesk_demo.scale.histories" in arrows["zonedesk_demo.scale.generate"]  # the generator runs them


@pytest.mark.django_db
def test_the_login_page_names_the_demo_accounts_and_their_password_in_demo_mode(client, settings):
    """What the demo's accounts are built with is what the login page prints (the password now
    lives in the settings, not in the demo package the page may not import)."""
    from zonedesk.core.models import Role, User
    from zonedesk_demo.investment import DEMO_PASSWORD

    user = User(username="bql", role=Role.BOARD, is_demo=True)
    user.set_password(DEMO_PASSWORD)
    user.save()
    settings.DEMO_MODE = True
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "bql" in page and f"<code>{DEMO_PASSWORD}</code>" in page
    assert client.login(username="bql", password=DEMO_PASSWORD)
    client.logout()
    settings.DEMO_MODE = False
    assert DEMO_PASSWORD not in client.get("/login/").content.decode()
