"""Payments through the gateway (Midtrans): one charge per checkout, its
notifications, refunds and the settlement ledger.

Rules, each in one place here:
- One GatewayPayment covers every order of a checkout paid online, for their
  grand total; it is confirmed (or failed) as a whole.
- A notification is verified (signature), stored once (unique event key) and
  answered at once; its work runs as a task (orders.tasks).
- The work moves orders only through orders.services (the staff's own
  order_confirm_payment; order_close_unpaid for failures), under a lock on
  the payment row, so duplicates and races end in one outcome.
- Money that arrives for an order no longer awaiting payment (expired or
  cancelled meanwhile, e.g. paid after the deadline) is refunded in full
  through the gateway: the order is never reinstated.
- A paid order cancelled by staff is refunded through the gateway.
- Each paid order gets a SettlementEntry: what the operator owes the facility.
"""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import mail, services
from orders.midtrans import (
    FAILED_STATUSES,
    PAID_STATUSES,
    GatewayError,
    MidtransClient,
    amount_string,
    verify_notification,
)
from orders.models import (
    Checkout,
    GatewayNotification,
    GatewayPayment,
    GatewayRefund,
    Order,
    OrderStatus,
    PaymentMethod,
    SettlementEntry,
)
from orders.states import RELEASING

log = logging.getLogger(__name__)


class GatewayUnavailable(Exception):
    """The gateway could not create the payment; the checkout is called off."""


class NotificationRejected(Exception):
    """A notification that is not the gateway's (bad or missing signature)."""


# --- starting a payment ------------------------------------------------------------


def gateway_payment_start(
    *, checkout: Checkout, orders: list[Order], channel: str
) -> GatewayPayment:
    """Create the one gateway charge for the checkout's online-paid orders.

    The HTTP call runs outside any transaction (no row lock is held while the
    gateway answers). On success the payment is recorded and the facilities
    are mailed about their new orders.

    Raises GatewayUnavailable when the gateway is unreachable or refuses.
    """
    online = sorted(
        (o for o in orders if o.payment_method == PaymentMethod.GATEWAY), key=lambda o: o.pk
    )
    if not online:
        raise ValueError("no order of this checkout is paid online")
    amount = sum(o.total for o in online)
    attempt = GatewayPayment.objects.filter(checkout=checkout).count() + 1
    gateway_order_id = f"KB-{checkout.code}-{attempt}"
    deadline = (
        min(o.payment_deadline for o in online if o.payment_deadline)
        if any(o.payment_deadline for o in online)
        else timezone.now() + timedelta(minutes=settings.GATEWAY_PAYMENT_MINUTES)
    )
    minutes = max(1, int((deadline - timezone.now()).total_seconds() // 60))
    first = online[0]
    try:
        charge = MidtransClient().charge(
            order_id=gateway_order_id,
            gross_amount=amount,
            channel=channel,
            expiry_minutes=minutes,
            customer={
                "first_name": first.contact_name[:50],
                "phone": first.contact_phone,
                **({"email": first.contact_email} if first.contact_email else {}),
            },
            # One item per facility order: the amounts add up to gross_amount,
            # as Midtrans requires.
            items=[
                {
                    "id": o.code,
                    "price": o.total,
                    "quantity": 1,
                    "name": (_("Pesanan %(code)s") % {"code": o.code})[:50],
                }
                for o in online
            ],
            notification_url=settings.SITE_URL + reverse("orders:gateway_notification"),
        )
    except GatewayError as error:
        log.warning("gateway charge %s failed: %s", gateway_order_id, error)
        raise GatewayUnavailable(str(error)) from None
    with transaction.atomic():
        payment = GatewayPayment.objects.create(
            checkout=checkout,
            gateway_order_id=gateway_order_id,
            channel=channel,
            amount=amount,
            gateway_status=charge.transaction_status,
            transaction_id=charge.transaction_id,
            qr_string=charge.qr_string,
            va_number=charge.va_number,
            deeplink_url=charge.deeplink_url[:500],
            expires_at=deadline,
            response=charge.raw,
        )
        ids = [o.pk for o in online]
        transaction.on_commit(lambda: mail.queue_new_orders(ids))
    return payment


def gateway_checkout_call_off(*, orders: list[Order]) -> None:
    """The gateway was down at checkout: cancel the just-placed online-paid
    orders (stock back once, no mail), so the shopper can choose again with
    the cart untouched."""
    for order in orders:
        if order.payment_method != PaymentMethod.GATEWAY:
            continue
        try:
            services.order_call_off(
                order=order, reason=_("Pembayaran online tidak dapat dibuat; pesanan dibatalkan.")
            )
        except services.OrderError:
            log.warning("order %s moved on before it could be called off", order.code)


def gateway_charge_close_if_unused(*, checkout_id: int) -> bool:
    """When none of the checkout's online-paid orders awaits payment any more
    (cancelled, expired), ask the gateway to expire the pending charge, after
    commit, as a task. Returns whether it was queued."""
    payment = (
        GatewayPayment.objects.filter(checkout_id=checkout_id, status=GatewayPayment.Status.PENDING)
        .order_by("-created_at", "-id")
        .first()
    )
    if payment is None:
        return False
    if Order.objects.filter(
        checkout_id=checkout_id,
        payment_method=PaymentMethod.GATEWAY,
        status=OrderStatus.AWAITING_PAYMENT,
    ).exists():
        return False

    def queue():
        from orders import tasks

        tasks.gateway_charge_expire.enqueue(payment.pk)

    transaction.on_commit(queue)
    return True


def gateway_charge_expire(*, payment_id: int) -> str:
    """Expire a pending charge at the gateway. A refusal (already paid or
    expired there) is fine: its notification says what happened. An
    unreachable gateway raises, and the task retries."""
    payment = GatewayPayment.objects.get(pk=payment_id)
    if payment.status != GatewayPayment.Status.PENDING:
        return "not pending"
    try:
        MidtransClient().expire(payment.gateway_order_id)
    except GatewayError as error:
        if error.status_code and error.status_code[0] == "4":
            return f"refused: {error.status_code}"
        raise
    return "expired"


# --- notifications ---------------------------------------------------------------


def _event_key(payload: dict) -> str:
    fields = (
        "order_id",
        "transaction_id",
        "transaction_status",
        "status_code",
        "gross_amount",
        "fraud_status",
    )
    raw = json.dumps([str(payload.get(f, "")) for f in fields])
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


def _queue_processing(notification_id: int) -> None:
    from orders import tasks

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
                services.order_confirm_payment(
                    order=order,
                    actor=None,
                    by_gateway=True,
                    note=_("Dibayar online (%(channel)s), transaksi %(id)s.")
                    % {"channel": payment.get_channel_display(), "id": payment.gateway_order_id},
                )
                SettlementEntry.objects.create(
                    order=order, facility=order.facility, payment=payment, amount=order.total
                )
                confirmed.append(order.code)
            elif order.status not in RELEASING:
                # Staff confirmed it by hand meanwhile (e.g. a notification was
                # late): the money is here all the same and owed to the facility.
                SettlementEntry.objects.get_or_create(
                    order=order,
                    defaults={
                        "facility": order.facility,
                        "payment": payment,
                        "amount": order.total,
                    },
                )
                confirmed.append(order.code)
            else:
                # Expired or cancelled before the money came: give it back.
                _refund(
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
                services.order_close_unpaid(order=order, gateway_status=status)
                closed.append(order.code)
        return f"failed ({status}): closed {closed}"
    if status == "pending":
        return "pending: nothing to do"
    return f"recorded: {status}"


# --- refunds ------------------------------------------------------------------------


def _refund(payment: GatewayPayment, order: Order, reason: str) -> GatewayRefund:
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

        def queue():
            from orders import tasks

            tasks.gateway_refund_send.enqueue(refund.pk)

        transaction.on_commit(queue)
    return refund


def gateway_refund_for_cancelled(*, order: Order, reason: str) -> GatewayRefund | None:
    """Staff cancelled an order paid online: record its refund and send it
    through the gateway after commit. None when no money was received."""
    entry = SettlementEntry.objects.select_related("payment").filter(order=order).first()
    if entry is None:
        return None
    return _refund(entry.payment, order, _("Dibatalkan UPT: %(reason)s") % {"reason": reason})


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

    def queue():
        from orders import tasks

        tasks.gateway_refund_send.enqueue(refund.pk)

    transaction.on_commit(queue)
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


# --- settlement ledger -----------------------------------------------------------


def settlement_pay_out(*, entries, actor, reference: str) -> int:
    """Head office transferred these amounts to the facilities' accounts:
    owed -> paid_out with who, when and the transfer reference. Returns how
    many changed; rows already paid out or refunded are left alone.

    Raises services.OrderError for anyone but head office, or without a reference."""
    from facilities.scoping import scope_for

    if not scope_for(actor).is_national:
        raise services.OrderError(_("Hanya kantor pusat yang mencatat setoran ke UPT."))
    reference = (reference or "").strip()[:100]
    if not reference:
        raise services.OrderError(_("Isi referensi transfer setoran."))
    with transaction.atomic():
        return SettlementEntry.objects.filter(
            pk__in=[e.pk for e in entries], status=SettlementEntry.Status.OWED
        ).update(
            status=SettlementEntry.Status.PAID_OUT,
            paid_out_at=timezone.now(),
            paid_out_by=actor,
            payout_reference=reference,
        )
