"""What the two desks of imported money lines share (bank statements,
orders/payments/admin_statements.py; the gateway's settlement report,
orders/payments/admin_gateway_report.py): a file is uploaded and read into lines by
the desk's service; a line is read-only, waits for a person until it is
matched or marked handled, and "Tandai sudah ditangani" calls the desk's own
service. Each desk says who may use it, how it reads a file and which lines
are still open."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders.payments.statement_csv import StatementError
from orders.services.common import OrderError


class NeedsPersonFilter(admin.SimpleListFilter):
    """The "perlu ditangani" filter: the lines the desk's `open_lines` names."""

    title = gettext_lazy("perlu ditangani")
    parameter_name = "perlu"

    def lookups(self, request, model_admin):
        return [("ya", _("Ya")), ("tidak", _("Tidak"))]

    def queryset(self, request, queryset):
        open_lines = self.model_admin_open_lines(queryset)
        if self.value() == "ya":
            return open_lines
        if self.value() == "tidak":
            return queryset.exclude(pk__in=open_lines.values("pk"))
        return queryset

    def __init__(self, request, params, model, model_admin):
        self.model_admin_open_lines = model_admin.open_lines
        super().__init__(request, params, model, model_admin)


class LineDeskAdminMixin:
    """Read-only lines, one permission rule, the "mark handled" action."""

    actions = ["resolve"]

    def may_use(self, request) -> bool:
        raise NotImplementedError

    def open_lines(self, queryset: QuerySet) -> QuerySet:
        raise NotImplementedError

    def resolve_line(self, *, line, actor) -> None:
        """The desk's service; raises OrderError when it refuses."""
        raise NotImplementedError

    def has_module_permission(self, request):
        return self.may_use(request)

    def has_view_permission(self, request, obj=None):
        return self.may_use(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return self.may_use(request)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("Tandai sudah ditangani"))
    def resolve(self, request, queryset):
        done = 0
        for line in queryset:
            try:
                self.resolve_line(line=line, actor=request.user)
            except OrderError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        self.message_user(
            request, _("%(n)s baris ditandai sudah ditangani.") % {"n": done}, messages.SUCCESS
        )


class ImportDeskAdminMixin:
    """The upload side of a desk: adding an import is uploading a file, which
    the desk's service reads into lines; an import is never edited or deleted.
    Each desk gives its form, its service call, its summary and the lines it
    holds for a person."""

    upload_template: str
    upload_title = ""

    def may_use(self, request) -> bool:
        raise NotImplementedError

    def upload_form(self, request):
        raise NotImplementedError

    def import_upload(self, request, form, upload):
        """Read and import the file; raises StatementError for a file that
        cannot be read, OrderError when the service refuses."""
        raise NotImplementedError

    def import_summary(self, imported) -> str:
        raise NotImplementedError

    def held_count(self, imported) -> int:
        raise NotImplementedError

    def has_module_permission(self, request):
        return self.may_use(request)

    def has_view_permission(self, request, obj=None):
        return self.may_use(request)

    def has_add_permission(self, request):
        return self.may_use(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """The upload form instead of a model form: the service creates the rows."""
        if not self.may_use(request):
            raise PermissionDenied
        form = self.upload_form(request)
        if request.method == "POST" and form.is_valid():
            try:
                imported = self.import_upload(request, form, form.cleaned_data["file"])
            except StatementError as error:
                form.add_error("file", str(error))
            except OrderError as error:
                form.add_error(None, " ".join(error.messages))
            else:
                self.message_user(request, self.import_summary(imported), messages.SUCCESS)
                held = self.held_count(imported)
                if held:
                    self.message_user(
                        request,
                        _("%(n)s baris perlu ditangani petugas; alasannya di kolom hasil.")
                        % {"n": held},
                        messages.WARNING,
                    )
                opts = self.model._meta
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[imported.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": self.upload_title,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, self.upload_template, context)
