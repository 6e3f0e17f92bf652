"""Reads on a streaming replica, writes on the primary (DATABASE_REPLICA_URL).

Only active when settings define a "replica" database. A replica lags the
primary by a moment, so whoever has just written (a checkout, a receipt upload,
any admin work) reads from the primary for REPLICA_PIN_SECONDS afterwards and
sees their own order at once.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest

PIN_COOKIE = "kb_primary"
_pinned: ContextVar[bool] = ContextVar("kb_db_pinned_to_primary", default=False)


class PrimaryReplicaRouter:
    """Send reads to "replica" unless this request is pinned to the primary."""

    def db_for_read(self, model, **hints):
        return "default" if _pinned.get() else "replica"

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
        token = _pinned.set(request_needs_primary(request))
        try:
            response = self.get_response(request)
        finally:
            _pinned.reset(token)
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
