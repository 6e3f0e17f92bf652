from django.db import transaction


def order_event_saved(sender, instance, created, raw=False, **kwargs):
    from notifications import whatsapp

    if not created or raw or not whatsapp.enabled():
        return  # no WhatsApp configured: mail only, nothing queued
    event_id = instance.pk

    def queue():
        from notifications import tasks

        tasks.whatsapp_queue_event.enqueue(event_id)

    # robust: the order is committed; a queue that refuses the task is logged,
    # never a failed request for a placed order.
    transaction.on_commit(queue, robust=True)


def tracking_event_saved(sender, instance, created, raw=False, **kwargs):
    """The courier says "delivered": when the order completes only later
    (DELIVERED_COMPLETES_AFTER_DAYS), the shopper hears of the delivery now."""
    from django.conf import settings

    from notifications import whatsapp

    if not created or raw or instance.status != "delivered" or not whatsapp.enabled():
        return
    if not settings.DELIVERED_COMPLETES_AFTER_DAYS:
        return  # delivery completes the order at once: "completed" says it
    shipment_id = instance.shipment_id

    def queue():
        from notifications import tasks

        tasks.whatsapp_queue_delivered.enqueue(shipment_id)

    transaction.on_commit(queue, robust=True)


def order_erased(sender, instance, created, raw=False, **kwargs):
    """Privacy erasure (orders.privacy.order_anonymise) replaces the shopper's
    data in an order; the number and name kept in its messages go too, in the
    same transaction. A message still queued then has no one to go to."""
    if not created or raw:
        return
    from notifications.models import OutboundMessage

    OutboundMessage.objects.filter(order_id=instance.order_id).update(recipient="", params=[])
