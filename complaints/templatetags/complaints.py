"""The complaints section of the tracking page, without orders importing complaints."""

from django import template

from complaints.forms import ComplaintForm
from complaints.models import Complaint
from complaints.services import COMPLAINABLE, accept_due_at, eligible_lines

register = template.Library()


@register.inclusion_tag("complaints/order_complaints.html", takes_context=True)
def order_complaints(context, order):
    # Only shipped or completed orders ever take complaints (neither status
    # goes back): the tracking page of any other order costs no query here.
    if order.status not in COMPLAINABLE:
        return {"order": order, "complaints": [], "form": None}
    complaints = list(
        Complaint.objects.filter(order=order)
        .prefetch_related("lines__order_line", "events")
        .order_by("-created_at")
    )
    for complaint in complaints:
        # Stated next to the buttons: after it the answer stands (deadline sweep).
        complaint.accept_due = accept_due_at(complaint)
    lines = eligible_lines(order=order)
    return {
        "order": order,
        "complaints": complaints,
        "form": ComplaintForm(lines=lines) if lines else None,
        "csrf_token": context.get("csrf_token"),
    }
