"""Queued work: never inside the request; a failure never touches the order.

The staff sweep and morning digest are periodic jobs that call
notifications.staff_alerts directly (marketplace/periodic.py). Services queue
the tasks below through notifications.hooks, never by importing this module.
"""

from core.task_retry import retried_task
from notifications import services, staff_alerts


@retried_task()
def whatsapp_queue_event(event_id: int) -> None:
    services.message_queue_for_event(event_id=event_id)


@retried_task()
def whatsapp_queue_delivered(shipment_id: int) -> None:
    services.message_queue_delivered(shipment_id=shipment_id)


@retried_task(max_attempts=5)
def whatsapp_send(message_id: int) -> None:
    services.message_send(message_id=message_id)


# --- staff: urgent work and the morning digest (notifications.staff_alerts) ---


@retried_task()
def staff_alert_send(user_id: int, keys: list[str]) -> None:
    staff_alerts.staff_alert_send(user_id=user_id, keys=keys)


@retried_task()
def staff_digest_send(user_id: int) -> None:
    staff_alerts.staff_digest_send(user_id=user_id)
