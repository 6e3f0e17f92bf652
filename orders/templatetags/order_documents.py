"""Links to the printable documents on the tracking page (orders.documents.views)."""

from django import template

from orders.documents import invoices
from orders.documents.models import Invoice
from orders.models import OrderStatus

register = template.Library()


@register.inclusion_tag("orders/partials/document_links.html")
def order_document_links(order):
    # Open orders: billed exactly when due (orders.documents.invoices). Only an order
    # called off after billing needs asking, so the page's query budget holds.
    has_invoice = invoices.invoice_due(order) or (
        order.status in (OrderStatus.CANCELLED, OrderStatus.EXPIRED)
        and Invoice.objects.filter(order_id=order.pk).exists()
    )
    return {
        "order": order,
        "has_invoice": has_invoice,
        "has_delivery_note": invoices.delivery_note_available(order),
    }
