"""Starting a gateway payment for a checkout: intent first, then the call,
then its answer; calling it off when the gateway surely made nothing;
finishing an intent whose answer never came; expiring a charge no order
waits for any more.

The order of writes is the point (issue 29, finding 2). The GatewayPayment row
(status pending, its own `gateway_order_id`, no answer yet) is committed with
the orders (orders.services.checkout_submit.checkout_place, which calls
gateway_payment_intend here), before the charge is asked for; the
answer (QR, account number) is recorded after. A worker killed between the
two, or a timeout after the gateway made the charge, leaves a row that says
so (`charged_at` null); gateway_payment_resume asks the gateway for that
reference and finishes it (fills in the answer, charges again, or closes the
orders and gives their stock back). No call is made under a row lock, and a
charge is only ever asked for with the row's own reference, so the gateway's
unique order_id makes a retry one charge.
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import mail
from orders.hooks import tasks
from orders.models import Checkout, Order, OrderStatus, PaymentMethod
from orders.payments.midtrans import Charge, GatewayError, MidtransClient
from orders.payments.models import GatewayPayment
from orders.payments.services.notifications import gateway_status_apply
from orders.services.common import OrderError
from orders.services.steps_ending import order_call_off, order_close_unpaid

log = logging.getLogger("orders.payments.services")  # one name for the package


class GatewayUnavailable(Exception):
    """The gateway surely made no charge (unreachable, or it refused): the
    checkout is called off."""


def _online_orders(checkout_id: int) -> list[Order]:
    return list(
        Order.objects.filter(checkout_id=checkout_id, payment_method=PaymentMethod.GATEWAY)
        .select_related("facility")
        .order_by("pk")
    )


def _deadline(online: list[Order]):
    deadlines = [o.payment_deadline for o in online if o.payment_deadline]
    if deadlines:
        return min(deadlines)
    return timezone.now() + timedelta(minutes=settings.GATEWAY_PAYMENT_MINUTES)


def gateway_payment_intend(*, checkout: Checkout, channel: str) -> GatewayPayment:
    """Record the intent to charge the checkout's online-paid orders: a pending
    payment with its own reference `KB-<checkout>-<n>` and no answer yet.
    Called inside the placing transaction, so an order paid online never
    exists without one. Raises ValueError when no order is paid online."""
    online = _online_orders(checkout.pk)
    if not online:
        raise ValueError("no order of this checkout is paid online")
    attempt = GatewayPayment.objects.filter(checkout=checkout).count() + 1
    return GatewayPayment.objects.create(
        checkout=checkout,
        gateway_order_id=f"KB-{checkout.code}-{attempt}",
        channel=channel,
        amount=sum(o.total for o in online),
        expires_at=_deadline(online),
    )


def _record_answer(payment: GatewayPayment, charge: Charge) -> GatewayPayment:
    """Store the gateway's answer once; the facilities hear of their new
    orders when the first answer lands (not when the intent was written)."""
    with transaction.atomic():
        done = GatewayPayment.objects.filter(pk=payment.pk, charged_at__isnull=True).update(
            charged_at=timezone.now(),
            gateway_status=charge.transaction_status[:30],
            transaction_id=charge.transaction_id[:64],
            qr_string=charge.qr_string,
            va_number=charge.va_number[:40],
            deeplink_url=charge.deeplink_url[:500],
            response=charge.raw,
        )
        if done:
            ids = [o.pk for o in _online_orders(payment.checkout_id)]
            transaction.on_commit(lambda: mail.queue_new_orders(ids))
    payment.refresh_from_db()
    return payment


def _close(payment: GatewayPayment, *, gateway_status: str, close_orders: bool) -> None:
    """The payment is over without money; its orders (still awaiting payment)
    are closed and their stock goes back once, unless a new charge follows."""
    with transaction.atomic():
        GatewayPayment.objects.filter(pk=payment.pk, status=GatewayPayment.Status.PENDING).update(
            status=GatewayPayment.Status.FAILED,
            gateway_status=gateway_status[:30],
            closed_at=timezone.now(),
        )
        if close_orders:
            for order in _online_orders(payment.checkout_id):
                if order.status == OrderStatus.AWAITING_PAYMENT:
                    with contextlib.suppress(OrderError):  # paid meanwhile
                        order_close_unpaid(order=order, gateway_status=gateway_status)
    payment.refresh_from_db()


def _still_wanted(payment: GatewayPayment) -> list[Order]:
    """The orders a charge is still for: awaiting payment, deadline ahead."""
    now = timezone.now()
    return [
        o
        for o in _online_orders(payment.checkout_id)
        if o.status == OrderStatus.AWAITING_PAYMENT
        and (o.payment_deadline is None or o.payment_deadline > now + timedelta(minutes=1))
    ]


def gateway_payment_start(
    *, payment: GatewayPayment, close_on_refusal: bool = True
) -> GatewayPayment:
    """Ask the gateway to charge this intent (its own reference, so a repeat is
    one charge there) and record the answer. Runs outside any transaction.

    A timeout or 5xx leaves the outcome unknown: the gateway is asked for the
    reference's status at once, and if that fails too the intent stays
    pending without an answer for the retry button or the sweep.

    Raises GatewayUnavailable when the gateway surely made nothing (refused
    connection, or a 4xx refusal); the payment is then failed, unless
    `close_on_refusal` is False: the checkout fails it together with calling
    its orders off (gateway_checkout_refused).
    """
    online = _online_orders(payment.checkout_id)
    first = online[0]
    minutes = max(1, int((payment.expires_at - timezone.now()).total_seconds() // 60))
    try:
        charge = MidtransClient().charge(
            order_id=payment.gateway_order_id,
            gross_amount=payment.amount,
            channel=payment.channel,
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
        if error.status_code == "406":
            # "order_id has already been used": our earlier try made it.
            return gateway_payment_resume(payment=payment, may_charge=False)
        if error.unsent or error.refused:
            log.warning("gateway charge %s failed: %s", payment.gateway_order_id, error)
            if close_on_refusal:
                _close(payment, gateway_status="failure", close_orders=False)
            raise GatewayUnavailable(str(error)) from None
        log.warning("gateway charge %s: outcome unknown (%s)", payment.gateway_order_id, error)
        return gateway_payment_resume(payment=payment, may_charge=False)
    return _record_answer(payment, charge)


def gateway_payment_resume(*, payment: GatewayPayment, may_charge: bool = True) -> GatewayPayment:
    """Finish an intent whose answer never came, from what the gateway says
    about its reference (GET /v2/<order_id>/status):

    - found and pending with a QR or account number: that answer is recorded;
      found pending without one (a QRIS status carries no QR string): it is
      expired there and a new charge is made for the orders;
    - found settled, expired, cancelled: applied like its notification;
    - not found (404): nothing was charged; charged now when `may_charge` and
      the orders still wait, else the orders are closed (stock back);
    - no answer: left as it is, for the next sweep.
    """
    if payment.status != GatewayPayment.Status.PENDING or payment.charged_at is not None:
        return payment
    client = MidtransClient()
    try:
        answer = client.status(payment.gateway_order_id)
    except GatewayError as error:
        if error.status_code != "404":
            log.warning("gateway status %s: %s", payment.gateway_order_id, error)
            return payment
        if not _still_wanted(payment):
            _close(payment, gateway_status="expire", close_orders=True)
            return payment
        if not may_charge:
            return payment
        try:
            return gateway_payment_start(payment=payment)
        except GatewayUnavailable:
            _close(payment, gateway_status="failure", close_orders=True)
            return payment
    charge = Charge.from_answer(answer)
    status = charge.transaction_status
    if status == "pending" and (charge.qr_string or charge.va_number or charge.deeplink_url):
        return _record_answer(payment, charge)
    if status == "pending":
        return _charge_again(payment, client)
    _record_answer(payment, charge)
    gateway_status_apply(answer=answer)
    payment.refresh_from_db()
    return payment


def _charge_again(payment: GatewayPayment, client: MidtransClient) -> GatewayPayment:
    """The charge exists but its QR was lost with the answer: expire it there
    (407, or already over), then a new intent and charge for the orders."""
    try:
        client.expire(payment.gateway_order_id)
    except GatewayError as error:
        if not error.refused:
            return payment  # unreachable: the sweep comes back
        # Refused: paid or over meanwhile; the status says which.
        try:
            answer = client.status(payment.gateway_order_id)
        except GatewayError:
            return payment  # the sweep comes back
        _record_answer(payment, Charge.from_answer(answer))
        gateway_status_apply(answer=answer)
        payment.refresh_from_db()
        return payment
    if not _still_wanted(payment):
        _close(payment, gateway_status="expire", close_orders=True)
        return payment
    try:
        with transaction.atomic():
            _close(payment, gateway_status="expire", close_orders=False)
            fresh = gateway_payment_intend(checkout=payment.checkout, channel=payment.channel)
    except IntegrityError:
        # Another retry made the new intent first: that one goes on.
        return GatewayPayment.objects.get(
            checkout_id=payment.checkout_id, status=GatewayPayment.Status.PENDING
        )
    try:
        return gateway_payment_start(payment=fresh)
    except GatewayUnavailable:
        _close(fresh, gateway_status="failure", close_orders=True)
        return fresh


def gateway_payment_retry(*, checkout: Checkout) -> GatewayPayment | None:
    """The shopper's "try again" while the payment is being prepared: the same
    intent row is resumed (its reference asked about, charged if it never
    was). Returns the payment as it now stands, None when there is none."""
    payment = (
        GatewayPayment.objects.filter(checkout=checkout).order_by("-created_at", "-id").first()
    )
    if payment is None or not payment.is_being_prepared:
        return payment
    return gateway_payment_resume(payment=payment)


def gateway_checkout_call_off(*, orders: list[Order]) -> None:
    """The gateway surely made no charge at checkout: cancel the just-placed
    online-paid orders (stock back once, no mail), so the shopper can choose
    again with the cart untouched."""
    for order in orders:
        if order.payment_method != PaymentMethod.GATEWAY:
            continue
        try:
            order_call_off(
                order=order, reason=_("Pembayaran online tidak dapat dibuat; pesanan dibatalkan.")
            )
        except OrderError:
            log.warning("order %s moved on before it could be called off", order.code)


def gateway_checkout_refused(*, payment: GatewayPayment, orders: list[Order]) -> None:
    """The gateway surely made no charge for a checkout's intent: the payment
    failed and the orders called off (stock back) in one transaction.

    Written as two steps, a worker that died between them (a deploy's kill,
    gunicorn's timeout on a starved machine: the flash sale drill,
    docs/flash-sale.md) left the orders awaiting payment behind a failed
    payment, which no sweep resumes, their stock held until the payment
    deadline (GATEWAY_PAYMENT_MINUTES). Now it is both or neither; neither
    is an intent pending without an answer, which gateway_payment_resume
    finishes (charges it, or closes the orders)."""
    with transaction.atomic():
        _close(payment, gateway_status="failure", close_orders=False)
        gateway_checkout_call_off(orders=orders)


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
        tasks.gateway_charge_expire.enqueue(payment.pk)

    transaction.on_commit(queue)
    return True
