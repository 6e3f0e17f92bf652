"""The shopper's printable invoice and delivery note, from the tracking page;
and the staff's printable A6 parcel label (shipping_label).

Same door as the tracking page: the session must have matched the order's code
and phone (orders.tracking); anything else gets exactly the wrong-code answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from facilities.scoping import scope_for
from orders import tracking
from orders.documents import content as documents
from orders.documents import invoices
from orders.documents.labels import label_for, label_resi
from orders.models import Order

TEMPLATE = "orders/documents/document.html"
NOT_YET = gettext_lazy(
    "Faktur terbit setelah pembayaran dikonfirmasi; untuk pembayaran tempo, saat barang dikirim."
)


def _render(request, doc, order):
    return render(
        request,
        TEMPLATE,
        {"doc": doc, "back_url": reverse("orders:track_detail", args=[order.code])},
    )


@never_cache
@require_GET
def invoice(request, code):
    order = tracking.tracked_order(request, code)
    if order is None:
        return tracking.refused_response(request)
    issued = invoices.invoice_issue_if_due(order=order)
    if issued is None:
        messages.info(request, NOT_YET)
        return redirect("orders:track_detail", code=order.code)
    return _render(request, documents.invoice_document(issued, order), order)


@never_cache
@require_GET
def delivery_note(request, code):
    order = tracking.tracked_order(request, code)
    if order is None:
        return tracking.refused_response(request)
    if not invoices.delivery_note_available(order):
        messages.info(request, _("Surat jalan tersedia setelah pesanan diproses UPT."))
        return redirect("orders:track_detail", code=order.code)
    return _render(request, documents.delivery_note_document(order), order)


@staff_member_required
def shipping_label(request, pk: int):
    """A printable A6 label: the resi (and its barcode), courier, sender, recipient."""
    order = get_object_or_404(
        Order.objects.select_related("facility", "shipment").prefetch_related("lines"), pk=pk
    )
    scope = scope_for(request.user)
    if not (scope.is_national or scope.facility_id == order.facility_id):
        raise Http404
    if not label_resi(order):
        raise Http404
    return render(request, "orders/shipping_label.html", {"label": label_for(order)})
