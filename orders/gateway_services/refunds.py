"""Refunds through the gateway: in full for a cancelled or late-paid order,
in part for orders.refunds; sent after commit with a fixed refund_key."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import services
from orders.midtrans import (
    GatewayError,
    MidtransClient,
)
from orders.models import (
    GatewayPayment,
    GatewayRefund,
    Order,
    SettlementEntry,
)

log = logging.getLogger("orders.gateway_services")  # one name for the package


def _send_after_commit(refund: GatewayRefund) -> None:
    """The gateway is asked as a task once the refund row is committed."""

    def queue():
        from orders import tasks

        tasks.gateway_refund_send.enqueue(refund.pk)

    transaction.on_commit(queue)


def refund_in_full(payment: GatewayPayment, order: Order, reason: str) -> GatewayRefund:
    # The full refund's key is fixed per order, so a cancelled order's money
    # still goes back once however often this runs.
    refund, created = GatewayRefund.objects.get_or_create(
        refund_key=f"{payment.gateway_order_id}-R{order.pk}",
        defaults={
            "payment": payment,
            "order": order,
            "amount": order.total,
            "reason": reason[:300],
        },
    )
    if created:
        SettlementEntry.objects.filter(order=order, status=SettlementEntry.Status.OWED).update(
            status=SettlementEntry.Status.REFUNDED
        )
        _send_after_commit(refund)
    return refund


def gateway_refund_for_cancelled(*, order: Order, reason: str) -> GatewayRefund | None:
    """Staff cancelled an order paid online: record its refund and send it
    through the gateway after commit. None when no money was received."""
    entry = SettlementEntry.objects.select_related("payment").filter(order=order).first()
    if entry is None:
        return None
    reason = _("Dibatalkan UPT: %(reason)s") % {"reason": reason}
    return refund_in_full(entry.payment, order, reason)


def gateway_payment_for(order: Order) -> GatewayPayment | None:
    """The gateway payment that paid this order, None when it was paid otherwise."""
    entry = SettlementEntry.objects.select_related("payment").filter(order=order).first()
    return entry.payment if entry else None


def gateway_refund_partial(
    *, order: Order, amount: int, refund_key: str, reason: str
) -> GatewayRefund:
    """Record a refund of part (or all) of a paid order's money and send it
    through the gateway after commit (Midtrans' refund API takes an amount and a
    refund_key). The caller (orders.refunds) has checked the amount under a lock
    on the order. Raises services.OrderError when the order was not paid online."""
    payment = gateway_payment_for(order)
    if payment is None:
        raise services.OrderError(_("Pesanan ini tidak dibayar lewat gateway."))
    refund = GatewayRefund.objects.create(
        payment=payment,
        order=order,
        amount=amount,
        refund_key=f"{payment.gateway_order_id}-{refund_key}"[:64],
        reason=reason[:300],
    )
    # What the operator owes the facility shrinks by the refund while it is
    # still owed; refunded in full, the row is marked so. (Paid out already:
    # the facility owes it back, settled outside the site.)
    entry = (
        SettlementEntry.objects.select_for_update()
        .filter(order=order, status=SettlementEntry.Status.OWED)
        .first()
    )
    if entry is not None:
        if amount >= entry.amount:
            entry.status = SettlementEntry.Status.REFUNDED
        else:
            entry.amount -= amount
        entry.save(update_fields=["amount", "status"])
    _send_after_commit(refund)
    return refund


def gateway_refund_send(*, refund_id: int) -> GatewayRefund:
    """Ask the gateway to refund (same refund_key on every try, so a retry is
    one refund there). A refusal is recorded as failed for a person to handle;
    an unreachable gateway raises, and the task retries."""
    refund = GatewayRefund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != GatewayRefund.Status.PENDING:
        return refund
    try:
        answer = MidtransClient().refund(
            refund.payment.gateway_order_id,
            refund_key=refund.refund_key,
            amount=refund.amount,
            reason=refund.reason,
        )
    except GatewayError as error:
        if error.status_code and error.status_code[0] == "4":
            GatewayRefund.objects.filter(pk=refund.pk, status=GatewayRefund.Status.PENDING).update(
                status=GatewayRefund.Status.FAILED, response=error.body or {"error": str(error)}
            )
            log.error("gateway refused refund %s: %s", refund.refund_key, error)
            refund.refresh_from_db()
            return refund
        raise
    GatewayRefund.objects.filter(pk=refund.pk, status=GatewayRefund.Status.PENDING).update(
        status=GatewayRefund.Status.DONE, response=answer, done_at=timezone.now()
    )
    refund.refresh_from_db()
    return refund
