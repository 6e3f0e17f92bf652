import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import FacilityFactory, RegionFactory


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def facility(region):
    return FacilityFactory(region=region)


@pytest.fixture
def other_facility(db):
    """A facility in another region: the one scope tests try to reach."""
    return FacilityFactory()


@pytest.fixture(autouse=True)
def _role_groups(request):
    """The role groups come from a data migration. A transactional test's flush
    (live-server browser tests, concurrency drills) deletes them, and tests run
    after it would find no group to put a staff user in; put them back."""
    uses_db = request.node.get_closest_marker("django_db") or (
        {"db", "transactional_db"} & set(request.fixturenames)
    )
    if not uses_db:
        return
    request.getfixturevalue("db")
    from django.apps import apps
    from django.contrib.auth.models import Group

    from facilities.roles import GROUP_NAMES, sync_role_groups

    if Group.objects.filter(name__in=GROUP_NAMES.values()).count() < len(GROUP_NAMES):
        sync_role_groups(apps)


@pytest.fixture
def media(settings, tmp_path):
    """Uploaded files land in a temporary folder, never in the project's media/
    (a live server started by a test serves them from there too)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (public pages, impact figures), as
    a fresh process would. (Rate-limit counters live in the database.)"""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run inside the call that queues them (django-tasks'
    immediate backend), so a test sees their effect; tests/orders/test_worker.py
    runs the real queue (procrastinate) with a real worker process instead."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def procrastinate_queue(settings, transactional_db):
    """The production queue: tasks become procrastinate jobs, run by a real
    worker process (tests/queue_worker.py). procrastinate's tables are not
    Django-managed, so a test's flush leaves them: empty them before and after."""
    from django.db import connection

    from tests.queue_worker import PROCRASTINATE_BACKEND

    def empty() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE procrastinate_jobs, procrastinate_events, procrastinate_workers,"
                " procrastinate_periodic_defers CASCADE"
            )

    empty()
    settings.TASKS = PROCRASTINATE_BACKEND
    yield
    empty()


@pytest.fixture(scope="session")
def production_static_root(tmp_path_factory) -> Path:
    """collectstatic once per run, as a deployment does: servers started with the
    production settings (tests/journeys, tests/drills) serve from its manifest."""
    folder = tmp_path_factory.mktemp("production-static")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=Path(__file__).resolve().parent.parent,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "STATIC_ROOT": str(folder),
            "DEBUG": "0",
            # DEBUG off refuses to start without DATABASE_URL (the embedded
            # database is development only); collectstatic never connects.
            "DATABASE_URL": os.environ.get("DATABASE_URL")
            or "postgres://unused@127.0.0.1:9/collectstatic-connects-to-no-database",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "KB_NO_BOOTSTRAP": "1",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return folder


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    """No server a test started outlives the suite (tests/servers.py).

    Runs after every fixture's teardown: whatever is still alive then was left
    behind (a drill that failed before its fixture saw its server). It is
    stopped, and the run fails, naming it, so a leak is never silent again.
    """
    from tests import servers

    found = servers.stop_all()
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = "servers left running after the suite (now stopped):\n  " + "\n  ".join(found)
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(message, red=True)
        else:
            print(message, file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
