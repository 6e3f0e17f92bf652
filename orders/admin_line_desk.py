"""What the two desks of imported money lines share (bank statements,
orders/admin_statements.py; the gateway's settlement report,
orders/admin_gateway_report.py): a line is read-only, waits for a person
until it is matched or marked handled, and "Tandai sudah ditangani" calls
the desk's own service. Each desk says who may use it and which lines are
still open."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from orders import services


class NeedsPersonFilter(admin.SimpleListFilter):
    """"Perlu ditangani": the lines the desk's `open_lines` names."""

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
        """The desk's service; raises services.OrderError when it refuses."""
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
            except services.OrderError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                done += 1
        self.message_user(
            request, _("%(n)s baris ditandai sudah ditangani.") % {"n": done}, messages.SUCCESS
        )
