"""Processes the tests start (gunicorn, task workers): on the suite's own test
database, and never left running.

Every server a test starts gets the test database as DATABASE_URL, named the
way django-environ and libpq read it whichever server the suite runs on: the
machine's PostgreSQL over TCP, or the embedded one (README's fresh clone, no
DATABASE_URL), which listens on a Unix socket folder only. The receipt drills
built `postgres://user@/socket/folder:5432/name` for the latter; gunicorn could
not reach the database and /healthz answered 503 until the drill gave up.

Each process starts in its own process group (a new session), so stopping it
stops gunicorn's workers with it, and is registered here: the suite's end
(tests/conftest.py, pytest_sessionfinish) stops any group still alive and fails
the run, naming it. A drill that failed before its fixture saw the server used
to leave it running after the suite (three orphaned servers per run).
"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path
from urllib.parse import quote

import psutil

# Process groups started by this test process, oldest first.
_started: list[subprocess.Popen] = []


def test_database_url(settings_dict: dict | None = None) -> str:
    """The database the suite is using right now (test_<name> once pytest-django
    has set it up), as DATABASE_URL for a child process."""
    from django.db import connection

    s = settings_dict or connection.settings_dict
    auth = quote(s["USER"], safe="") + (
        f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    )
    host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or "5432"
    name = quote(s["NAME"], safe="")
    if host.startswith("/"):
        # A Unix socket folder: libpq's `host` option (django-environ passes the
        # query through to OPTIONS), with the port naming the socket file.
        return f"postgres://{auth}@/{name}?host={quote(host, safe='/')}&port={port}"
    return f"postgres://{auth}@{host}:{port}/{name}"


def start(command: list[str], *, env: dict[str, str], cwd: Path, log: Path) -> subprocess.Popen:
    """Start `command` in a process group of its own, output to `log`; stop it with `stop`."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    _started.append(process)
    return process


def stop(process: subprocess.Popen, *, timeout: float = 30) -> None:
    """TERM the process's whole group (gunicorn's master and workers), then KILL
    whatever is still there after `timeout` seconds."""
    _signal_group(process, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _signal_group(process, signal.SIGKILL)
        process.wait()
    # A worker may outlive its master for a moment; none may outlive this call.
    for member in members(process):
        with _gone():
            member.kill()
    psutil.wait_procs(members(process), timeout=5)
    if process in _started:
        _started.remove(process)


def leftovers() -> list[psutil.Process]:
    """Processes of groups started here that are still alive."""
    return [member for process in _started for member in members(process)]


def stop_all() -> list[str]:
    """Stop every group started here that is still alive; describe what was found."""
    found = [f"{p.pid} {' '.join(_cmdline(p))}" for p in leftovers()]
    for process in list(_started):
        stop(process, timeout=10)
    return found


def members(process: subprocess.Popen) -> list[psutil.Process]:
    """The live processes of `process`'s group (it and its children)."""
    found = []
    for candidate in psutil.process_iter():
        with _gone():
            if os.getpgid(candidate.pid) == process.pid and candidate.status() != "zombie":
                found.append(candidate)
    return found


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with _gone():
        os.killpg(process.pid, signum)


def _cmdline(member: psutil.Process) -> list[str]:
    with _gone():
        return member.cmdline()
    return []


class _gone:
    """Ignore a process that ended while we looked at it."""

    def __enter__(self):
        return self

    def __exit__(self, kind, value, traceback):
        return kind is not None and issubclass(
            kind, (ProcessLookupError, psutil.NoSuchProcess, psutil.AccessDenied)
        )
