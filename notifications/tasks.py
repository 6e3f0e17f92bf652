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


# --- staff: urgent work and the morning digest (notifications.staff_alerts) ---


@retried_task()
def staff_alerts_sweep() -> None:
    """Periodic, every 15 minutes: queue urgent-work messages not sent yet."""
    from notifications.staff_alerts import staff_alerts_sweep as sweep

    sweep()


@retried_task()
def staff_digest_queue_all() -> None:
    """Periodic, daily at 07.00 WIB: one digest task per person who wants it."""
    from notifications.staff_alerts import staff_digest_queue_all as queue_all

    queue_all()


@retried_task()
def staff_alert_send(user_id: int, keys: list[str]) -> None:
    from notifications.staff_alerts import staff_alert_send as send

    send(user_id=user_id, keys=keys)


@retried_task()
def staff_digest_send(user_id: int) -> None:
    from notifications.staff_alerts import staff_digest_send as send

    send(user_id=user_id)
