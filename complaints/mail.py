"""Complaint mail: the facility hears of a new complaint; the shopper (when
they gave an email) of each answer, escalation and decision."""

from __future__ import annotations

from complaints.models import ComplaintEvent
from orders.mail import facility_recipients, render_and_send


def send_for_event(kind: str, event_id: int) -> None:
    event = (
        ComplaintEvent.objects.select_related("complaint__order", "complaint__facility")
        .filter(pk=event_id)
        .first()
    )
    if event is None:
        return
    complaint = event.complaint
    context = {"complaint": complaint, "order": complaint.order, "event": event, "kind": kind}
    if kind == "opened":
        to = facility_recipients(complaint.facility)
    else:
        to = [complaint.order.contact_email]
    render_and_send(
        "complaints/mail_subject.txt",
        "complaints/mail_body.txt",
        context,
        to,
        key=f"complaints.{kind}:{event_id}",
    )
