"""Background work of quotes: one mail per step, retried like order mail."""

from __future__ import annotations

from core.task_retry import retried_task


@retried_task()
def quote_mail(kind: str, pk: int) -> None:
    from quotes.mail import send

    send(kind, pk)
