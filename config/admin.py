"""The task queue's results in the admin (django-tasks-db registers them;
this adds what staff need on top): a failed background task (mail, payment
notification, refund) is listed with its traceback and can be run again."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from facilities.scoping import scope_for

admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class TaskResultAdmin(DBTaskResultAdmin):
    list_display = [*DBTaskResultAdmin.list_display, "task_path"]
    search_fields = ["task_path", "id"]
    actions = ["run_again"]

    def has_run_again_permission(self, request) -> bool:
        return scope_for(request.user).is_national

    @admin.action(
        description=gettext_lazy("Jalankan ulang tugas yang gagal"), permissions=["run_again"]
    )
    def run_again(self, request, queryset):
        """Queue a fresh copy of each failed task (attempts counted from 1 again);
        the failed row stays as the record of what went wrong."""
        queued = 0
        for result in queryset.filter(status="FAILED"):
            kwargs = {k: v for k, v in result.args_kwargs["kwargs"].items() if k != "attempt"}
            result.task.enqueue(*result.args_kwargs["args"], **kwargs)
            queued += 1
        self.message_user(
            request, _("%(n)s tugas dijalankan ulang.") % {"n": queued}, messages.SUCCESS
        )
