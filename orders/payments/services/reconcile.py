"""The reconciliation sweep: our pending payments checked against the
gateway, so a lost notification, a refused expire or a lost charge answer
never leaves money unaccounted for (issue 29, finding 1).

Every 5 minutes (the queue's periodic schedule, or `manage.py
reconcile_payments`) it
- gives a payment intent to any checkout paid online that has none (left by
  the code before intents);
- applies every notification stored but not applied after a few minutes
  (its task was lost with a worker);
- finishes every intent whose charge answer never came
  (charges.gateway_payment_resume);
- asks the gateway (GET /v2/<order_id>/status) about every payment still
  pending near or past its deadline, or whose orders no longer await payment
  (cancelled, expired: the expire call may have been refused because the
  shopper paid), and applies the answer through the notification's own code
  path (notifications.gateway_status_apply): the same event key, the same
  lock, so the sweep, the notification and their replays are one outcome.

Money that arrives for orders that are gone is refunded there (through the
gateway for QRIS and e-wallets, by a person for virtual accounts).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from orders.models import Checkout, Order, OrderStatus, PaymentMethod
from orders.payments.midtrans import GatewayError, MidtransClient
from orders.payments.models import GatewayNotification, GatewayPayment
from orders.payments.services.charges import gateway_payment_intend, gateway_payment_resume
from orders.payments.services.notifications import (
    gateway_notification_process,
    gateway_status_apply,
)

log = logging.getLogger("orders.payments.services")  # one name for the package

# An answer may still be on its way this long after the intent was written
# (the charge call's own timeout is a few seconds).
INTENT_GRACE = timedelta(minutes=2)
# Payments this close to their deadline are asked about, so a payment whose
# notification was lost is confirmed before the deadline expires its orders.
NEAR_DEADLINE = timedelta(minutes=5)
# A notification not applied this long after it came lost its task.
NOTIFICATION_GRACE = timedelta(minutes=3)


@dataclass
class ReconcileSummary:
    orphans_adopted: int = 0
    notifications_applied: int = 0
    payments_checked: int = 0
    outcomes: Counter = field(default_factory=Counter)

    def __str__(self) -> str:
        parts = ", ".join(f"{k}: {v}" for k, v in sorted(self.outcomes.items()))
        return (
            f"{self.orphans_adopted} orphan checkout(s) adopted, "
            f"{self.notifications_applied} notification(s) applied, "
            f"{self.payments_checked} payment(s) checked" + (f" ({parts})" if parts else "")
        )


def orphans_adopt(now) -> list[GatewayPayment]:
    """Checkouts with orders awaiting an online payment but no payment row at
    all: placed by the code before intents (it wrote the row after the call,
    so a worker killed mid-charge left none). Each gets its intent with the
    reference that code used first (KB-<checkout>-1), so resuming it finds the
    old charge at the gateway, or makes one. QRIS: the channel every wallet
    and banking app pays. Returns the new intents."""
    orphans = Checkout.objects.filter(
        Exists(
            Order.objects.filter(
                checkout_id=OuterRef("pk"),
                payment_method=PaymentMethod.GATEWAY,
                status=OrderStatus.AWAITING_PAYMENT,
                created_at__lte=now - INTENT_GRACE,
            )
        ),
        ~Exists(GatewayPayment.objects.filter(checkout_id=OuterRef("pk"))),
    )
    adopted = []
    for checkout in orphans:
        try:
            with transaction.atomic():
                adopted.append(gateway_payment_intend(checkout=checkout, channel="qris"))
        except IntegrityError:
            continue  # another sweep adopted it
    return adopted


def payments_to_reconcile(now) -> list[GatewayPayment]:
    """Pending payments the gateway should be asked about now."""
    awaiting = Order.objects.filter(
        checkout_id=OuterRef("checkout_id"),
        payment_method=PaymentMethod.GATEWAY,
        status=OrderStatus.AWAITING_PAYMENT,
    )
    return list(
        GatewayPayment.objects.filter(status=GatewayPayment.Status.PENDING)
        .filter(
            Q(charged_at__isnull=True, created_at__lte=now - INTENT_GRACE)
            | Q(charged_at__isnull=False, expires_at__lte=now + NEAR_DEADLINE)
            | Q(charged_at__isnull=False) & ~Exists(awaiting)
        )
        .order_by("pk")
    )


def _kind(outcome: str) -> str:
    """A short name for the summary's counts."""
    for word in ("refunded [", "paid", "failed", "expired", "pending", "intent", "unreachable"):
        if word in outcome:
            if word == "refunded [" and "refunded []" in outcome:
                continue
            return word.rstrip(" [")
    return "other"


def payment_reconcile(*, payment: GatewayPayment, now=None) -> str:
    """Ask the gateway about one pending payment and apply its answer; returns
    what happened. Never raises for the gateway: unreachable is an outcome,
    and the next sweep asks again."""
    now = now or timezone.now()
    if payment.charged_at is None:
        payment = gateway_payment_resume(payment=payment)
        latest = (
            GatewayPayment.objects.filter(checkout_id=payment.checkout_id)
            .order_by("-created_at", "-id")
            .first()
        )
        state = "payable" if latest.is_payable else latest.status
        return f"intent {payment.gateway_order_id}: {state} ({latest.gateway_order_id})"
    client = MidtransClient()
    try:
        answer = client.status(payment.gateway_order_id)
    except GatewayError as error:
        log.warning("reconcile %s: %s", payment.gateway_order_id, error)
        return f"unreachable: {error}"
    GatewayPayment.objects.filter(pk=payment.pk).update(checked_at=now)
    if answer.get("transaction_status") == "pending":
        waiting = Order.objects.filter(
            checkout_id=payment.checkout_id,
            payment_method=PaymentMethod.GATEWAY,
            status=OrderStatus.AWAITING_PAYMENT,
        )
        past_deadline = payment.expires_at is not None and payment.expires_at <= now
        if waiting.exists() and not past_deadline:
            return "pending: still payable"
        # Nobody waits for this charge any more: expire it there (407), then
        # apply what the gateway now says (expired, or paid meanwhile).
        try:
            client.expire(payment.gateway_order_id)
        except GatewayError as error:
            if not error.refused:
                return f"unreachable: {error}"
        try:
            answer = client.status(payment.gateway_order_id)
        except GatewayError as error:
            return f"unreachable: {error}"
    return gateway_status_apply(answer=answer)


def payments_reconcile(*, now=None) -> ReconcileSummary:
    """The sweep (see the module's docstring); returns what it did. Safe to run
    concurrently and repeatedly: every step is idempotent."""
    now = now or timezone.now()
    adopted = orphans_adopt(now)
    summary = ReconcileSummary(orphans_adopted=len(adopted))
    stale = GatewayNotification.objects.filter(
        processed_at__isnull=True, received_at__lte=now - NOTIFICATION_GRACE
    ).values_list("pk", flat=True)
    for notification_id in list(stale):
        gateway_notification_process(notification_id=notification_id)
        summary.notifications_applied += 1
    due = payments_to_reconcile(now)
    for payment in adopted + [p for p in due if p.pk not in {a.pk for a in adopted}]:
        try:
            outcome = payment_reconcile(payment=payment, now=now)
        except GatewayError as error:  # one payment's trouble never stops the sweep
            outcome = f"unreachable: {error}"
        summary.payments_checked += 1
        summary.outcomes[_kind(outcome)] += 1
        log.info("reconcile %s: %s", payment.gateway_order_id, outcome)
    return summary


def gateway_charge_expire(*, payment_id: int, old_behaviour: bool = False) -> str:
    """Expire a pending charge at the gateway. Success is Midtrans's 407
    ("transaction has expired"). A refusal (412: paid or over there) means the
    gateway knows better: its status is asked for and applied at once, as its
    notification would be (a settlement here is money for orders that are
    gone, so it is refunded). An unreachable gateway raises; the task retries.

    `old_behaviour=True` exists only for the drill's control: a refusal is
    logged and nothing else happens, as before issue 29."""
    payment = GatewayPayment.objects.get(pk=payment_id)
    if payment.status != GatewayPayment.Status.PENDING:
        return "not pending"
    try:
        MidtransClient().expire(payment.gateway_order_id)
    except GatewayError as error:
        if not error.refused:
            raise
        if old_behaviour:
            return f"refused: {error.status_code}"
        return f"refused: {error.status_code}; {payment_reconcile(payment=payment)}"
    return "expired"
