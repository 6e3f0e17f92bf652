"""The order desk's printable pages (the packing slip here; the invoice and
delivery note in orders.documents.admin) and the transfer receipt viewer: each
opening is recorded in the access trail (UU PDP)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.private_media import private_file_response
from orders.documents import admin as admin_invoices
from orders.documents import labels
from orders.payments.providers import provider_for
from orders.privacy.models import AccessEvent
from orders.privacy.trail import access_record


class OrderPrintMixin:
    """For OrderAdmin: the print links column and the views behind them."""

    @admin.display(description=gettext_lazy("Cetak"))
    def print_links(self, order):
        if order.pk is None:
            return ""
        return format_html(
            '<a href="{}" target="_blank">{}</a> · {}',
            reverse("admin:orders_order_packing_slip", args=[order.pk]),
            _("Slip pengemasan"),
            admin_invoices.document_links(order),
        )

    # --- printable pages -------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:object_id>/slip/",
                self.admin_site.admin_view(self.packing_slip_view),
                name="orders_order_packing_slip",
            ),
            *admin_invoices.document_urls(self),  # invoice and delivery note
            path(
                "<int:object_id>/bukti/<int:proof_id>/",
                self.admin_site.admin_view(self.receipt_view),
                name="orders_order_receipt",
            ),
            *super().get_urls(),
        ]

    def receipt_view(self, request, object_id, proof_id):
        """A transfer receipt, to staff whose scope covers the order (others:
        404, as for the order itself); the file is never at a public URL."""
        order = self.get_queryset(request).filter(pk=object_id).first()
        if order is None:
            raise Http404
        if not self.has_view_permission(request, order):
            raise PermissionDenied
        proof = order.payment_proofs.filter(pk=proof_id).first()
        if proof is None:
            raise Http404
        if not proof.file:  # erased (orders.privacy): nothing left to open
            raise Http404
        access_record(
            actor=request.user,
            action=AccessEvent.Action.RECEIPT_OPENED,
            orders=order,
            detail=f"bukti #{proof.pk}",
        )
        extension = proof.file.name.rsplit(".", 1)[-1]
        return private_file_response(
            proof.file,
            content_type=proof.content_type,
            download_name=f"bukti-{order.code}-{proof.pk}.{extension}",
        )

    def _printable(self, request, object_id, template):
        order = (
            self.get_queryset(request)
            .prefetch_related("lines", "facility__bank_accounts")
            .filter(pk=object_id)
            .first()
        )
        if order is None:
            raise Http404
        if not self.has_view_permission(request, order):
            raise PermissionDenied
        access_record(
            actor=request.user,
            action=AccessEvent.Action.PRINTED,
            orders=order,
            detail=template.rsplit("/", 1)[-1].removesuffix(".html"),
        )
        context = {
            **self.admin_site.each_context(request),
            "order": order,
            "instructions": provider_for(order.payment_method).instructions(order),
            "printed_at": timezone.now(),
        }
        return TemplateResponse(request, template, context)

    @admin.action(description=gettext_lazy("Cetak label pengiriman (A4, 4 per lembar)"))
    def print_labels_a4(self, request, queryset):
        """The selected parcels' labels, four A6 labels to an A4 sheet, for
        an office printer; orders without a resi are named, not printed."""
        orders = list(
            queryset.select_related("facility", "shipment")
            .prefetch_related("lines")
            .order_by("created_at", "id")
        )
        printable = [order for order in orders if labels.label_resi(order)]
        if printable:
            access_record(
                actor=request.user,
                action=AccessEvent.Action.PRINTED,
                orders=printable,
                detail="label",
            )
        return TemplateResponse(
            request,
            "admin/orders/order/labels_a4.html",
            {
                "labels": [labels.label_for(order) for order in printable],
                "skipped": [order.code for order in orders if order not in printable],
            },
        )

    def packing_slip_view(self, request, object_id):
        return self._printable(request, object_id, "admin/orders/order/packing_slip.html")
