"""Writes of the notifications app: queue a message for an order step, send it,
send a failed one again. Each in its own transaction; tasks queued on commit."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from notifications import templates, whatsapp
from notifications.models import Channel, OutboundMessage, WhatsAppOptOut
from orders.models import OrderEvent

log = logging.getLogger(__name__)

# The send task's attempts (tasks.py); after the last one a message that still
# meets only transient errors is marked failed for staff to see and resend.
MAX_ATTEMPTS = 6


def _enqueue(message_id: int) -> None:
    from notifications.tasks import whatsapp_send

    whatsapp_send.enqueue(message_id)


def messages_queue_for_event(*, event_id: int) -> list[OutboundMessage]:
    """One message per channel for the step this event announces; a replayed
    event finds the rows already there and queues nothing new."""
    if not whatsapp.is_configured():
        return []
    event = OrderEvent.objects.select_related("order__facility").filter(pk=event_id).first()
    kind = templates.event_kind_for(event) if event else None
    if kind is None or not event.order.contact_phone:
        return []
    order = event.order
    with transaction.atomic():
        message, created = OutboundMessage.objects.get_or_create(
            order=order,
            event_kind=kind,
            channel=Channel.WHATSAPP,
            defaults={
                "recipient": order.contact_phone,
                "template": templates.TEMPLATES[kind],
                "params": templates.params_for(kind, order),
            },
        )
        if created:
            transaction.on_commit(lambda: _enqueue(message.pk), robust=True)
    return [message]


def is_opted_out(phone: str) -> bool:
    return WhatsAppOptOut.objects.filter(phone=phone).exists()


def message_send(*, message_id: int) -> OutboundMessage | None:
    """Send one queued message. The row is locked for the call, so two runs of
    the same task never both send; a sent, failed or skipped row is left alone.
    A transient error is recorded and raised (the task retries); a permanent
    one marks the row failed."""
    transient = None
    with transaction.atomic():
        message = OutboundMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboundMessage.Status.QUEUED:
            return message
        if not message.recipient or is_opted_out(message.recipient):
            message.status = OutboundMessage.Status.SKIPPED
            message.save(update_fields=["status", "updated_at"])
            return message
        if not whatsapp.is_configured():
            message.status = OutboundMessage.Status.FAILED
            message.last_error = "WhatsApp tidak dikonfigurasi (WHATSAPP_TOKEN kosong)."
            message.save(update_fields=["status", "last_error", "updated_at"])
            return message
        message.attempts += 1
        try:
            message.provider_id = whatsapp.WhatsAppClient().send_template(
                to=message.recipient, template=message.template, params=message.params
            )
        except whatsapp.WhatsAppError as error:
            message.last_error = str(error)
            if error.transient and message.attempts < MAX_ATTEMPTS:
                transient = error
            else:
                message.status = OutboundMessage.Status.FAILED
        else:
            message.status = OutboundMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save()
    if transient is not None:
        log.warning("WhatsApp message %s: %s (will retry)", message_id, transient)
        raise transient
    return message


def message_resend(*, message: OutboundMessage) -> bool:
    """Staff's "kirim ulang": a failed message goes back to the queue."""
    with transaction.atomic():
        updated = OutboundMessage.objects.filter(
            pk=message.pk, status=OutboundMessage.Status.FAILED
        ).update(status=OutboundMessage.Status.QUEUED, attempts=0, updated_at=timezone.now())
        if updated:
            transaction.on_commit(lambda: _enqueue(message.pk), robust=True)
    return bool(updated)
