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


class SentMail(models.Model):
    """One row per mail that must go out once (a key per event: `orders.status:
    <event id>`). Written by core.mail_once before the send and stamped after
    it, so a task run again (a retry, a job whose worker died) skips a mail
    that did go out. A row without `sent_at` is a send that may not have
    happened: it is tried again (at least once beats never)."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.key


class QueueJobError(models.Model):
    """Why a queue job failed: procrastinate records that a job failed, not
    the exception; core.queue_jobs writes it here for head office's admin."""

    job_id = models.BigIntegerField(db_index=True)
    task_path = models.CharField(max_length=200)
    attempt = models.PositiveIntegerField(default=1)
    error = models.TextField()
    failed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-failed_at"]

    def __str__(self) -> str:
        return f"{self.task_path} #{self.job_id}"


class EdgePurge(models.Model):
    """A purge the edge (the shared HTTP cache) did not take: sent again by
    core.edge_purge.edge_purges_retry until it does. `tags` is the
    `xkey-purge` header's value."""

    url = models.CharField(max_length=300)
    tags = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return f"{self.url}: {self.tags[:60]}"
