"""The task queue in the admin, for head office only: jobs (procrastinate's
table) with the error of a failed one, the queue's health above the list
(lag, waiting, failed in 24 h, stalled, live workers), the workers with their
heartbeats, and "run again" for a failed or stalled job."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from procrastinate import utils
from procrastinate.contrib.django import app as procrastinate_app
from procrastinate.contrib.django.admin import ProcrastinateJobAdmin
from procrastinate.contrib.django.models import ProcrastinateJob, ProcrastinateWorker

from core.models import QueueJobError
from core.queue_status import queue_health, stalled_job_ids
from facilities.scoping import scope_for

admin.site.unregister(ProcrastinateJob)

# procrastinate's models are named in English ("procrastinate job"); the admin
# reads these names for its titles and counts, and staff read Indonesian.
ProcrastinateJob._meta.verbose_name = gettext_lazy("tugas antrean")
ProcrastinateJob._meta.verbose_name_plural = gettext_lazy("tugas antrean")
ProcrastinateWorker._meta.verbose_name = gettext_lazy("pekerja antrean")
ProcrastinateWorker._meta.verbose_name_plural = gettext_lazy("pekerja antrean")


class _HeadOfficeOnly:
    """The queue spans every facility: national scope only, whatever the
    permissions say."""

    def has_module_permission(self, request) -> bool:
        return scope_for(request.user).is_national and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return scope_for(request.user).is_national and super().has_view_permission(request, obj)


class StatusFilter(admin.SimpleListFilter):
    title = gettext_lazy("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATUS_LABELS.items())

    def queryset(self, request, queryset):
        if self.value() in STATUS_LABELS:
            return queryset.filter(status=self.value())
        return queryset


class StalledFilter(admin.SimpleListFilter):
    title = gettext_lazy("pekerja mati")
    parameter_name = "stalled"

    def lookups(self, request, model_admin):
        return [("1", _("Macet (pekerjanya mati)"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(pk__in=stalled_job_ids())
        return queryset


STATUS_LABELS = {
    "todo": gettext_lazy("Menunggu"),
    "doing": gettext_lazy("Berjalan"),
    "succeeded": gettext_lazy("Selesai"),
    "failed": gettext_lazy("Gagal"),
    "cancelled": gettext_lazy("Dibatalkan"),
    "aborted": gettext_lazy("Dihentikan"),
}


@admin.register(ProcrastinateJob)
class QueueJobAdmin(_HeadOfficeOnly, ProcrastinateJobAdmin):
    # Our own columns: procrastinate's carry inline styles (our CSP refuses
    # them) and English labels.
    list_display = ["pk", "task", "arguments", "status_label", "tries", "scheduled", "error"]
    fields = [
        *list_display,
        *["queue", "lock_name", "queueing_lock_name", "job_priority", "full_error"],
    ]
    list_filter = [StalledFilter, StatusFilter, "queue_name", "task_name"]
    search_fields = ["task_name", "=id"]
    actions = ["run_again"]
    change_list_template = "admin/queue/change_list.html"

    def get_queryset(self, request):
        last_error = QueueJobError.objects.filter(job_id=OuterRef("pk")).order_by("-failed_at")
        return (
            super()
            .get_queryset(request)
            .annotate(last_error=Subquery(last_error.values("error")[:1]))
        )

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "queue_health": queue_health()}
        return super().changelist_view(request, extra_context)

    @admin.display(description=gettext_lazy("Tugas"))
    def task(self, job: ProcrastinateJob) -> str:
        # The generic job runs a Django task: name that, not the wrapper.
        return (
            job.args.get("path", job.task_name)
            if job.task_name == "run_django_task"
            else job.task_name
        )

    @admin.display(description=gettext_lazy("Argumen"))
    def arguments(self, job: ProcrastinateJob) -> str:
        if job.task_name == "run_django_task":
            shown = {"args": job.args.get("args"), "kwargs": job.args.get("kwargs")}
        else:
            shown = job.args
        return json.dumps(shown, ensure_ascii=False)[:300]

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def status_label(self, job: ProcrastinateJob) -> str:
        return STATUS_LABELS.get(job.status, job.status)

    @admin.display(description=gettext_lazy("Percobaan"), ordering="attempts")
    def tries(self, job: ProcrastinateJob) -> int:
        return job.attempts

    @admin.display(description=gettext_lazy("Dijadwalkan"), ordering="scheduled_at")
    def scheduled(self, job: ProcrastinateJob):
        return job.scheduled_at or _("segera")

    @admin.display(description=gettext_lazy("Antrean"))
    def queue(self, job: ProcrastinateJob) -> str:
        return job.queue_name

    @admin.display(description=gettext_lazy("Kunci (satu berjalan)"))
    def lock_name(self, job: ProcrastinateJob) -> str:
        return job.lock or "—"

    @admin.display(description=gettext_lazy("Kunci antre (satu menunggu)"))
    def queueing_lock_name(self, job: ProcrastinateJob) -> str:
        return job.queueing_lock or "—"

    @admin.display(description=gettext_lazy("Prioritas"))
    def job_priority(self, job: ProcrastinateJob) -> int:
        return job.priority

    @admin.display(description=gettext_lazy("Galat terakhir"))
    def error(self, job: ProcrastinateJob) -> str:
        error = (getattr(job, "last_error", None) or "").strip()
        return error.splitlines()[-1][:300] if error else ""

    @admin.display(description=gettext_lazy("Jejak galat"))
    def full_error(self, job: ProcrastinateJob) -> str:
        return getattr(job, "last_error", None) or ""

    def has_run_again_permission(self, request) -> bool:
        return scope_for(request.user).is_national

    @admin.action(
        description=gettext_lazy("Jalankan ulang tugas yang gagal"), permissions=["run_again"]
    )
    def run_again(self, request, queryset):
        """Put each failed (or stalled) job back in the queue as it is: the same
        job, its attempts counted on; its errors stay listed."""
        stalled = set(stalled_job_ids())
        queued = 0
        for job in queryset.filter(status__in=["failed", "doing"]):
            if job.status == "doing" and job.pk not in stalled:
                continue  # still running on a live worker
            procrastinate_app.job_manager.retry_job_by_id(
                job.pk, utils.utcnow(), job.priority, job.queue_name, job.lock
            )
            queued += 1
        self.message_user(
            request, _("%(n)s tugas dijalankan ulang.") % {"n": queued}, messages.SUCCESS
        )


@admin.register(ProcrastinateWorker)
class QueueWorkerAdmin(_HeadOfficeOnly, admin.ModelAdmin):
    list_display = ["pk", "heartbeat", "alive"]
    ordering = ["-last_heartbeat"]

    @admin.display(description=gettext_lazy("Detak terakhir"), ordering="last_heartbeat")
    def heartbeat(self, worker: ProcrastinateWorker):
        return worker.last_heartbeat

    @admin.display(boolean=True, description=gettext_lazy("Hidup"))
    def alive(self, worker: ProcrastinateWorker) -> bool:
        age = (timezone.now() - worker.last_heartbeat).total_seconds()
        return age < settings.QUEUE_STALLED_SECONDS

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
