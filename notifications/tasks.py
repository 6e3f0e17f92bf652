"""The send task: retried with backoff (core.task_retry) while WhatsApp is
down or rate-limits us; the row (services.message_send) keeps the count."""

from __future__ import annotations

from core.task_retry import retried_task
from notifications import services


@retried_task(max_attempts=services.MAX_ATTEMPTS)
def whatsapp_send(message_id: int) -> None:
    services.message_send(message_id=message_id)
