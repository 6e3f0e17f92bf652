"""Refunds of money received through the gateway: in full for a cancelled or
late-paid order, in part for orders.payments.services.order_refunds; sent after commit with a fixed
refund_key where the gateway can refund the channel, otherwise held for a
person (MANUAL) who transfers it to the shopper's bank account and records it
here. Refunds made in the gateway's dashboard are recorded when the gateway
tells us (notification or status: refund / partial_refund)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.hooks import tasks
from orders.models import Order, PaymentMethod
from orders.payments.midtrans import (
    GatewayError,
    MidtransClient,
    amount_string,
    channel_refundable,
)
from orders.payments.models import GatewayPayment, GatewayRefund, OrderRefund, SettlementEntry
from orders.payments.services.settlement import settlement_refund_all, settlement_shrink
from orders.services.common import OrderError
from orders.states import RELEASING

log = logging.getLogger("orders.payments.services")  # one name for the package


def _send_after_commit(refund: GatewayRefund) -> None:
    """The gateway is asked as a task once the refund row is committed; a
    channel it cannot refund (virtual accounts) waits for a person instead."""
    if refund.status == GatewayRefund.Status.MANUAL:
        log.warning(
            "refund %s (Rp %s) held for a manual transfer: the gateway cannot refund %s",
            refund.refund_key,
            refund.amount,
            refund.payment.channel,
        )
        return

    def queue():
        tasks.gateway_refund_send.enqueue(refund.pk)

    transaction.on_commit(queue)


def _first_status(payment: GatewayPayment) -> str:
    return (
        GatewayRefund.Status.PENDING
        if channel_refundable(payment.channel)
        else GatewayRefund.Status.MANUAL
    )


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
            "status": _first_status(payment),
        },
    )
    if created:
        settlement_refund_all(order=order)
        _send_after_commit(refund)
    return refund


def gateway_refund_for_cancelled(*, order: Order, reason: str) -> GatewayRefund | None:
    """Staff cancelled an order paid online: record its refund and send it
    through the gateway after commit (or hold it for a manual transfer). None
    when no money was received."""
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
    refund_key), or hold it for a manual transfer when the gateway cannot refund
    the channel. The caller (orders.payments.services.order_refunds) has checked the amount under a
    lock on the order. Raises OrderError when the order was not paid online."""
    payment = gateway_payment_for(order)
    if payment is None:
        raise OrderError(_("Pesanan ini tidak dibayar lewat gateway."))
    refund = GatewayRefund.objects.create(
        payment=payment,
        order=order,
        amount=amount,
        refund_key=f"{payment.gateway_order_id}-{refund_key}"[:64],
        reason=reason[:300],
        status=_first_status(payment),
    )
    settlement_shrink(order=order, amount=amount)
    _send_after_commit(refund)
    return refund


def gateway_refund_send(*, refund_id: int) -> GatewayRefund:
    """Ask the gateway to refund (same refund_key on every try, so a retry is
    one refund there). A refusal is recorded as failed for a person to handle;
    an unreachable gateway raises, and the task retries. A channel the gateway
    cannot refund is never sent: the refund waits for a person (MANUAL)."""
    refund = GatewayRefund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != GatewayRefund.Status.PENDING:
        return refund
    if not channel_refundable(refund.payment.channel):
        GatewayRefund.objects.filter(pk=refund.pk, status=GatewayRefund.Status.PENDING).update(
            status=GatewayRefund.Status.MANUAL
        )
        refund.refresh_from_db()
        return refund
    try:
        answer = MidtransClient().refund(
            refund.payment.gateway_order_id,
            refund_key=refund.refund_key,
            amount=refund.amount,
            reason=refund.reason,
        )
    except GatewayError as error:
        if error.refused:
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


def gateway_refund_manual_done(
    *, refund: GatewayRefund, actor, bank_account: str, reference: str
) -> GatewayRefund:
    """A person transferred a held refund (MANUAL, or FAILED at the gateway)
    to the shopper's bank account: recorded with the account, the transfer
    reference, who and when. The refunds ledger (OrderRefund) gets the
    transfer for an order that was sold; an order that never became a sale
    (expired, cancelled) has no revenue to reduce, so its ledger is this row.

    Raises OrderError outside the actor's scope, without account or
    reference, or when the refund is not waiting for a person."""
    from facilities.scoping import scope_for

    bank_account = (bank_account or "").strip()[:200]
    reference = (reference or "").strip()[:100]
    if not bank_account or not reference:
        raise OrderError(_("Isi rekening pembeli dan referensi transfer."))
    if not scope_for(actor).may_act_for(refund.order.facility_id):
        raise OrderError(_("Pengembalian dana ini di luar wewenang Anda."))
    with transaction.atomic():
        locked = GatewayRefund.objects.select_for_update().get(pk=refund.pk)
        if locked.status not in (GatewayRefund.Status.MANUAL, GatewayRefund.Status.FAILED):
            raise OrderError(
                _("Pengembalian dana %(key)s tidak menunggu transfer manual.")
                % {"key": locked.refund_key}
            )
        locked.status = GatewayRefund.Status.DONE
        locked.done_at = timezone.now()
        locked.done_by = actor
        locked.shopper_bank_account = bank_account
        locked.transfer_reference = reference
        locked.save(
            update_fields=[
                "status",
                "done_at",
                "done_by",
                "shopper_bank_account",
                "transfer_reference",
            ]
        )
        ledger = OrderRefund.objects.filter(gateway_refund=locked).first()
        if ledger is not None:
            ledger.method = OrderRefund.Method.TRANSFER
            ledger.transfer_reference = reference
            ledger.recorded_by = actor
            ledger.save(update_fields=["method", "transfer_reference", "recorded_by"])
        elif locked.order.status not in RELEASING:
            OrderRefund.objects.create(
                order=locked.order,
                amount=locked.amount,
                reason=locked.reason,
                refund_key=locked.refund_key,
                source="gateway:manual",
                method=OrderRefund.Method.TRANSFER,
                gateway_refund=locked,
                transfer_reference=reference,
                recorded_by=actor,
            )
    return locked


def _amount(value) -> int:
    try:
        return int(float(str(value or "0")))
    except ValueError:
        return 0


def gateway_refunds_record_reported(*, payment: GatewayPayment, payload: dict) -> str:
    """The gateway reports money given back on this charge (refund /
    partial_refund), e.g. a refund made in its dashboard: whatever it reports
    beyond the refunds we already hold for this charge is recorded, as done,
    on its orders in id order (GatewayRefund, plus OrderRefund for an order
    that was sold). Idempotent: the key is the gateway's refund_key when it
    lists its refunds, else the refunded total it reached."""
    ours = GatewayRefund.objects.filter(payment=payment).exclude(status=GatewayRefund.Status.FAILED)
    known = set(ours.values_list("refund_key", flat=True))
    listed = payload.get("refunds") or []
    found: list[tuple[str, int]] = []
    if listed:
        for item in listed:
            theirs = str(item.get("refund_key") or item.get("refund_chargeback_id") or "")
            key = f"{payment.gateway_order_id}-G{theirs}"[:64]
            if theirs and theirs not in known and key not in known:
                found.append((key, _amount(item.get("refund_amount"))))
    else:
        total = _amount(payload.get("refund_amount"))
        held = ours.aggregate(s=Sum("amount"))["s"] or 0
        if total > held:
            key = f"{payment.gateway_order_id}-G{amount_string(total)}"[:64]
            if key not in known:
                found.append((key, total - held))
    recorded = []
    for key, amount in found:
        recorded += _record_reported(payment, key, amount)
    return f"refund reported: recorded {recorded}" if recorded else "refund already recorded"


def _record_reported(payment: GatewayPayment, key: str, amount: int) -> list[str]:
    orders = Order.objects.filter(
        checkout_id=payment.checkout_id, payment_method=PaymentMethod.GATEWAY
    ).order_by("pk")
    recorded = []
    for index, order in enumerate(orders):
        if amount <= 0:
            break
        given = (
            GatewayRefund.objects.filter(order=order)
            .exclude(status=GatewayRefund.Status.FAILED)
            .aggregate(s=Sum("amount"))["s"]
            or 0
        )
        part = min(amount, max(order.total - given, 0))
        if part <= 0:
            continue
        amount -= part
        refund = GatewayRefund.objects.create(
            payment=payment,
            order=order,
            amount=part,
            refund_key=key if index == 0 else f"{key}-{order.pk}"[:64],
            reason=_("Dikembalikan lewat dasbor gateway."),
            status=GatewayRefund.Status.DONE,
            done_at=timezone.now(),
        )
        settlement_shrink(order=order, amount=part)
        if order.status not in RELEASING:
            OrderRefund.objects.create(
                order=order,
                amount=part,
                reason=refund.reason,
                refund_key=refund.refund_key,
                source="gateway:dashboard",
                method=OrderRefund.Method.GATEWAY,
                gateway_refund=refund,
            )
        recorded.append(order.code)
    return recorded
