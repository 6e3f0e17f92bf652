"""What the queue is doing, for head office (admin) and monitors (/healthz?detail=1).

Read from procrastinate's own tables with plain SQL on the primary: a replica
would show a queue as it was, not as it is.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connections
from procrastinate import sql

_LAG = """
SELECT EXTRACT(EPOCH FROM NOW() - MIN(COALESCE(job.scheduled_at, deferred.at)))
  FROM procrastinate_jobs job
  LEFT JOIN procrastinate_events deferred
    ON deferred.job_id = job.id AND deferred.type = 'deferred'
 WHERE job.status = 'todo'
   AND (job.scheduled_at IS NULL OR job.scheduled_at <= NOW())
"""
_FAILED_SINCE = """
SELECT COUNT(DISTINCT job.id)
  FROM procrastinate_jobs job
  JOIN procrastinate_events failed ON failed.job_id = job.id AND failed.type = 'failed'
 WHERE job.status = 'failed' AND failed.at >= NOW() - %(hours)s * INTERVAL '1 hour'
"""
_LIVE_WORKERS = """
SELECT COUNT(*) FROM procrastinate_workers
 WHERE last_heartbeat >= NOW() - %(seconds)s * INTERVAL '1 second'
"""
_WAITING = "SELECT COUNT(*) FROM procrastinate_jobs WHERE status = 'todo'"


@dataclass(frozen=True)
class QueueHealth:
    lag_seconds: float  # how long the oldest job due to run has waited (0: none)
    waiting: int
    failed_24h: int
    stalled: int
    live_workers: int

    def as_dict(self) -> dict:
        return asdict(self)


def _scalar(query: str, params: dict | None = None):
    with connections["default"].cursor() as cursor:
        cursor.execute(query, params or {})
        return cursor.fetchone()[0]


def stalled_job_ids() -> list[int]:
    """Jobs "doing" on a worker without a recent heartbeat (or on none): the
    ones core.queue_jobs.jobs_retry_stalled puts back in the queue."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            sql.queries["select_stalled_jobs_by_heartbeat"],
            {
                "queue": None,
                "task_name": None,
                "seconds_since_heartbeat": settings.QUEUE_STALLED_SECONDS,
            },
        )
        return [row[0] for row in cursor.fetchall()]


def queue_health() -> QueueHealth:
    return QueueHealth(
        lag_seconds=round(float(_scalar(_LAG) or 0), 1),
        waiting=_scalar(_WAITING),
        failed_24h=_scalar(_FAILED_SINCE, {"hours": 24}),
        stalled=len(stalled_job_ids()),
        live_workers=_scalar(_LIVE_WORKERS, {"seconds": settings.QUEUE_STALLED_SECONDS}),
    )


def jobs_prune_finished(*, older_than: timedelta = timedelta(days=30)) -> None:
    """Drop succeeded and cancelled jobs older than `older_than` (a periodic
    job, marketplace/periodic.py); failed ones stay until someone looks at them."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            sql.queries["delete_old_jobs"],
            {
                "nb_hours": int(older_than.total_seconds() // 3600),
                "queue": None,
                "statuses": ["succeeded", "cancelled"],
            },
        )
