"""The staff's printable invoice and delivery note, from the admin order page.

OrderAdmin adds these URLs (`document_urls`) and links (`document_links`).
Scope is the order list's own: an order outside the user's scope (another
facility's, another region's) is a 404, as on the order page itself. Kanwil
reviewers may print their region's documents; printing acts on nothing.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from orders.documents import content as documents
from orders.documents import invoices
from orders.documents.models import Invoice
from orders.privacy.models import AccessEvent
from orders.privacy.trail import access_record

TEMPLATE = "orders/documents/document.html"


def document_urls(model_admin) -> list:
    def view(render):
        def wrapped(request, object_id):
            return render(model_admin, request, object_id)

        return model_admin.admin_site.admin_view(wrapped)

    return [
        path("<int:object_id>/faktur/", view(invoice_view), name="orders_order_invoice"),
        path(
            "<int:object_id>/surat-jalan/",
            view(delivery_note_view),
            name="orders_order_delivery_note",
        ),
    ]


def document_links(order) -> str:
    if order.pk is None:
        return ""
    number = Invoice.objects.filter(order_id=order.pk).values_list("number", flat=True).first()
    return format_html(
        '<a href="{}" target="_blank">{}</a> · <a href="{}" target="_blank">{}</a>',
        reverse("admin:orders_order_invoice", args=[order.pk]),
        _("Faktur %(number)s") % {"number": number}
        if number
        else _("Faktur belum terbit: cetak tagihan"),
        reverse("admin:orders_order_delivery_note", args=[order.pk]),
        _("Surat jalan"),
    )


def _scoped_order(model_admin, request, object_id, what: str):
    order = (
        model_admin.get_queryset(request).select_related("facility").filter(pk=object_id).first()
    )
    if order is None:
        raise Http404
    if not model_admin.has_view_permission(request, order):
        raise PermissionDenied
    # The document shows the buyer: UU PDP wants a trail of who printed it.
    access_record(actor=request.user, action=AccessEvent.Action.PRINTED, orders=order, detail=what)
    return order


def _render(model_admin, request, order, doc):
    back = reverse("admin:orders_order_change", args=[order.pk])
    return TemplateResponse(request, TEMPLATE, {"doc": doc, "back_url": back})


def invoice_view(model_admin, request, object_id):
    """The numbered invoice once the order is billed (orders.documents.invoices); before
    that, the unnumbered bill with the transfer details."""
    order = _scoped_order(model_admin, request, object_id, "invoice")
    issued = invoices.invoice_issue_if_due(order=order)
    doc = (
        documents.invoice_document(issued, order)
        if issued is not None
        else documents.bill_document(order)
    )
    return _render(model_admin, request, order, doc)


def delivery_note_view(model_admin, request, object_id):
    order = _scoped_order(model_admin, request, object_id, "delivery_note")
    return _render(model_admin, request, order, documents.delivery_note_document(order))
