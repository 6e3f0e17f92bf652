from django.db import transaction


def order_event_saved(sender, instance, created, raw=False, **kwargs):
    from notifications import whatsapp

    if not created or raw or not whatsapp.enabled():
        return  # no WhatsApp configured: mail only, nothing queued
    event_id = instance.pk

    def queue():
        from notifications import tasks

        tasks.whatsapp_queue_event.enqueue(event_id)

    transaction.on_commit(queue)


def order_erased(sender, instance, created, raw=False, **kwargs):
    """Privacy erasure (orders.privacy.order_anonymise) replaces the shopper's
    data in an order; the number and name kept in its messages go too, in the
    same transaction. A message still queued then has no one to go to."""
    if not created or raw:
        return
    from notifications.models import OutboundMessage

    OutboundMessage.objects.filter(order_id=instance.order_id).update(recipient="", params=[])
