"""Online payments: the gateway's charges, notifications and refunds, the
settlement ledger, and the refunds ledger. All read-only: rows come from the
services (orders.payments.services, orders.payments.services.order_refunds)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_inlines import ReadOnlyAdminMixin
from core.exports import csv_writer
from facilities.admin_scoping import FacilityScopedAdminMixin, FacilityScopedModelAdmin
from facilities.scoping import scope_for
from orders.payments import services as gateway_services
from orders.payments.models import (
    GatewayNotification,
    GatewayPayment,
    GatewayRefund,
    OrderRefund,
    SettlementEntry,
)
from orders.services.common import OrderError


class _ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(GatewayPayment)
class GatewayPaymentAdmin(_ReadOnlyAdmin):
    """Head office's view of every charge (a charge spans facilities)."""

    list_display = [
        "gateway_order_id",
        "channel",
        "amount",
        "status",
        "gateway_status",
        "created_at",
        "charged_at",
        "checked_at",
        "paid_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["gateway_order_id", "checkout__code", "checkout__orders__code"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if scope_for(request.user).is_national else queryset.none()


@admin.register(GatewayNotification)
class GatewayNotificationAdmin(_ReadOnlyAdmin):
    """Every notification as received, with what processing made of it
    (forged ones are refused before they are stored, and logged)."""

    list_display = [
        "gateway_order_id",
        "transaction_status",
        "gross_amount",
        "received_at",
        "processed_at",
        "outcome",
    ]
    list_filter = ["transaction_status"]
    search_fields = ["gateway_order_id"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if scope_for(request.user).is_national else queryset.none()


class ManualRefundForm(forms.Form):
    bank_account = forms.CharField(
        label=gettext_lazy("Rekening pembeli (bank, nomor, atas nama)"), max_length=200
    )
    reference = forms.CharField(label=gettext_lazy("Referensi transfer"), max_length=100)


@admin.register(GatewayRefund)
class GatewayRefundAdmin(FacilityScopedAdminMixin, _ReadOnlyAdmin):
    """Money going back to shoppers. Virtual-account money (the gateway cannot
    refund it) waits here as "manual" until staff transfer it and record it
    with the action below; the facility's staff or head office may."""

    facility_path = "order__facility"
    list_display = [
        "order",
        "amount",
        "status",
        "reason",
        "created_at",
        "done_at",
        "transfer_reference",
    ]
    list_filter = ["status"]
    search_fields = ["order__code", "refund_key", "transfer_reference"]
    actions = ["record_manual_transfer"]

    @admin.action(description=gettext_lazy("Catat transfer manual ke pembeli"))
    def record_manual_transfer(self, request, queryset):
        waiting = list(
            queryset.filter(
                status__in=[GatewayRefund.Status.MANUAL, GatewayRefund.Status.FAILED]
            ).select_related("order")
        )
        if len(waiting) != 1:
            self.message_user(
                request,
                _("Pilih tepat satu pengembalian dana yang menunggu transfer manual."),
                messages.ERROR,
            )
            return None
        refund = waiting[0]
        form = ManualRefundForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            try:
                gateway_services.gateway_refund_manual_done(
                    refund=refund,
                    actor=request.user,
                    bank_account=form.cleaned_data["bank_account"],
                    reference=form.cleaned_data["reference"],
                )
            except OrderError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            else:
                self.message_user(
                    request, _("Transfer pengembalian dana dicatat."), messages.SUCCESS
                )
            return None
        return TemplateResponse(
            request,
            "admin/orders/refund_manual.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Catat transfer manual ke pembeli"),
                "entries": waiting,
                "refund": refund,
                "form": form,
                "opts": self.model._meta,
            },
        )


class PayOutForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Referensi transfer setoran"), max_length=100)


@admin.register(SettlementEntry)
class SettlementEntryAdmin(FacilityScopedAdminMixin, _ReadOnlyAdmin):
    """The settlement ledger: what the operator owes each facility for orders
    paid online, and the transfers that paid it. Facility staff see their own."""

    list_display = [
        "order",
        "facility",
        "amount",
        "status",
        "created_at",
        "paid_out_at",
        "payout_reference",
    ]
    list_filter = ["status", "facility"]
    search_fields = ["order__code", "payout_reference"]
    actions = ["pay_out", "payout_sheet"]

    @admin.action(description=gettext_lazy("Unduh daftar setoran (CSV)"))
    def payout_sheet(self, request, queryset):
        """What to transfer to whom: one line per facility with its account and
        the sum owed, then the orders it covers. Only rows still owed count."""
        owed = (
            queryset.filter(status=SettlementEntry.Status.OWED)
            .select_related("facility", "order")
            .prefetch_related("facility__bank_accounts")
            .order_by("facility__name", "order__code")
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="setoran-upt.csv"'
        writer = csv_writer(response, delimiter=";")
        writer.writerow(
            [_("UPT"), _("bank"), _("nomor rekening"), _("atas nama"), _("jumlah"), _("pesanan")]
        )
        by_facility: dict = {}
        for entry in owed:
            by_facility.setdefault(entry.facility, []).append(entry)
        for facility, entries in by_facility.items():
            account = next((a for a in facility.bank_accounts.all() if a.is_active), None)
            writer.writerow(
                [
                    facility.name,
                    account.bank_name if account else "",
                    account.account_number if account else "",
                    account.account_holder if account else "",
                    sum(e.amount for e in entries),
                    " ".join(e.order.code for e in entries),
                ]
            )
        return response

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not scope_for(request.user).is_national:
            actions.pop("pay_out", None)
        return actions

    @admin.action(description=gettext_lazy("Catat sudah disetor ke UPT"))
    def pay_out(self, request, queryset):
        if "apply" in request.POST:
            form = PayOutForm(request.POST)
            if form.is_valid():
                try:
                    count = gateway_services.settlement_pay_out(
                        entries=list(queryset),
                        actor=request.user,
                        reference=form.cleaned_data["reference"],
                    )
                except OrderError as error:
                    self.message_user(request, " ".join(error.messages), messages.ERROR)
                else:
                    self.message_user(
                        request, _("%(n)s setoran dicatat.") % {"n": count}, messages.SUCCESS
                    )
                return None
        else:
            form = PayOutForm()
        return TemplateResponse(
            request,
            "admin/orders/settlement_pay_out.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Catat setoran ke UPT"),
                "entries": queryset,
                "total": sum(e.amount for e in queryset),
                "form": form,
                "opts": self.model._meta,
            },
        )


@admin.register(OrderRefund)
class OrderRefundAdmin(ReadOnlyAdminMixin, FacilityScopedModelAdmin):
    """The refunds ledger, read-only: rows come from orders.payments.services.order_refunds only."""

    facility_path = "order__facility"
    list_display = ("order", "amount", "method", "source", "recorded_by", "created_at")
    list_filter = ("method",)
    search_fields = ("order__code", "refund_key")
    readonly_fields = (
        "order",
        "amount",
        "reason",
        "refund_key",
        "source",
        "method",
        "gateway_refund",
        "transfer_reference",
        "recorded_by",
        "created_at",
    )
