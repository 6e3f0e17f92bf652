"""Django's tasks API (django-tasks) on the procrastinate queue.

Call sites keep `some_task.enqueue(...)`. This backend turns each call into ONE
procrastinate job of the generic task `core.queue_jobs.run_django_task`, whose
arguments name the Django task by its module path: the worker imports it and
runs it. `run_after` becomes the job's `scheduled_at`, the task's queue and
priority become the job's.

The job is inserted through Django's own database connection, so it joins the
caller's transaction: a rolled-back write queues nothing, and a committed one
cannot lose its job (there is no moment between commit and enqueue).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import normalize_json
from procrastinate import jobs, manager
from procrastinate.contrib.django.django_connector import DjangoConnector

# The one procrastinate task every Django task runs through (core/queue_jobs.py).
RUN_DJANGO_TASK = "run_django_task"


class ProcrastinateBackend(BaseTaskBackend):
    supports_defer = True
    supports_priority = True
    supports_get_result = False

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self.database = self.options.get("DATABASE", "default")
        self._jobs = manager.JobManager(DjangoConnector(alias=self.database))

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        args, kwargs = normalize_json(list(args)), normalize_json(dict(kwargs))
        job = jobs.Job(
            queue=task.queue_name,
            priority=task.priority,
            lock=None,
            queueing_lock=None,
            task_name=RUN_DJANGO_TASK,
            task_kwargs={"path": task.module_path, "args": args, "kwargs": kwargs},
            scheduled_at=task.run_after,
        )
        # One INSERT on Django's connection: inside the caller's transaction
        # when there is one, so the job commits or rolls back with its rows.
        job = self._jobs.defer_job(job)
        return TaskResult(
            task=task,
            id=str(job.id),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
