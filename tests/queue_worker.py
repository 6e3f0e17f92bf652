"""Real procrastinate workers for tests: the command production runs, as a
subprocess on the test database (tests/orders/test_worker.py, the kill drill)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
PROCRASTINATE_BACKEND = {
    "default": {"BACKEND": "core.queue_backend.ProcrastinateBackend", "QUEUES": ["default"]}
}


def test_database_url() -> str:
    db = connection.settings_dict
    host = db["HOST"] or "127.0.0.1"
    if host.startswith("/"):
        # The embedded PostgreSQL listens on a Unix socket only: name it as
        # libpq's `host` option (django-environ passes it through).
        return f"postgres://{db['USER']}@/{db['NAME']}?host={quote(host)}"
    return f"postgres://{db['USER']}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(**extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DATABASE_URL": test_database_url(),
        "DEBUG": "1",
        "EMAIL_URL": "consolemail://",
        "KB_NO_BOOTSTRAP": "1",
        **extra,
    }


WORKER = [sys.executable, "manage.py", "procrastinate", "worker"]


def run_worker_until_idle(**env: str) -> subprocess.CompletedProcess:
    """One worker that stops once nothing is due (`--one-shot`)."""
    return subprocess.run(
        [*WORKER, "--one-shot"],
        cwd=ROOT,
        env=worker_env(**env),
        capture_output=True,
        text=True,
        timeout=180,
    )


def start_worker(*, log: Path, **env: str) -> subprocess.Popen:
    """A long-running worker, as production runs it."""
    return subprocess.Popen(
        WORKER,
        cwd=ROOT,
        env=worker_env(**env),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
