"""Failed background work in head office's inbox (facilities.inbox): jobs
of the queue (procrastinate) that failed in the last 24 hours, each opening
its page in "Antrean tugas" where it can be run again. A task retried with
backoff (core/task_retry.py) shows each failed attempt until it is 24 hours
old, so a person sees a relay that keeps failing while it is still failing."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from procrastinate.contrib.django.models import ProcrastinateEvent, ProcrastinateJob

from facilities.inbox import NATIONAL, InboxItem, register_source

LABEL = _("Tugas latar gagal (24 jam terakhir)")


def _rows(now):
    recent = ProcrastinateEvent.objects.filter(type="failed", at__gte=now - timedelta(hours=24))
    return ProcrastinateJob.objects.filter(
        status="failed", id__in=recent.values("job_id")
    ).order_by("-id")


def _item(job, now) -> InboxItem:
    path = job.args.get("path", job.task_name) if job.task_name == "run_django_task" else None
    return InboxItem(
        kind="failed_tasks",
        kind_label=str(LABEL),
        title=f"#{job.pk} · {path or job.task_name}",
        url=reverse("admin:procrastinate_procrastinatejob_change", args=[job.pk]),
        deadline=None,
        overdue=False,
    )


def register() -> None:
    register_source(
        "failed_tasks",
        label=LABEL,
        rows=_rows,
        late=None,
        item=_item,
        workers={NATIONAL},
        facility_path=None,
        perm="procrastinate.view_procrastinatejob",
        position=95,
    )
