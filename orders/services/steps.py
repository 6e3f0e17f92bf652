"""Each status step of an order, checked against the one table in
orders.states; every step writes an OrderEvent and queues mail on commit.
The steps that end an order early (cancel, expire, ...) are in steps_ending.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog import stock
from facilities.scoping import scope_for
from orders import mail
from orders.hooks import invoices, payments
from orders.models import (
    DeliveryMethod,
    Order,
    OrderEvent,
    OrderStatus,
    PaymentMethod,
    PaymentProof,
)
from orders.services.common import OrderError
from orders.states import (
    RELEASING,
    STAFF,
    SYSTEM,
    can_transition,
    due_on_completion,
    takes_terms_payment,
)

# --- status steps ---------------------------------------------------------------


def _ensure_may_act(actor, order: Order) -> None:
    """Staff act only on their own facility's orders; head office on any;
    reviewers watch and never act."""
    if not scope_for(actor).may_act_for(order.facility_id):
        raise OrderError(_("Anda tidak berwenang mengubah pesanan ini."))


def _move(
    order: Order,
    *,
    to: str,
    role: str,
    actor=None,
    note: str = "",
    guard: Callable[[Order], None] | None = None,
    updates: dict | None = None,
    notify: bool = True,
) -> Order:
    """Lock the order, check the move against the table, apply it, record it."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if role == STAFF:
            _ensure_may_act(actor, locked)
        if not can_transition(locked.status, to, role):
            raise OrderError(
                _("Pesanan %(code)s berstatus %(status)s dan tidak bisa diubah menjadi %(to)s.")
                % {
                    "code": locked.code,
                    "status": locked.get_status_display(),
                    "to": OrderStatus(to).label,
                }
            )
        if guard is not None:
            guard(locked)
        from_status = locked.status
        locked.status = to
        fields = ["status", "updated_at"]
        if to == OrderStatus.COMPLETED and due_on_completion(
            locked.payment_terms_days, locked.paid_at
        ):
            # Delivered on terms: the buyer's N days start now (one place for
            # staff, courier and any later way of completing).
            updates = {
                **(updates or {}),
                "payment_due_date": timezone.localdate()
                + timedelta(days=locked.payment_terms_days),
            }
        for name, value in (updates or {}).items():
            setattr(locked, name, value)
            fields.append(name)
        locked.save(update_fields=fields)
        event = OrderEvent.objects.create(
            order=locked,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=role,
            from_status=from_status,
            to_status=to,
            note=note,
        )
        # Billed by this move? The rule and the numbering: orders.documents.invoices.
        invoices.invoice_issue_if_due(order=locked)
        if to in RELEASING:
            _release_stock(locked)
            if locked.payment_method == PaymentMethod.GATEWAY:
                # No order left to pay for: close the charge at the gateway so
                # the shopper cannot pay for nothing (a payment racing this is
                # refunded by the notification's rule).
                payments.gateway_charge_close_if_unused(checkout_id=locked.checkout_id)
        if notify:
            transaction.on_commit(lambda: mail.queue_status_changed(event.pk))
    # Keep the caller's instance current.
    order.status = locked.status
    for name, value in (updates or {}).items():
        setattr(order, name, value)
    return order


def _release_stock(order: Order) -> bool:
    """Give the order's stock back, once: the flag flips in a conditional UPDATE,
    so a second call (or a concurrent one) finds nothing to flip and returns False."""
    flipped = Order.objects.filter(pk=order.pk, stock_released=False).update(stock_released=True)
    if not flipped:
        return False
    returned: dict[int, int] = {}
    for product_id, quantity in order.lines.filter(made_to_order=False).values_list(
        "product_id", "quantity"
    ):
        returned[product_id] = returned.get(product_id, 0) + quantity
    stock.give_back(returned)
    order.stock_released = True
    return True


def order_confirm_payment(
    *, order: Order, actor, note: str = "", by_gateway: bool = False
) -> Order:
    """Staff saw the transfer: awaiting_payment -> paid; a pending receipt is accepted.

    `by_gateway`: the payment gateway's verified notification confirms it
    (role SYSTEM, no staff actor); the same move, event and mail.

    An order on pay-after-delivery terms has no such move: its payment is
    confirmed where it stands (order_confirm_receivable).

    Raises OrderError when the move is not allowed or the actor is out of scope.
    """
    if not by_gateway and takes_terms_payment(
        order.status, order.payment_terms_days, order.paid_at
    ):
        return order_confirm_receivable(order=order, actor=actor, note=note)
    with transaction.atomic():
        order = _move(
            order,
            to=OrderStatus.PAID,
            role=SYSTEM if by_gateway else STAFF,
            actor=None if by_gateway else actor,
            note=note or _("Pembayaran dikonfirmasi."),
            updates={"paid_at": timezone.now()},
        )
        PaymentProof.objects.filter(order=order, status=PaymentProof.Status.PENDING).update(
            status=PaymentProof.Status.ACCEPTED, reviewed_by=actor, reviewed_at=timezone.now()
        )
    return order


def order_confirm_receivable(*, order: Order, actor, note: str = "") -> Order:
    """Staff saw the transfer for an order delivered on terms: it is paid
    (Order.paid_at) and leaves the receivables; the status stays. A pending
    receipt is accepted; the event is recorded and the buyer mailed.

    Raises OrderError when the order is not an unpaid receivable or out of scope.
    """
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        _ensure_may_act(actor, locked)
        if not takes_terms_payment(locked.status, locked.payment_terms_days, locked.paid_at):
            raise OrderError(
                _("Pesanan %(code)s tidak sedang menunggu pembayaran tempo.")
                % {"code": locked.code}
            )
        locked.paid_at = timezone.now()
        locked.save(update_fields=["paid_at", "updated_at"])
        PaymentProof.objects.filter(order=locked, status=PaymentProof.Status.PENDING).update(
            status=PaymentProof.Status.ACCEPTED, reviewed_by=actor, reviewed_at=timezone.now()
        )
        event = OrderEvent.objects.create(
            order=locked,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=STAFF,
            from_status=locked.status,
            to_status=locked.status,
            note=note or _("Pembayaran tempo diterima; piutang lunas."),
        )
        transaction.on_commit(lambda: mail.queue_status_changed(event.pk))
    order.paid_at = locked.paid_at
    return order


def order_reject_payment(*, order: Order, actor, reason: str) -> Order:
    """Staff reject the pending receipt with a reason; the order keeps waiting for
    payment and the shopper may upload another. Records an event, mails the shopper.

    Raises OrderError without a reason, without a pending receipt, or out of scope.
    """
    reason = (reason or "").strip()
    if not reason:
        raise OrderError(_("Tuliskan alasan penolakan bukti transfer."))
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        _ensure_may_act(actor, locked)
        if locked.status != OrderStatus.AWAITING_PAYMENT:
            raise OrderError(
                _("Pesanan %(code)s tidak sedang menunggu pembayaran.") % {"code": locked.code}
            )
        rejected = PaymentProof.objects.filter(
            order=locked, status=PaymentProof.Status.PENDING
        ).update(
            status=PaymentProof.Status.REJECTED,
            reviewed_by=actor,
            reviewed_at=timezone.now(),
            rejection_reason=reason[:300],
        )
        if not rejected:
            raise OrderError(
                _("Pesanan %(code)s tidak punya bukti transfer yang menunggu diperiksa.")
                % {"code": locked.code}
            )
        event = OrderEvent.objects.create(
            order=locked,
            actor=actor,
            actor_label=STAFF,
            from_status=locked.status,
            to_status=locked.status,
            note=_("Bukti transfer ditolak: %(reason)s") % {"reason": reason},
        )
        transaction.on_commit(lambda: mail.queue_status_changed(event.pk))
    return locked


def order_start_processing(*, order: Order, actor, note: str = "") -> Order:
    """paid -> processing: the facility starts packing or making the order.

    Raises OrderError when not allowed."""
    return _move(
        order,
        to=OrderStatus.PROCESSING,
        role=STAFF,
        actor=actor,
        note=note or _("Pesanan sedang diproses."),
    )


def order_ship(*, order: Order, actor, courier: str, tracking_number: str) -> Order:
    """processing -> shipped for delivery orders; courier orders need the courier
    and tracking number.

    Raises OrderError for pickup orders, missing courier data, or a refused move."""
    courier = (courier or "").strip()[:60]
    tracking_number = (tracking_number or "").strip()[:60]

    def guard(locked: Order) -> None:
        if locked.delivery_method == DeliveryMethod.PICKUP:
            raise OrderError(_("Pesanan ambil di showroom tidak dikirim; tandai siap diambil."))
        if locked.delivery_method == DeliveryMethod.COURIER and not (courier and tracking_number):
            raise OrderError(_("Isi nama kurir dan nomor resi."))

    note = (
        _("Dikirim lewat %(courier)s, resi %(number)s.")
        % {"courier": courier, "number": tracking_number}
        if courier
        else _("Diantar oleh petugas UPT.")
    )
    return _move(
        order,
        to=OrderStatus.SHIPPED,
        role=STAFF,
        actor=actor,
        note=note,
        guard=guard,
        updates={"courier": courier, "tracking_number": tracking_number},
    )


def order_process_and_ship(*, order: Order, actor, courier: str, tracking_number: str) -> Order:
    """paid -> processing -> shipped in one step, for the parcel packed and handed
    to the courier at once; both moves are recorded. One transaction: a refused
    ship (missing resi, a pickup order) leaves the order paid.

    Raises OrderError as order_start_processing and order_ship do."""
    with transaction.atomic():
        locked = Order.objects.select_for_update().get(pk=order.pk)
        if locked.status == OrderStatus.PAID:
            order_start_processing(order=locked, actor=actor)
        return order_ship(
            order=locked, actor=actor, courier=courier, tracking_number=tracking_number
        )


def order_ready_for_pickup(*, order: Order, actor, note: str = "") -> Order:
    """processing -> ready_for_pickup for pickup orders.

    Raises OrderError for delivery orders or a refused move."""

    def guard(locked: Order) -> None:
        if locked.delivery_method != DeliveryMethod.PICKUP:
            raise OrderError(_("Hanya pesanan ambil di showroom yang bisa ditandai siap diambil."))

    return _move(
        order,
        to=OrderStatus.READY_FOR_PICKUP,
        role=STAFF,
        actor=actor,
        note=note or _("Pesanan siap diambil di showroom."),
        guard=guard,
    )


def order_complete(*, order: Order, actor, note: str = "") -> Order:
    """shipped | ready_for_pickup -> completed. Raises OrderError when not allowed."""
    return _move(
        order,
        to=OrderStatus.COMPLETED,
        role=STAFF,
        actor=actor,
        note=note or _("Pesanan selesai."),
    )


def order_complete_delivered(*, order: Order) -> Order:
    """shipped -> completed because the courier reports the parcel delivered."""
    return _move(
        order,
        to=OrderStatus.COMPLETED,
        role=SYSTEM,
        note=_("Paket diterima pembeli (kabar dari kurir); pesanan selesai."),
    )
