"""The histories shown on an order's admin page: lines, transfer receipts,
settlement, gateway refunds and the event trail. Rows are written by the
services, never here."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.admin_inlines import ReadOnlyInline
from core.money import format_rupiah
from orders.admin_workflow import actor_label_display
from orders.models import OrderEvent, OrderLine, PaymentProof
from orders.payments.models import GatewayRefund, SettlementEntry


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ["product_name", "unit_price_rupiah", "quantity", "line_total_rupiah", "made_to_order"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("harga satuan"))
    def unit_price_rupiah(self, line):
        return format_rupiah(line.unit_price)

    @admin.display(description=gettext_lazy("jumlah harga"))
    def line_total_rupiah(self, line):
        return format_rupiah(line.line_total)


class PaymentProofInline(ReadOnlyInline):
    model = PaymentProof
    fields = ["receipt_link", "status", "uploaded_at", "reviewed_by", "rejection_reason"]
    readonly_fields = fields
    related = ("reviewed_by",)

    @admin.display(description=gettext_lazy("Berkas"))
    def receipt_link(self, proof):
        url = reverse("admin:orders_order_receipt", args=[proof.order_id, proof.pk])
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Buka bukti")
        )


class OrderEventInline(ReadOnlyInline):
    model = OrderEvent
    fields = ["created_at", "from_status", "to_status", "actor_display", "note"]
    readonly_fields = fields
    related = ("actor",)

    @admin.display(description=gettext_lazy("oleh"))
    def actor_display(self, event):
        # The account when a person acted, else who it was (shopper, system).
        if event.actor_id:
            return event.actor.get_full_name() or event.actor.get_username()
        return actor_label_display(event.actor_label)


class SettlementInline(ReadOnlyInline):
    """Paid online: what the operator owes the facility for this order."""

    model = SettlementEntry
    fields = ["amount", "status", "paid_out_at", "payout_reference"]
    readonly_fields = fields


class GatewayRefundInline(ReadOnlyInline):
    model = GatewayRefund
    fields = ["amount", "status", "reason", "created_at", "done_at"]
    readonly_fields = fields
