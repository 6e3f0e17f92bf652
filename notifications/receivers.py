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
