"""The steps that end an order without completing it: cancelled (by staff
or the shopper), closed unpaid when the gateway gives up, called off when
placing failed, expired past the payment deadline. They move through
orders.services.steps._move like every other step."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import selectors
from orders.hooks import courier_bookings, payments
from orders.models import (
    Order,
    OrderStatus,
    PaymentMethod,
)
from orders.services.common import OrderError
from orders.services.steps import _move
from orders.states import (
    SHOPPER,
    STAFF,
    SYSTEM,
    shopper_may_cancel,
)


def _cancel(order: Order, *, role: str, reason: str, actor=None, guard=None, notify=True):
    """-> cancelled, the reason both the event's note and the order's cancel_reason.
    A courier booked for it is cancelled at the aggregator too (asked here,
    sent after commit: orders.delivery.bookings)."""
    with transaction.atomic():
        order = _move(
            order,
            to=OrderStatus.CANCELLED,
            role=role,
            actor=actor,
            note=reason,
            guard=guard,
            updates={"cancel_reason": reason},
            notify=notify,
        )
        courier_bookings.booking_cancel_request(order=order, reason=reason)
    return order


def order_cancel(*, order: Order, actor=None, reason: str = "", by_shopper: bool = False) -> Order:
    """Cancel and give the stock back (once).

    The shopper may cancel before paying: a transfer order still awaiting
    payment, or a pay-at-pickup order not yet handed over. Staff may cancel
    any open order but must say why. Raises OrderError otherwise.
    """
    reason = (reason or "").strip()[:300]
    if by_shopper:

        def guard(locked: Order) -> None:
            if not shopper_may_cancel(locked.status, locked.payment_method):
                raise OrderError(
                    _("Pesanan yang sudah dibayar hanya bisa dibatalkan oleh UPT; hubungi UPT.")
                )

        return _cancel(
            order, role=SHOPPER, reason=reason or _("Dibatalkan oleh pembeli."), guard=guard
        )
    if not reason:
        raise OrderError(_("Tuliskan alasan pembatalan."))
    with transaction.atomic():
        order = _cancel(order, role=STAFF, actor=actor, reason=reason)
        if order.payment_method == PaymentMethod.GATEWAY:
            # Paid online: the money goes back through the gateway (recorded,
            # sent by a task after commit). Unpaid: nothing to give back.
            payments.gateway_refund_for_cancelled(order=order, reason=reason)
    return order


def order_close_unpaid(*, order: Order, gateway_status: str) -> Order:
    """The gateway reports the order's payment over without money (expired,
    cancelled, denied): awaiting_payment -> expired, or cancelled with the
    gateway's word as the reason; the stock goes back once.

    Raises OrderError when the order is no longer awaiting payment."""
    if gateway_status == "expire":
        return _move(
            order, to=OrderStatus.EXPIRED, role=SYSTEM, note=_("Pembayaran online kedaluwarsa.")
        )
    reason = _("Pembayaran online gagal (%(status)s).") % {"status": gateway_status}
    return _cancel(order, role=SYSTEM, reason=reason)


def order_call_off(*, order: Order, reason: str) -> Order:
    """Undo a just-placed order that never reached the shopper (the gateway was
    down at checkout): cancelled, stock back, no mail. Raises OrderError when
    it already moved on."""
    return _cancel(order, role=SYSTEM, reason=reason, notify=False)


def order_expire(*, order: Order, now=None) -> Order:
    """awaiting_payment -> expired once the deadline has passed; gives stock back.

    Raises OrderError when not yet due or no longer awaiting payment."""
    now = now or timezone.now()

    def guard(locked: Order) -> None:
        if locked.payment_deadline is None or locked.payment_deadline > now:
            raise OrderError(
                _("Batas waktu bayar pesanan %(code)s belum lewat.") % {"code": locked.code}
            )

    return _move(
        order,
        to=OrderStatus.EXPIRED,
        role=SYSTEM,
        note=_("Tidak dibayar sampai batas waktu."),
        guard=guard,
    )


def order_expire_due(*, now=None) -> int:
    """Expire every unpaid order past its deadline; returns how many. Safe to run
    concurrently and repeatedly: each order is locked and re-checked on its own."""
    now = now or timezone.now()
    expired = 0
    for order in selectors.orders_due_to_expire(now):
        try:
            order_expire(order=order, now=now)
        except OrderError:
            continue  # paid or cancelled meanwhile
        expired += 1
    return expired
