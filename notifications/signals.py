"""orders writes an OrderEvent for every step; after its transaction commits,
the step's messages are queued. A failure here never touches the order."""

from __future__ import annotations

import logging

from django.db import transaction

from notifications import whatsapp

log = logging.getLogger(__name__)


def order_event_saved(sender, instance, created, raw=False, **kwargs):
    if not created or raw or not whatsapp.is_configured():
        return
    event_id = instance.pk

    def queue():
        from notifications.services import messages_queue_for_event

        messages_queue_for_event(event_id=event_id)

    transaction.on_commit(queue, robust=True)


def order_erased(sender, instance, created, raw=False, **kwargs):
    """Privacy erasure (orders.privacy) anonymises an order: the number and
    name in its messages go too, in the same transaction; a message still
    queued then has no one to go to and is skipped."""
    if not created or raw:
        return
    from notifications.models import OutboundMessage

    OutboundMessage.objects.filter(order_id=instance.order_id).update(recipient="", params=[])
