"""The servers tests start run on the suite's own test database, and never outlive a failure.

Run without DATABASE_URL (README's fresh clone, the embedded PostgreSQL on a
Unix socket) the receipt drills could not start gunicorn: the database URL
they gave it named the socket folder as a host and port, /healthz answered
503 for 60 s, and each failed drill left its gunicorn running after the suite
(three orphaned servers per run). CI runs this folder on the embedded
database as well (.ci/run).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import environ
import psutil
import pytest
from django.db import connection

from tests import servers
from tests.drills.test_database_restart import AppServer

ROOT = Path(__file__).resolve().parents[2]


def test_the_url_names_a_socket_folder_the_way_libpq_reads_it():
    socket_dir = "/work/project/.pgdata/run"
    embedded = {
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": socket_dir,
        "PORT": "",
        "NAME": "test_kb",
    }
    parsed = environ.Env.db_url_config(servers.test_database_url(embedded))
    assert parsed["NAME"] == "test_kb"
    assert parsed["OPTIONS"]["host"] == socket_dir
    assert str(parsed["OPTIONS"]["port"]) == "5432"


@pytest.mark.django_db
def test_a_child_process_uses_exactly_the_suites_test_database():
    code = (
        "import django; django.setup(); from django.db import connection;"
        "c = connection.cursor(); c.execute('SELECT current_database()'); print(c.fetchone()[0])"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "marketplace.settings",
        "DATABASE_URL": servers.test_database_url(),
        "DEBUG": "1",
        "KB_NO_BOOTSTRAP": "1",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == connection.settings_dict["NAME"]
    assert connection.settings_dict["NAME"].startswith("test_")


@pytest.fixture
def static_root(production_static_root):
    return production_static_root


def test_a_server_that_does_not_come_up_is_stopped_before_the_test_fails(static_root, tmp_path):
    # A database that does not exist: gunicorn starts, /healthz answers 503.
    missing = f"test_kb_missing_{uuid.uuid4().hex[:8]}"
    url = servers.test_database_url().replace(f"/{connection.settings_dict['NAME']}", f"/{missing}")
    with pytest.raises(AssertionError, match="did not come up"):
        AppServer(url, tmp_path / "gunicorn.log", up_within=8, STATIC_ROOT=str(static_root))
    assert "Booting worker" in (tmp_path / "gunicorn.log").read_text()
    assert servers.leftovers() == []
    # Nothing anywhere still runs with that database (gunicorn's master or workers).
    assert not [p.pid for p in psutil.process_iter() if _database_url_of(p) == url]


def _database_url_of(process: psutil.Process) -> str | None:
    try:
        return process.environ().get("DATABASE_URL")
    except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
        return None


def test_stop_ends_the_whole_group_even_when_the_leader_ignores_term(tmp_path):
    # A master that ignores TERM and a child of its own (gunicorn's worker).
    script = "trap '' TERM; sleep 300 & wait"
    process = servers.start(
        ["bash", "-c", script], env=dict(os.environ), cwd=ROOT, log=tmp_path / "log"
    )
    time.sleep(0.5)
    members = servers.members(process)
    assert len(members) == 2, members
    servers.stop(process, timeout=1)
    assert servers.members(process) == []
    assert not [m for m in members if m.is_running() and m.status() != psutil.STATUS_ZOMBIE]


# What a test module does when it starts a process of its own.
STARTS_A_PROCESS = re.compile(
    r"Popen\(|servers\.start\(|\bServer\(|AppServer\(|\bgunicorn_site\b|run_worker\("
)


def test_every_module_that_starts_a_process_runs_on_the_embedded_database_in_ci():
    listed = [
        line.strip()
        for line in (ROOT / ".ci" / "server-tests").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    for entry in listed:
        assert (ROOT / entry).exists(), f".ci/server-tests names {entry}, which does not exist"
    starting = [
        path.relative_to(ROOT).as_posix()
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        if STARTS_A_PROCESS.search(path.read_text())
    ]
    assert "tests/drills/test_receipt_memory.py" in starting  # the pattern still sees them
    missing = [
        module
        for module in starting
        if not any(
            module == entry or module.startswith(entry.rstrip("/") + "/") for entry in listed
        )
    ]
    assert not missing, f"add to .ci/server-tests (run on the embedded database): {missing}"
