"""The staff access trail: who saw or took shopper data, when, by order code."""

from __future__ import annotations

from orders.models import Order
from orders.privacy.models import AccessEvent


def access_record(*, actor, action: str, orders, detail: str = "") -> AccessEvent:
    """Log that `actor` saw or took shopper data of `orders` (an order, or an
    iterable of orders or of their codes): who, when, what, by code only."""
    if isinstance(orders, Order):
        orders = [orders]
    codes = [o if isinstance(o, str) else o.code for o in orders]
    return AccessEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_username=getattr(actor, "get_username", lambda: "")()[:150],
        action=action,
        order_codes=codes,
        order_count=len(codes),
        detail=detail[:120],
    )
