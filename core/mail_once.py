"""Mail that goes out once per event, however often its task runs.

A queue runs a job at least once: a job whose worker died after the mail left
but before the job was marked done runs again (core.queue_jobs). The key names
the event (`orders.status:<event id>`); the row is written before the send and
stamped after it, so a second run finds the stamp and sends nothing. No lock is
held during the send (an outside call never runs under a row lock): two runs at
the same moment can only happen when a worker was wrongly judged dead, and then
a duplicate beats a lost mail.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from core.models import SentMail


def mail_send_once(*, key: str, send: Callable[[], object]) -> bool:
    """Call `send` unless the mail keyed `key` already went out; returns whether
    it was called. An exception from `send` leaves the key unstamped (the task
    retries) and propagates."""
    row, _ = SentMail.objects.get_or_create(key=key[:200])
    if row.sent_at is not None:
        return False
    send()
    SentMail.objects.filter(pk=row.pk).update(sent_at=timezone.now())
    return True
