"""One message per checkout event, not one per order.

A checkout from two facilities makes two orders, and one online payment pays
both: each order writes its own OrderEvent ("placed", then "paid"), and the
shopper used to get one WhatsApp and one mail per event, i.e. two "pesanan
dibuat" and two "pembayaran diterima" for one thing they did. The messages are
about what the shopper did, so they are grouped here:

- "placed": every order of the checkout (one form, one moment);
- "paid" by the gateway: every online-paid order of the checkout (one payment
  confirms them in one transaction, orders.payments.services);
- anything else (a transfer confirmed by one facility, a shipment, ...) is one
  order's own news and stays per order.

The group's first order (lowest id) is the anchor: the WhatsApp row is stored
against it, so the existing once-per-(order, event, channel) constraint makes a
second order's event find the row and send nothing; mail uses one SentMail key
per checkout event (core.mail_once).
"""

from __future__ import annotations

from orders.models import Order, OrderEvent, OrderStatus, PaymentMethod

PLACED = "placed"
PAID = "paid"


def is_placed(event: OrderEvent) -> bool:
    return not event.from_status


def checkout_group(order: Order, kind: str) -> list[Order]:
    """The orders one message about `kind` for `order` covers, anchor first."""
    orders = Order.objects.filter(checkout_id=order.checkout_id).select_related("facility")
    if kind == PLACED:
        group = orders
    elif kind == PAID and order.payment_method == PaymentMethod.GATEWAY:
        group = orders.filter(payment_method=PaymentMethod.GATEWAY, paid_at__isnull=False)
    else:
        return [order]
    return list(group.order_by("pk")) or [order]


def paid_group_key(event: OrderEvent) -> str | None:
    """The SentMail key of the shopper's "paid" mail when it covers the checkout, else None."""
    order = event.order
    if event.to_status != OrderStatus.PAID or order.payment_method != PaymentMethod.GATEWAY:
        return None
    return f"orders.paid:checkout:{order.checkout_id}"
