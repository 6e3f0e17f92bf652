#!/usr/bin/env python3
"""Django's command-line utility, which also bootstraps a fresh checkout.

Run with any Python 3.11+: outside `.venv` it creates `.venv`, installs the
pinned versions of requirements/lock.txt (runtime + the `demo` and `dev`
extras: the embedded PostgreSQL, pytest, Playwright; again whenever the lock
or pyproject.toml changes) and re-runs itself inside the virtual environment.
That is what lets the README promise two commands on a machine that has
nothing but Python. A server never bootstraps: with DEBUG off (its
environment or .env says DEBUG=0) manage.py runs in whatever Python started
it, and the server installs requirements/runtime.txt itself
(docs/operations.md).
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".install-sha256"
LOCK = ROOT / "requirements" / "lock.txt"
# The extras a developer machine needs for `demo` and `test` (pyproject.toml).
DEVELOPER_EXTRAS = "dev,demo"


def _install_digest() -> str:
    digest = hashlib.sha256()
    for path in (ROOT / "pyproject.toml", LOCK):
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()


def _pip(*args: str) -> None:
    subprocess.check_call([str(VENV_PYTHON), "-m", "pip", "install", "--quiet", *args])


def _install() -> None:
    """The lock's exact versions (hash-checked), then the project itself without deps."""
    try:
        print("Installing dependencies from requirements/lock.txt ...", flush=True)
        _pip("-r", str(LOCK))
    except subprocess.CalledProcessError:
        # The lock is compiled on Python 3.11 (CI's); another Python may need
        # a version the lock does not pin. CI sets KB_REQUIRE_LOCK so it never
        # tests anything but the lock.
        if os.environ.get("KB_REQUIRE_LOCK"):
            raise
        print(
            "The lock could not be installed on this Python; installing the ranges"
            " of pyproject.toml instead (requirements/compile re-pins).",
            flush=True,
        )
        _pip("-e", f"{ROOT}[{DEVELOPER_EXTRAS}]")
    _pip("--no-deps", "-e", str(ROOT))


def _debug_off() -> bool:
    """DEBUG explicitly off, in the environment or .env: a server, which must
    never get the developer packages (the embedded database, Playwright)."""
    value = os.environ.get("DEBUG")
    dotenv = ROOT / ".env"
    if value is None and dotenv.exists():
        for line in dotenv.read_text().splitlines():
            key, sep, rest = line.partition("=")
            if sep and key.strip().removeprefix("export ").strip() == "DEBUG":
                value = rest.strip().strip("'\"")
    return value is not None and value.strip().lower() in {"", "0", "false", "no", "off"}


def _ensure_virtualenv() -> None:
    """Create or refresh .venv, then re-exec this command inside it."""
    if os.environ.get("KB_NO_BOOTSTRAP") or _debug_off():
        return
    inside = Path(sys.prefix).resolve() == VENV.resolve()
    fresh = STAMP.exists() and STAMP.read_text().strip() == _install_digest()
    if inside and fresh:
        return
    if not inside and not VENV_PYTHON.exists():
        print("Creating .venv ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    if not fresh:
        _install()
        STAMP.write_text(_install_digest())
    if not inside:
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])


def main() -> None:
    _ensure_virtualenv()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")
    # manage.py is the developer's entry point; production runs gunicorn (wsgi.py,
    # DEBUG off by default) and sets DEBUG=0 explicitly for its management commands.
    os.environ.setdefault("DEBUG", "1")
    if sys.argv[1:2] == ["test"]:
        # The suite is pytest-django; "manage.py test [args]" runs it in a fresh
        # process so pytest-django sets Django up itself.
        os.execv(sys.executable, [sys.executable, "-m", "pytest", *sys.argv[2:]])
    try:
        from django.core.management import execute_from_command_line
    except ImportError:
        sys.exit(
            f"Django is not installed for {sys.executable}. With DEBUG off (a server) "
            "manage.py installs nothing: install requirements/runtime.txt "
            "(docs/operations.md). For development, run it without DEBUG=0."
        )

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
