"""The procrastinate tasks of the queue itself (the worker imports this module:
PROCRASTINATE_IMPORT_PATHS).

- `run_django_task`: every Django task (core.queue_backend) runs through it.
- `jobs_retry_stalled`: a job whose worker died (no heartbeat for
  QUEUE_STALLED_SECONDS) goes back to the queue, so nothing stays "doing"
  forever. Handlers are idempotent (mail: core.mail_once), so running one again
  is safe.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from django.conf import settings
from django.utils.module_loading import import_string
from procrastinate import JobContext
from procrastinate.contrib.django import app

from core.models import QueueJobError
from core.queue_backend import RUN_DJANGO_TASK

log = logging.getLogger(__name__)


def call_keeping_errors(context: JobContext, path: str, call: Callable[[], object]) -> None:
    """Run one job's work; a failure is kept (with its traceback) for the
    admin, then raised so procrastinate marks the job failed."""
    try:
        call()
    except Exception:
        QueueJobError.objects.create(
            job_id=context.job.id,
            task_path=path[:200],
            attempt=context.job.attempts + 1,
            error=traceback.format_exc()[-20_000:],
        )
        raise


@app.task(name=RUN_DJANGO_TASK, pass_context=True)
def run_django_task(context: JobContext, *, path: str, args: list, kwargs: dict) -> None:
    """Import the Django task named by `path` (a django-tasks Task) and run it."""
    call_keeping_errors(context, path, lambda: import_string(path).call(*args, **kwargs))


async def jobs_retry_stalled(context: JobContext, timestamp: int) -> int:
    """Put every job of a dead worker back in the queue; returns how many."""
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=settings.QUEUE_STALLED_SECONDS)
    for job in stalled:
        log.warning("job %s (%s) lost its worker; queued again", job.id, job.task_kwargs)
        await manager.retry_job(job)
    return len(stalled)


# Every minute by default (QUEUE_STALLED_SWEEP_CRON; empty switches the sweep
# off, which only the kill drill's control does). One at a time (lock), and never
# two waiting (queueing_lock).
if settings.QUEUE_STALLED_SWEEP_CRON:
    app.periodic(cron=settings.QUEUE_STALLED_SWEEP_CRON, periodic_id="stalled")(
        app.task(
            name="jobs_retry_stalled",
            pass_context=True,
            queue="periodic",
            lock="jobs_retry_stalled",
            queueing_lock="jobs_retry_stalled",
        )(jobs_retry_stalled)
    )
