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
