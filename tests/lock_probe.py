"""No outside call under a row lock: a probe on every client that leaves the
process (the payment gateway, the courier aggregator, WhatsApp, mail).

Each call records whether the database session held a row lock taken by
SELECT ... FOR UPDATE (a RowShareLock in pg_locks) at that moment. A slow
or hanging outside service must never keep rows locked: a checkout, a
cancellation or the gateway's notification would queue behind it.

Row locks are only visible as such in transactional tests (a plain
django_db test runs inside one transaction that keeps every lock to its
end), so the probe is used with `django_db(transaction=True)`.

As a plugin (`-p tests.lock_probe`), it probes every test and makes each
database test transactional: the sweep that found the calls under a lock.
"""

from __future__ import annotations

import functools
import traceback
from pathlib import Path

import pytest
from django.db import connection

ROOT = str(Path(__file__).resolve().parents[1]) + "/"
OUTSIDE = [
    ("core.json_http", "json_request"),  # the gateway and the courier aggregator
    ("orders.payments.midtrans", "json_request"),
    ("shipping.biteship", "json_request"),
    ("notifications.whatsapp", "send_template"),
    ("django.core.mail.backends.locmem", "EmailBackend.send_messages"),
]


def row_locks_held() -> int:
    if connection.connection is None:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE pid = pg_backend_pid() AND mode = 'RowShareLock'"
        )
        return cursor.fetchone()[0]


def install(monkeypatch) -> list[dict]:
    """Wrap each outside client; returns the list each call appends to:
    {"call": name, "row_locks": n, "in_atomic": bool}."""
    seen: list[dict] = []
    for module_name, attr in OUTSIDE:
        module = __import__(module_name, fromlist=["_"])
        owner, name = module, attr
        if "." in attr:
            cls_name, name = attr.split(".")
            owner = getattr(module, cls_name)
        real = getattr(owner, name)

        def probed(*args, _real=real, _label=f"{module_name}.{attr}", **kwargs):
            if _harness_ran_it():
                return _real(*args, **kwargs)
            seen.append(
                {
                    "call": _label,
                    "row_locks": row_locks_held(),
                    "in_atomic": connection.in_atomic_block,
                    "where": _project_frames(),
                }
            )
            return _real(*args, **kwargs)

        monkeypatch.setattr(owner, name, functools.wraps(real)(probed))
    return seen


def _harness_ran_it() -> bool:
    """The test ran the on-commit callbacks itself, inside its own
    transaction (django_capture_on_commit_callbacks(execute=True)): not
    where the code runs them, after the commit."""
    return any(
        frame.name in {"captureOnCommitCallbacks", "django_capture_on_commit_callbacks"}
        or frame.filename.endswith("django/test/testcases.py")
        for frame in traceback.extract_stack()
    )


def _project_frames() -> list[str]:
    """Where the call came from: the project's frames, innermost last."""
    return [
        f"{frame.filename.removeprefix(ROOT)}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_stack()[:-2]
        if "/.venv/" not in frame.filename
        and "lock_probe" not in frame.filename
        and "/tests/" not in frame.filename
    ][-30:]


def under_lock(seen: list[dict]) -> list[dict]:
    return [call for call in seen if call["row_locks"]]


@pytest.fixture
def outside_calls(monkeypatch):
    return install(monkeypatch)


# --- as a plugin: the sweep ------------------------------------------------------


def pytest_collection_modifyitems(items):
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is not None and not marker.kwargs.get("transaction"):
            item.add_marker(pytest.mark.django_db(transaction=True, **marker.kwargs))


@pytest.fixture(autouse=True)
def _sweep_for_calls_under_lock(monkeypatch, request):
    seen = install(monkeypatch)
    yield
    if under_lock(seen):
        pytest.fail(f"outside call under a row lock in {request.node.nodeid}: {under_lock(seen)}")
