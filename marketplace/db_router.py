"""Reads on a streaming replica, writes on the primary (DATABASE_REPLICA_URL).

Only active when settings define a "replica" database. A replica lags the
primary by a moment, so whoever has just written (a checkout, a receipt upload,
any admin work) reads from the primary for REPLICA_PIN_SECONDS afterwards and
sees their own order at once.

Only requests read the replica. Everything else (the queue's workers,
management commands, the shell) reads the primary: a task queued by a commit
runs a moment later and must see that commit, which a lagging replica may not
have yet (issue 29: a task right after a commit read stale rows).

Two more rules keep a shopper's own things on the primary however long the
replica lags (issue 33: replay paused for minutes, past any pin):
- the pages about a shopper's own cart, checkout and orders (PRIMARY_PATHS)
  read the primary always, pinned or not;
- the rows that belong to a visitor rather than to the catalog (sessions, so
  a cart or a Pesanan saya sign-in never vanishes; orders; the queue) are read
  from the primary on every page (PRIMARY_APP_LABELS). Catalog reads (products,
  facilities, regions, reviews) tolerate the lag.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest

PIN_COOKIE = "kb_primary"
# Pages about the visitor's own cart, checkout, orders, quotes and data.
PRIMARY_PATHS = (
    "/admin/",
    "/keranjang/",
    "/checkout/",
    "/pesanan/",
    "/pesanan-saya/",
    "/lacak/",
    "/buka/",
    "/penawaran/",
    "/_simulator/",
)
# Models whose rows a visitor writes and must read back at once, on any page.
PRIMARY_APP_LABELS = frozenset(
    {"sessions", "orders", "myorders", "quotes", "complaints", "axes", "procrastinate"}
)
# Where reads go: "replica" only while a request that may use it is served
# (PinToPrimaryMiddleware sets it); the default, outside any request, is the primary.
_read_from: ContextVar[str] = ContextVar("kb_db_read_from", default="default")
# A replica that did not answer is not asked again for this long (per
# process): meanwhile every read goes to the primary, so a dead replica costs
# one failed connect per worker every few seconds, never a failed page.
REPLICA_RETRY_SECONDS = 5.0
_replica_down_until = 0.0


def replica_answers() -> bool:
    """The replica can be read: a kept connection passes its health check, or
    a new one opens (connect_timeout bounds the try). False for
    REPLICA_RETRY_SECONDS after a failure."""
    global _replica_down_until
    if "replica" not in settings.DATABASES or time.monotonic() < _replica_down_until:
        return False
    replica = connections["replica"]
    try:
        # A kept connection to a replica that died since looks open until
        # used: the request's health check (done once per request anyway,
        # CONN_HEALTH_CHECKS) runs here, before the first read is routed.
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError:
        _replica_down_until = time.monotonic() + REPLICA_RETRY_SECONDS
        return False
    return True


class PrimaryReplicaRouter:
    """Send a request's reads to "replica" unless it is pinned to the primary;
    reads outside requests (workers, commands) go to the primary."""

    def db_for_read(self, model, **hints):
        if model is not None and model._meta.app_label in PRIMARY_APP_LABELS:
            return "default"
        return _read_from.get()

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def request_needs_primary(request: HttpRequest) -> bool:
    """Writes, the admin (staff work on fresh rows), a shopper's own pages and
    recent writers read the primary."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    if request.path.startswith(PRIMARY_PATHS):
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
        replica = not request_needs_primary(request) and replica_answers()
        token = _read_from.set("replica" if replica else "default")
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
