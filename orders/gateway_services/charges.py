"""Starting a gateway payment for a checkout, calling it off when the gateway is
down, and expiring a charge no order waits for any more."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import mail, services
from orders.midtrans import (
    GatewayError,
    MidtransClient,
)
from orders.models import (
    Checkout,
    GatewayPayment,
    Order,
    OrderStatus,
    PaymentMethod,
)

log = logging.getLogger("orders.gateway_services")  # one name for the package


class GatewayUnavailable(Exception):
    """The gateway could not create the payment; the checkout is called off."""


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
