"""Privacy in the admin: shoppers' requests with their 3x24-hour deadline,
scoped like orders; the access trail and the erasures, for head office only."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_inlines import ReadOnlyAdminMixin
from facilities.admin_scoping import FacilityScopedModelAdmin
from facilities.scoping import scope_for
from orders import privacy
from orders.privacy.models import AccessEvent, OrderErasure, PrivacyRequest


class RefusalForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Alasan penolakan"), max_length=300, widget=forms.Textarea
    )


class _ListFilterOpen(admin.SimpleListFilter):
    title = gettext_lazy("tenggat")
    parameter_name = "tenggat"

    def lookups(self, request, model_admin):
        return [
            ("lewat", _("Lewat batas jawab")),
            ("menunggu", _("Menunggu ditangani")),
            ("ditunda", _("Ditunda: urusan pesanan belum tuntas")),
        ]

    def queryset(self, request, queryset):
        open_ = queryset.filter(status=PrivacyRequest.Status.OPEN)
        if self.value() == "lewat":
            return open_.filter(due_at__lt=timezone.now())
        if self.value() == "menunggu":
            return open_
        if self.value() == "ditunda":
            return queryset.filter(status=PrivacyRequest.Status.HELD)
        return queryset


@admin.register(PrivacyRequest)
class PrivacyRequestAdmin(FacilityScopedModelAdmin):
    facility_path = "order__facility"
    list_display = [
        "order",
        "facility",
        "kind",
        "status",
        "created_at",
        "due_at",
        "deadline",
        "held_until",
        "handled_by",
    ]
    list_filter = [_ListFilterOpen, "kind", "status"]
    list_select_related = ["order__facility", "handled_by"]
    search_fields = ["order__code"]
    actions = ["fulfil", "refuse"]
    fields = [
        "order",
        "kind",
        "status",
        "detail",
        "refusal_reason",
        "held_reason",
        "held_until",
        "holds_now",
        "created_at",
        "due_at",
        "handled_by",
        "handled_at",
    ]
    readonly_fields = fields

    def get_ordering(self, request):
        # Open ones first, the nearest deadline on top.
        return ["-status", "due_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("UPT"), ordering="order__facility__name")
    def facility(self, item):
        return item.order.facility

    @admin.display(description=gettext_lazy("tertahan saat ini"))
    def holds_now(self, item):
        """What the one rule says today (the stored reason is the last run's)."""
        if item.status not in (PrivacyRequest.Status.OPEN, PrivacyRequest.Status.HELD):
            return "—"
        holds = privacy.erasure_holds(item.order)
        if not holds and item.status == PrivacyRequest.Status.HELD:
            return _("Tidak ada lagi: diselesaikan oleh retensi harian berikutnya.")
        if not holds:
            return _("Tidak ada: boleh dilaksanakan.")
        return " ".join(h.reason for h in holds)

    @admin.display(description=gettext_lazy("sisa waktu"))
    def deadline(self, item):
        if item.status != PrivacyRequest.Status.OPEN:
            return "—"
        left = item.due_at - timezone.now()
        hours = int(left.total_seconds() // 3600)
        if hours < 0:
            return _("LEWAT %(h)s jam") % {"h": -hours}
        return _("%(h)s jam") % {"h": hours}

    @admin.action(
        description=gettext_lazy("Laksanakan penghapusan (anonimkan)"), permissions=["change"]
    )
    def fulfil(self, request, queryset):
        done = refused = 0
        for item in queryset.filter(kind=PrivacyRequest.Kind.DELETION).select_related("order"):
            try:
                answered = privacy.privacy_request_fulfil(request=item, actor=request.user)
            except privacy.PrivacyError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
                continue
            if answered.status == PrivacyRequest.Status.DONE:
                done += 1
            elif answered.status == PrivacyRequest.Status.HELD:
                self.message_user(
                    request,
                    _("%(code)s: ditunda, %(reason)s Dilaksanakan otomatis setelah tuntas.")
                    % {"code": item.order.code, "reason": answered.held_reason},
                    messages.WARNING,
                )
            else:
                refused += 1
                self.message_user(
                    request, f"{item.order.code}: {answered.refusal_reason}", messages.WARNING
                )
        if done:
            self.message_user(
                request, _("%(n)s pesanan dianonimkan.") % {"n": done}, messages.SUCCESS
            )

    @admin.action(description=gettext_lazy("Tolak dengan alasan…"), permissions=["change"])
    def refuse(self, request, queryset):
        items = list(queryset.select_related("order"))
        if "apply" in request.POST:
            form = RefusalForm(request.POST)
            if form.is_valid():
                for item in items:
                    try:
                        privacy.privacy_request_refuse(
                            request=item, actor=request.user, reason=form.cleaned_data["reason"]
                        )
                    except privacy.PrivacyError as error:
                        self.message_user(request, " ".join(error.messages), messages.ERROR)
                    else:
                        self.message_user(
                            request, _("%(code)s: ditolak.") % {"code": item.order.code}
                        )
                return None
        else:
            form = RefusalForm()
        return TemplateResponse(
            request,
            "admin/orders/privacyrequest/refuse_form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Tolak permintaan data pribadi"),
                "requests": items,
                "form": form,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )


class _HeadOfficeOnly(ReadOnlyAdminMixin):
    """Read-only, and only for national scope: the trail is how head office
    checks on everyone else, so no one else reads (or edits) it."""

    def has_module_permission(self, request):
        return scope_for(request.user).is_national and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return scope_for(request.user).is_national and super().has_view_permission(request, obj)


@admin.register(AccessEvent)
class AccessEventAdmin(_HeadOfficeOnly, admin.ModelAdmin):
    list_display = ["created_at", "actor_username", "action", "order_count", "codes", "detail"]
    list_filter = ["action"]
    search_fields = ["actor_username"]
    date_hierarchy = "created_at"
    fields = ["created_at", "actor", "actor_username", "action", "order_count", "codes", "detail"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("kode pesanan"))
    def codes(self, event):
        shown = event.order_codes[:10]
        more = len(event.order_codes) - len(shown)
        return ", ".join(shown) + (f" (+{more})" if more > 0 else "")

    def get_search_results(self, request, queryset, search_term):
        # "Who looked at order X?": an order code matches the events naming it.
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        code = search_term.strip().upper()
        if code:
            queryset = queryset | self.get_queryset(request).filter(order_codes__contains=[code])
        return queryset, duplicates


@admin.register(OrderErasure)
class OrderErasureAdmin(_HeadOfficeOnly, admin.ModelAdmin):
    list_display = ["order", "reason", "receipt_files", "erased_at"]
    list_filter = ["reason"]
    search_fields = ["order__code"]
    fields = list_display
    readonly_fields = fields
