"""Retries for tasks on Django's tasks API (django-tasks).

The tasks API runs a task once; on the queue (procrastinate, core/queue_jobs.py)
a failure leaves the job failed with its traceback, which the admin lists.
`retried_task` adds what mail, gateway calls and notification processing
need: on an exception the same task is enqueued again with a growing delay
(30 s, 1 min, 2 min, ...), and the exception is re-raised so this attempt
stays visible as failed. After the last attempt nothing is re-enqueued: the
failed job is where staff find it.

A backend that cannot defer (the immediate backend used by tests) gets no
retries: retrying at once against a dead mail server helps nobody.
"""

from __future__ import annotations

import functools
import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

log = logging.getLogger(__name__)


def retried_task(*, max_attempts: int = 5, first_delay: timedelta = timedelta(seconds=30)):
    def decorate(func):
        @functools.wraps(func)
        def run(*args, attempt: int = 1, **kwargs):
            try:
                return func(*args, **kwargs)
            except Exception:
                the_task = run.task
                if attempt < max_attempts and the_task.get_backend().supports_defer:
                    delay = first_delay * 2 ** (attempt - 1)
                    the_task.using(run_after=timezone.now() + delay).enqueue(
                        *args, attempt=attempt + 1, **kwargs
                    )
                    log.warning(
                        "task %s failed (attempt %s of %s); retrying in %s",
                        func.__name__,
                        attempt,
                        max_attempts,
                        delay,
                    )
                else:
                    log.error("task %s failed for good (attempt %s)", func.__name__, attempt)
                raise

        run.task = task()(run)
        return run.task

    return decorate
