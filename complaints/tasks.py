"""Background work of complaints: one mail per step. (The deadline sweep is a
periodic job that calls complaints.services directly, marketplace/periodic.py;
a task here calling back into services made services and tasks import each
other.)"""

from __future__ import annotations

from complaints import mail
from core.task_retry import retried_task


@retried_task()
def complaint_mail(kind: str, event_id: int) -> None:
    mail.send_for_event(kind, event_id)
