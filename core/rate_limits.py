"""Rate limits that hold across every worker and machine: one counter, in PostgreSQL.

A limit counts what is abusive (a placed checkout, a failed tracking guess, a
receipt upload) twice: per shopper session, tightly, and per client address,
loosely. The session count stops one browser; the address count stops a
script that drops its cookies, while leaving room for the many honest shoppers
an Indonesian mobile network puts behind one carrier-grade NAT address. An
IPv6 client is counted by its /64 (core.security.client_key): one subscriber
may use any address of it.

The counters live in the database, not the cache: the default cache is one
per process, where a counter lets a client through once per gunicorn worker.
Each count is a single INSERT ... ON CONFLICT DO UPDATE ... RETURNING, so
parallel requests (on any worker) are serialised by the row lock and cannot
all slip under the limit. A window is fixed: it starts with the first count
and resets when it has passed.

Callers count first and check the answer (`consume`), then give the count
back (`refund`) when the attempt turns out not to be abusive: a guess that
found the order, a checkout the shop refused.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from core.models import RateCounter
from core.security import client_key

# One count in this many also deletes expired rows, so keys of sessions and
# addresses seen once do not pile up; no scheduled job is needed.
PURGE_ONE_IN = 200


@dataclass(frozen=True)
class RateLimit:
    """`per_session` and `per_address` counts per `window` seconds (0 = not counted that way)."""

    name: str
    per_session: int
    per_address: int
    window: int

    def _address_key(self, request: HttpRequest) -> str | None:
        if not self.per_address:
            return None
        return f"{self.name}:address:{client_key(request)}"

    def _session_key(self, request: HttpRequest, *, create: bool) -> str | None:
        session = getattr(request, "session", None)
        if not self.per_session or session is None:
            return None
        if session.session_key is None and create:
            # A first visit without a session gets one, so its next attempt is
            # counted against the same browser (SessionMiddleware sets the
            # cookie: a newly created session is marked modified).
            session.save()
        return f"{self.name}:session:{session.session_key}" if session.session_key else None

    def _limits(self, request: HttpRequest) -> dict[str, int]:
        keys = {self._address_key(request): self.per_address}
        keys[self._session_key(request, create=False)] = self.per_session
        keys.pop(None, None)
        return keys

    def consume(self, request: HttpRequest) -> bool:
        """Count one attempt; False when that would pass a limit (the caller refuses it).

        A refused attempt is not counted: one browser retrying past its own
        limit must not use up the room its address shares with others. The
        address is counted first, so a client its address stops gets no new
        session row either.
        """
        taken = []
        address_key = self._address_key(request)
        if address_key:
            taken.append(address_key)
            if _count(address_key, self.window) > self.per_address:
                _uncount(taken)
                return False
        session_key = self._session_key(request, create=True)
        if session_key:
            taken.append(session_key)
            if _count(session_key, self.window) > self.per_session:
                _uncount(taken)
                return False
        return True

    def refund(self, request: HttpRequest) -> None:
        """Give back the count `consume` took in this request (the attempt was
        not abusive after all)."""
        _uncount(list(self._limits(request)))


def rate_limit(name: str) -> RateLimit:
    """The limit called `name` in settings.RATE_LIMITS (KeyError if there is none:
    a misspelt name must fail loudly, never mean "unlimited")."""
    config = settings.RATE_LIMITS[name]
    return RateLimit(
        name=name,
        per_session=config.get("per_session", 0),
        per_address=config.get("per_address", 0),
        window=config["window"],
    )


def count_key(key: str, window: int) -> int:
    """Count one more for an application's own key (e.g. mails sent for one
    order) in a `window`-second window and return the count: the same shared
    counter as the per-session and per-address limits."""
    return _count(key, window)


def _count(key: str, window: int) -> int:
    """Add one to `key`'s count in its window (a new window if the last one
    has passed) and return the new count, atomically."""
    now = timezone.now()
    table = RateCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s) "
            "ON CONFLICT (key) DO UPDATE SET "
            f"count = CASE WHEN {table}.expires_at <= %s THEN 1 ELSE {table}.count + 1 END, "
            f"expires_at = CASE WHEN {table}.expires_at <= %s "
            f"THEN EXCLUDED.expires_at ELSE {table}.expires_at END "
            "RETURNING count",
            [key, now + timedelta(seconds=window), now, now],
        )
        (count,) = cursor.fetchone()
    if random.randrange(PURGE_ONE_IN) == 0:  # noqa: S311 - not a secret
        rate_counters_purge()
    return count


def _uncount(keys: list[str]) -> None:
    # One row per statement, in key order: one UPDATE over both rows (key =
    # ANY(...)) locks them in whatever order its scan meets their latest
    # versions, so two refusals of the same phone could each hold one row and
    # wait for the other (a deadlock, answered as a 500 in the tracking
    # journey). Key order is also the order `consume` counts them in
    # ("…:address:…" before "…:session:…").
    now = timezone.now()
    with connection.cursor() as cursor:
        for key in sorted(keys):
            cursor.execute(
                f"UPDATE {RateCounter._meta.db_table} SET count = count - 1 "
                "WHERE key = %s AND count > 0 AND expires_at > %s",
                [key, now],
            )


def rate_counters_purge() -> int:
    """Delete counters whose window has passed; returns how many."""
    deleted, _by_model = RateCounter.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
