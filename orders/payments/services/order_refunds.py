"""Refunds against an order: the one place that decides how much may still go
back and records it (through the gateway when the order was paid there, else
as a manual transfer with who and when).

Locking: the order row is locked (select_for_update) before the sum of earlier
refunds is read, so two refunds racing on one order are serialised and their
sum never passes what was paid.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from orders.models import Order, OrderStatus, PaymentMethod
from orders.payments.models import OrderRefund
from orders.services.common import OrderError

# Statuses in which the order's total has been received.
_PAID_STATUSES = frozenset(
    {
        OrderStatus.PAID,
        OrderStatus.PROCESSING,
        OrderStatus.SHIPPED,
        OrderStatus.READY_FOR_PICKUP,
        OrderStatus.COMPLETED,
    }
)


def order_paid_amount(order: Order) -> int:
    """What the shopper has paid for the order (0 before payment; pay-at-pickup
    orders are paid when handed over, i.e. completed)."""
    if order.status not in _PAID_STATUSES:
        return 0
    if (
        order.payment_method == PaymentMethod.PAY_AT_PICKUP
        and order.status != OrderStatus.COMPLETED
    ):
        return 0
    return order.total


def order_refunded_amount(order: Order) -> int:
    return OrderRefund.objects.filter(order=order).aggregate(s=Sum("amount"))["s"] or 0


def order_refundable_amount(order: Order) -> int:
    return max(order_paid_amount(order) - order_refunded_amount(order), 0)


def order_refund_record(
    *,
    order: Order,
    amount: int,
    reason: str,
    refund_key: str,
    actor=None,
    source: str = "",
    transfer_reference: str = "",
    lock: bool = True,
) -> OrderRefund:
    """Record a refund of `amount` on `order`; the same `refund_key` again
    returns the first refund unchanged (idempotent replay).

    Orders paid through the gateway are refunded there (partial refunds use
    Midtrans' amount + refund_key, sent after commit); others are recorded as a
    manual transfer by `actor`.

    `lock=False` exists only for the race test's control.

    Raises OrderError when the amount is not positive or passes what was paid
    minus what was already refunded.
    """
    from orders.payments import services as gateway_services

    if not isinstance(amount, int) or amount <= 0:
        raise OrderError(_("Jumlah pengembalian dana harus lebih dari nol."))
    refund_key = (refund_key or "").strip()[:80]
    if not refund_key:
        raise OrderError(_("Kunci pengembalian dana wajib ada."))
    with transaction.atomic():
        existing = OrderRefund.objects.filter(refund_key=refund_key).first()
        if existing is not None:
            return existing
        if lock:
            order = Order.objects.select_for_update().get(pk=order.pk)
        else:
            order = Order.objects.get(pk=order.pk)
        # Read after the lock: a refund committed meanwhile is counted.
        existing = OrderRefund.objects.filter(refund_key=refund_key).first()
        if existing is not None:
            return existing
        left = order_refundable_amount(order)
        if amount > left:
            raise OrderError(
                _("Jumlah melebihi dana yang bisa dikembalikan (sisa Rp %(left)s).")
                % {"left": f"{left:,}".replace(",", ".")}
            )
        via_gateway = order.payment_method == PaymentMethod.GATEWAY
        gateway_refund = None
        if via_gateway:
            gateway_refund = gateway_services.gateway_refund_partial(
                order=order, amount=amount, refund_key=refund_key, reason=reason
            )
        try:
            with transaction.atomic():
                return OrderRefund.objects.create(
                    order=order,
                    amount=amount,
                    reason=(reason or "")[:300],
                    refund_key=refund_key,
                    source=source[:40],
                    method=OrderRefund.Method.GATEWAY
                    if via_gateway
                    else OrderRefund.Method.TRANSFER,
                    gateway_refund=gateway_refund,
                    transfer_reference=(transfer_reference or "")[:100],
                    recorded_by=actor,
                )
        except IntegrityError:
            raise OrderError(_("Pengembalian dana ini sudah dicatat.")) from None
