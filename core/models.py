"""Rows the bottom layer keeps for every app: rate-limit counters."""

from django.db import models


class RateCounter(models.Model):
    """How often one key (a limit and a session or an address) was counted in
    its current window.

    Kept in PostgreSQL, not in the cache: the default cache is per process, and
    a counter each gunicorn worker keeps for itself lets a client through once
    per worker. Written only by core.rate_limits, with one atomic upsert.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
