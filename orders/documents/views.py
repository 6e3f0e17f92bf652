"""The shopper's printable invoice and delivery note, from the tracking page.

Same door as the tracking page: the session must have matched the order's code
and phone (orders.tracking); anything else gets exactly the wrong-code answer.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from orders import tracking
from orders.documents import content as documents
from orders.documents import invoices

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
