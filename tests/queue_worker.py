"""Real procrastinate workers for tests: the command production runs, as a
subprocess on the test database (tests/orders/test_worker.py, the kill drill)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests import servers

ROOT = Path(__file__).resolve().parents[1]
PROCRASTINATE_BACKEND = {
    "default": {"BACKEND": "core.queue_backend.ProcrastinateBackend", "QUEUES": ["default"]}
}


def worker_env(**extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DATABASE_URL": servers.test_database_url(),
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
    """A long-running worker, as production runs it, in a process group of its
    own (tests/servers.py stops it, and finds it if a test forgets to)."""
    return servers.start(WORKER, env=worker_env(**env), cwd=ROOT, log=log)
