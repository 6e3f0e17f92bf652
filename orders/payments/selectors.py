"""Reads of the payments room (moved from orders.selectors, which the order
core's modules read and which therefore cannot know the gateway's tables)."""

from __future__ import annotations

from orders.models import Order, PaymentMethod
from orders.payments.models import GatewayPayment


def gateway_payment_for_checkout(code: str) -> GatewayPayment | None:
    """The checkout's latest gateway charge (one query), or None."""
    return GatewayPayment.objects.filter(checkout__code=code).order_by("-created_at", "-id").first()


def gateway_payment_for_order(order: Order) -> GatewayPayment | None:
    """The latest gateway charge of the order's checkout, for an order paid online."""
    if order.payment_method != PaymentMethod.GATEWAY:
        return None
    return (
        GatewayPayment.objects.filter(checkout_id=order.checkout_id)
        .order_by("-created_at", "-id")
        .first()
    )
