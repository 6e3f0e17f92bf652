"""Background work of complaints: mail per step, and the deadline sweep."""

from __future__ import annotations

from core.task_retry import retried_task


@retried_task()
def complaint_mail(kind: str, event_id: int) -> None:
    from complaints.mail import send_for_event

    send_for_event(kind, event_id)


@retried_task()
def complaints_escalate_overdue() -> None:
    # The whole deadline sweep: escalation and closing answers left alone.
    from complaints.services import complaints_sweep_deadlines

    complaints_sweep_deadlines()
