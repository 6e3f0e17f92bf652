"""Which order events reach the shopper on WhatsApp, and sending them.

Mail stays with orders/mail.py (it already mails the shopper at checkout and on
every status change), so this dispatcher only adds the WhatsApp channel: no
event is mailed twice. One OutboundMessage per (order, event, channel): a
replayed event or task finds the row and does nothing.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from notifications import hooks, whatsapp
from notifications.models import Channel, MessageStatus, OptOut, OutboundMessage
from shipping.links import safe_link

log = logging.getLogger(__name__)

# Template names as approved in WhatsApp Manager (category "utility", language id).
TEMPLATES = {
    "placed": "kb_pesanan_dibuat",
    "paid": "kb_pembayaran_diterima",
    "shipped": "kb_pesanan_dikirim",
    "ready_for_pickup": "kb_siap_diambil",
    "completed": "kb_pesanan_selesai",
    # Sent only when completion waits DELIVERED_COMPLETES_AFTER_DAYS; otherwise
    # the parcel's delivery completes the order at once and "completed" says it.
    "delivered": "kb_paket_diterima",
}
MAX_ATTEMPTS = 5


def event_kind(event) -> str | None:
    if not event.from_status:
        return "placed"
    if event.to_status in TEMPLATES:
        return event.to_status
    return None


def _track_url(order) -> str:
    """A signed, expiring link that opens the order itself (orders.account.links)."""
    from orders.account.links import order_link

    return order_link(order)


def _courier_link(order) -> str:
    """The courier's own tracking page for the parcel when the aggregator gave
    one (it needs no code or phone), else the site's tracking form."""
    from orders.delivery.models import Shipment

    link = Shipment.objects.filter(order_id=order.pk).values_list("tracking_link", flat=True)
    return safe_link(next(iter(link), "")) or _track_url(order)


def _params(kind: str, order, group=None) -> list[str]:
    from orders.account.links import order_link

    group = group or [order]
    link = order_link(group)
    base = [order.contact_name, ", ".join(o.code for o in group)]
    if kind == "shipped":
        link = _courier_link(order)
        return [*base, order.courier or "-", order.tracking_number or "-", link]
    if kind == "delivered":
        return [*base, order.courier or "-", _courier_link(order)]
    if kind == "ready_for_pickup":
        return [*base, order.facility.name, link]
    return [*base, link]


def opted_out(phone: str, order_id: int) -> bool:
    return OptOut.objects.filter(Q(order__isnull=True) | Q(order_id=order_id), phone=phone).exists()


def recipient_digits(order) -> str:
    return (order.contact_phone or "").lstrip("+")


def message_queue_for_event(*, event_id: int) -> OutboundMessage | None:
    """Create the WhatsApp row for an order event and enqueue its send task."""
    from orders.models import OrderEvent

    if not whatsapp.enabled():
        return None
    event = OrderEvent.objects.select_related("order__facility").get(pk=event_id)
    kind = event_kind(event)
    if kind is None:
        return None
    # One message per checkout event (orders.account.events): stored against
    # the group's first order, so a second order's event finds it and stops.
    from orders.account.events import checkout_group

    group = checkout_group(event.order, kind)
    return _queue(group[0], kind, group)


def message_queue_delivered(*, shipment_id: int) -> OutboundMessage | None:
    """The courier delivered the parcel but the order completes later
    (DELIVERED_COMPLETES_AFTER_DAYS): tell the shopper now."""
    from orders.delivery.models import Shipment

    if not whatsapp.enabled() or not settings.DELIVERED_COMPLETES_AFTER_DAYS:
        return None
    shipment = Shipment.objects.select_related("order__facility").get(pk=shipment_id)
    return _queue(shipment.order, "delivered")


def _queue(order, kind: str, group=None) -> OutboundMessage | None:
    phone = recipient_digits(order)
    if not phone or opted_out(phone, order.pk):
        return None
    try:
        with transaction.atomic():
            message = OutboundMessage.objects.create(
                order=order,
                event_kind=kind,
                channel=Channel.WHATSAPP,
                recipient=phone,
                template=TEMPLATES[kind],
                params=_params(kind, order, group),
            )
    except IntegrityError:
        return None  # replayed event: already queued once
    _enqueue(message.pk)
    return message


def _enqueue(message_id: int) -> None:
    # robust: a queue that cannot take the task is logged (the row stays
    # queued, visible to staff, who resend it); the committed order stands.
    transaction.on_commit(lambda: hooks.tasks.whatsapp_send.enqueue(message_id), robust=True)


class RetryLater(Exception):
    pass


def message_send(*, message_id: int) -> None:
    """One attempt. Transient errors raise RetryLater (the task retries with backoff).

    WhatsApp is called with no row lock held and outside any transaction of
    ours: a slow Graph API must not keep the message row (and the order's
    writers behind it) waiting. Two workers never send the same message at
    once: each first claims it (_claimed, a session advisory lock, not a row
    lock); the one that does not get it leaves it to the one that did.
    """
    with _claimed(message_id) as mine:
        if not mine:
            return
        message = _counted_attempt(message_id)
        if message is None:
            return
        try:
            sent = whatsapp.send_template(
                to=message.recipient, template=message.template, params=message.params
            )
        except whatsapp.SendError as exc:
            retry = exc.transient and message.attempts < MAX_ATTEMPTS
            _record(
                message_id,
                last_error=str(exc)[:1000],
                **({} if retry else {"status": MessageStatus.FAILED}),
            )
            if retry:
                raise RetryLater(str(exc)) from None
        else:
            _record(
                message_id,
                status=MessageStatus.SENT,
                provider_message_id=sent.message_id,
                last_error="",
            )


# Advisory-lock keys: (this namespace, the message id).
_CLAIM_NAMESPACE = 7301


@contextmanager
def _claimed(message_id: int):
    """Whether this session holds the message's claim while the block runs."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_CLAIM_NAMESPACE, message_id])
        mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_CLAIM_NAMESPACE, message_id])


def _counted_attempt(message_id: int) -> OutboundMessage | None:
    """The message to send now, its attempt counted; None when it is not to be
    sent (sent already, anonymised, the phone opted out)."""
    with transaction.atomic():
        message = OutboundMessage.objects.get(pk=message_id)
        if message.status != MessageStatus.QUEUED:
            return None
        if not message.recipient:  # the order was anonymised (privacy erasure)
            _record(message_id, status=MessageStatus.FAILED, last_error="anonymised")
            return None
        if opted_out(message.recipient, message.order_id):
            _record(message_id, status=MessageStatus.FAILED, last_error="opted out")
            return None
        message.attempts += 1
        message.save(update_fields=["attempts", "updated_at"])
    return message


def _record(message_id: int, **fields) -> None:
    # Only the fields of this attempt: a privacy erasure that blanked the
    # recipient meanwhile stays blank.
    OutboundMessage.objects.filter(pk=message_id).update(**fields, updated_at=timezone.now())


def message_resend(*, message_id: int) -> bool:
    """Staff: put a failed message back on the queue."""
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(pk=message_id, status=MessageStatus.FAILED).update(
            status=MessageStatus.QUEUED, attempts=0, last_error=""
        )
        if updated:
            _enqueue(message_id)
    return bool(updated)


_RANK = {s: i for i, s in enumerate(["queued", "sent", "delivered", "read"])}


def status_apply(*, provider_message_id: str, status: str, error: str = "") -> bool:
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update()
            .filter(provider_message_id=provider_message_id)
            .first()
        )
        if message is None:
            return False
        if status == "failed":
            message.status = MessageStatus.FAILED
            message.last_error = error[:1000]
        elif status in _RANK and _RANK.get(message.status, 99) < _RANK[status]:
            message.status = status
        else:
            return False
        message.save(update_fields=["status", "last_error", "updated_at"])
    return True


def optout_record(*, phone: str, order=None, source: str) -> OptOut:
    phone = phone.lstrip("+")
    return OptOut.objects.get_or_create(phone=phone, order=order, defaults={"source": source})[0]


def optout_remove(*, phone: str, order=None) -> None:
    OptOut.objects.filter(phone=phone.lstrip("+"), order=order).delete()
