"""What complaints put in the inbox (facilities.inbox): open complaints for
the facility to answer by `answer_due_at` (set by complaints' own rule,
COMPLAINT_ANSWER_DAYS working days), and escalated ones for the Kanwil."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models import Complaint, ComplaintStatus
from facilities.inbox import NATIONAL, REVIEWER, InboxItem, register_source


def _item(kind: str, label):
    def item(complaint, now) -> InboxItem:
        # An escalated complaint that was never answered carries the deadline
        # the facility missed; a disputed one waits without one.
        due = complaint.answer_due_at if complaint.answered_at is None else None
        return InboxItem(
            kind=kind,
            kind_label=str(label),
            title=f"{complaint} · {complaint.order.code}",
            detail=complaint.get_reason_display(),
            url=reverse("admin:complaints_complaint_change", args=[complaint.pk]),
            deadline=due,
            overdue=due is not None and due < now,
            facility=complaint.facility,
        )

    return item


def _rows(status):
    return lambda now: (
        Complaint.objects.filter(status=status)
        .select_related("facility", "order")
        .order_by("answer_due_at", "id")
    )


def _late(now) -> Q:
    return Q(answered_at__isnull=True, answer_due_at__lt=now)


def register() -> None:
    answer = _("Keluhan perlu dijawab")
    register_source(
        "complaints",
        label=answer,
        rows=_rows(ComplaintStatus.OPEN),
        late=_late,
        item=_item("complaints", answer),
        perm="complaints.view_complaint",
        position=30,
    )
    decide = _("Keluhan diteruskan ke Kanwil")
    register_source(
        "complaints_escalated",
        label=decide,
        rows=_rows(ComplaintStatus.ESCALATED),
        late=_late,
        item=_item("complaints_escalated", decide),
        workers={REVIEWER, NATIONAL},
        perm="complaints.view_complaint",
        position=31,
    )
