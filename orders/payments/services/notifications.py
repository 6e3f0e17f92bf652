"""The gateway's notifications: verified and stored once, then applied as a
task under a lock on the payment row (confirm, close, or refund what came late)."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.hooks import tasks
from orders.models import Order, OrderStatus, PaymentMethod
from orders.payments.midtrans import (
    FAILED_STATUSES,
    PAID_STATUSES,
    REFUND_STATUSES,
    amount_string,
    verify_notification,
)
from orders.payments.models import GatewayNotification, GatewayPayment
from orders.payments.services.gateway_refunds import gateway_refunds_record_reported, refund_in_full
from orders.payments.services.settlement import settlement_owe
from orders.services.steps import order_confirm_payment
from orders.services.steps_ending import order_close_unpaid
from orders.states import RELEASING

log = logging.getLogger("orders.payments.services")  # one name for the package


class NotificationRejected(Exception):
    """A notification that is not the gateway's (bad or missing signature)."""


def _event_key(payload: dict) -> str:
    fields = (
        "order_id",
        "transaction_id",
        "transaction_status",
        "status_code",
        "gross_amount",
        "fraud_status",
    )
    values = [str(payload.get(f, "")) for f in fields]
    if payload.get("transaction_status") in REFUND_STATUSES:
        # Each refund is its own event: a second partial refund differs only here.
        values.append(str(payload.get("refund_amount", "")))
    raw = json.dumps(values)
    return hashlib.sha256(raw.encode()).hexdigest()


def gateway_notification_receive(
    *, payload: dict, dedupe: bool = True
) -> tuple[GatewayNotification | None, bool]:
    """Verify and store a notification; queue its work once. Returns the row
    and whether it was new (a duplicate returns the first one's row, False).

    `dedupe=False` exists only for the control test that shows what the unique
    event key prevents; nothing else may pass it.

    Raises NotificationRejected when the signature is missing or wrong.
    """
    if not isinstance(payload, dict) or not verify_notification(payload):
        log.warning(
            "gateway notification rejected (signature) for order_id=%r",
            payload.get("order_id") if isinstance(payload, dict) else None,
        )
        raise NotificationRejected
    key = _event_key(payload) if dedupe else uuid.uuid4().hex
    try:
        with transaction.atomic():
            row = GatewayNotification.objects.create(
                event_key=key,
                gateway_order_id=str(payload["order_id"])[:64],
                transaction_status=str(payload.get("transaction_status", ""))[:30],
                status_code=str(payload["status_code"])[:5],
                gross_amount=str(payload["gross_amount"])[:20],
                payload=payload,
            )
            transaction.on_commit(lambda: _queue_processing(row.pk))
    except IntegrityError:
        log.info("gateway notification replayed: %s", payload.get("order_id"))
        return GatewayNotification.objects.filter(event_key=key).first(), False
    return row, True


def gateway_status_apply(*, answer: dict) -> str:
    """Apply the gateway's status answer for one of our references exactly as
    its notification would be applied: stored under the same event key (so a
    notification of the same event, early or late, is the same row, applied
    once) and processed by gateway_notification_process. The answer came over
    our authenticated call to the gateway, so it needs no signature."""
    key = _event_key(answer)
    row, _created = GatewayNotification.objects.get_or_create(
        event_key=key,
        defaults={
            "gateway_order_id": str(answer.get("order_id", ""))[:64],
            "transaction_status": str(answer.get("transaction_status", ""))[:30],
            "status_code": str(answer.get("status_code", ""))[:5],
            "gross_amount": str(answer.get("gross_amount", ""))[:20],
            "payload": {**answer, "_source": "status"},
        },
    )
    return gateway_notification_process(notification_id=row.pk)


def _queue_processing(notification_id: int) -> None:
    tasks.gateway_notification_process.enqueue(notification_id)


def gateway_notification_process(*, notification_id: int, lock_orders: bool = True) -> str:
    """Apply one stored notification; returns what it did (also stored as its
    outcome). Idempotent: a processed notification is not applied again, and
    the payment row lock orders concurrent notifications of one payment.

    `lock_orders=False` exists only for the control test that shows the race
    with the deadline's expiry without the order locks; nothing else may pass it.
    """
    with transaction.atomic():
        note = GatewayNotification.objects.select_for_update().get(pk=notification_id)
        if note.processed_at is not None:
            return note.outcome
        payment = (
            GatewayPayment.objects.select_for_update()
            .filter(gateway_order_id=note.gateway_order_id)
            .first()
        )
        outcome = _apply(note, payment, lock_orders)
        note.processed_at = timezone.now()
        note.outcome = outcome[:300]
        note.save(update_fields=["processed_at", "outcome"])
    if outcome.startswith("ignored"):
        log.warning(
            "gateway notification %s %s: %s",
            note.gateway_order_id,
            note.transaction_status,
            outcome,
        )
    return outcome


def _online_orders(payment: GatewayPayment, lock: bool = True) -> list[Order]:
    """The payment's orders, locked (in id order, like every order lock) before
    their status is read: the deadline's expiry may be moving one right now,
    and the decision (confirm, or refund) must see where it ended."""
    orders = (
        Order.objects.filter(checkout_id=payment.checkout_id, payment_method=PaymentMethod.GATEWAY)
        .select_related("facility")
        .order_by("pk")
    )
    return list(orders.select_for_update(of=("self",)) if lock else orders)


def _apply(note: GatewayNotification, payment: GatewayPayment | None, lock: bool = True) -> str:
    if payment is None:
        return "ignored: unknown order_id"
    if note.gross_amount != amount_string(payment.amount):
        return f"ignored: amount {note.gross_amount} is not {amount_string(payment.amount)}"
    status = note.transaction_status
    fraud = str(note.payload.get("fraud_status", "accept"))
    now = timezone.now()
    if status in PAID_STATUSES and fraud == "accept":
        if payment.status == GatewayPayment.Status.PAID:
            return "ignored: already paid"
        late = payment.status == GatewayPayment.Status.FAILED
        payment.status = GatewayPayment.Status.PAID
        payment.gateway_status = status
        payment.paid_at = now
        payment.save(update_fields=["status", "gateway_status", "paid_at"])
        confirmed, refunded = [], []
        for order in _online_orders(payment, lock):
            if order.status == OrderStatus.AWAITING_PAYMENT:
                order_confirm_payment(
                    order=order,
                    actor=None,
                    by_gateway=True,
                    note=_("Dibayar online (%(channel)s), transaksi %(id)s.")
                    % {"channel": payment.get_channel_display(), "id": payment.gateway_order_id},
                )
                settlement_owe(order=order, payment=payment)
                confirmed.append(order.code)
            elif order.status not in RELEASING:
                # Staff confirmed it by hand meanwhile (e.g. a notification was
                # late): the money is here all the same and owed to the facility.
                settlement_owe(order=order, payment=payment)
                confirmed.append(order.code)
            else:
                # Expired or cancelled before the money came: give it back.
                refund_in_full(
                    payment,
                    order,
                    _("Dibayar setelah pesanan %(status)s; dana dikembalikan.")
                    % {"status": order.get_status_display().lower()},
                )
                refunded.append(order.code)
        return f"paid{' late' if late else ''}: confirmed {confirmed}, refunded {refunded}"
    if status in FAILED_STATUSES:
        if payment.status != GatewayPayment.Status.PENDING:
            return f"ignored: payment already {payment.status}"
        payment.status = GatewayPayment.Status.FAILED
        payment.gateway_status = status
        payment.closed_at = now
        payment.save(update_fields=["status", "gateway_status", "closed_at"])
        closed = []
        for order in _online_orders(payment, lock):
            if order.status == OrderStatus.AWAITING_PAYMENT:
                order_close_unpaid(order=order, gateway_status=status)
                closed.append(order.code)
        return f"failed ({status}): closed {closed}"
    if status in REFUND_STATUSES:
        if payment.status != GatewayPayment.Status.PAID and not payment.refunds.exists():
            return f"ignored: {status} on a payment not received here"
        return gateway_refunds_record_reported(payment=payment, payload=note.payload)
    if status == "pending":
        return "pending: nothing to do"
    return f"recorded: {status}"
