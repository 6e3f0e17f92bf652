#!/usr/bin/env python3
"""Django's command-line utility, which also bootstraps a fresh checkout.

Run with any Python 3.11+: when Django is not importable, it creates `.venv`,
installs the project from `pyproject.toml` (again whenever that file changes)
and re-runs itself inside the virtual environment. That is what lets the
README promise two commands on a machine that has nothing but Python.
"""

import hashlib
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
VENV_PYTHON = VENV / "bin" / "python"
STAMP = VENV / ".pyproject-sha256"


def _pyproject_digest() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def _ensure_virtualenv() -> None:
    """Create or refresh .venv, then re-exec this command inside it."""
    if os.environ.get("KB_NO_BOOTSTRAP"):
        return
    inside = Path(sys.prefix).resolve() == VENV.resolve()
    fresh = STAMP.exists() and STAMP.read_text().strip() == _pyproject_digest()
    if inside and fresh:
        return
    if not inside and not VENV_PYTHON.exists():
        print("Creating .venv ...", flush=True)
        subprocess.check_call([sys.executable, "-m", "venv", str(VENV)])
    if not fresh:
        print("Installing dependencies from pyproject.toml ...", flush=True)
        subprocess.check_call(
            [str(VENV_PYTHON), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[dev]"]
        )
        STAMP.write_text(_pyproject_digest())
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
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
