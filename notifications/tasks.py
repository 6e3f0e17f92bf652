"""Queued work: never inside the request; a failure never touches the order."""

from core.task_retry import retried_task


@retried_task()
def whatsapp_queue_event(event_id: int) -> None:
    from notifications.services import message_queue_for_event

    message_queue_for_event(event_id=event_id)


@retried_task()
def whatsapp_queue_delivered(shipment_id: int) -> None:
    from notifications.services import message_queue_delivered

    message_queue_delivered(shipment_id=shipment_id)


@retried_task(max_attempts=5)
def whatsapp_send(message_id: int) -> None:
    from notifications.services import message_send

    message_send(message_id=message_id)
