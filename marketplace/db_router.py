"""Reads on a streaming replica, writes on the primary (DATABASE_REPLICA_URL).

Only active when settings define a "replica" database. A replica lags the
primary by a moment, so whoever has just written (a checkout, a receipt upload,
any admin work) reads from the primary for REPLICA_PIN_SECONDS afterwards and
sees their own order at once.

Only requests read the replica. Everything else (the queue's workers,
management commands, the shell) reads the primary: a task queued by a commit
runs a moment later and must see that commit, which a lagging replica may not
have yet (issue 29: a task right after a commit read stale rows).
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

PIN_COOKIE = "kb_primary"
# Where reads go: "replica" only while a request that may use it is served
# (PinToPrimaryMiddleware sets it); the default, outside any request, is the primary.
_read_from: ContextVar[str] = ContextVar("kb_db_read_from", default="default")


class PrimaryReplicaRouter:
    """Send a request's reads to "replica" unless it is pinned to the primary;
    reads outside requests (workers, commands) go to the primary."""

    def db_for_read(self, model, **hints):
        return _read_from.get()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def request_needs_primary(request: HttpRequest) -> bool:
    """Writes, the admin (staff work on fresh rows) and recent writers read the primary."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    if request.path.startswith("/admin/"):
        return True
    try:
        until = float(request.COOKIES.get(PIN_COOKIE, "0"))
    except ValueError:
        until = 0.0
    return until > time.time()


class PinToPrimaryMiddleware:
    """Pin a request to the primary when it writes or has just written."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        token = _read_from.set("default" if request_needs_primary(request) else "replica")
        try:
            response = self.get_response(request)
        finally:
            _read_from.reset(token)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            seconds = settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                str(time.time() + seconds),
                max_age=seconds,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
