"""Writes for complaints, one module per part of a complaint's life:

- opening.py: the shopper opens one from the tracking page (window, lines, photos);
- settling.py: the facility answers, the shopper accepts or disputes, refunds;
- escalation.py: the deadlines (escalate unanswered, close answers left alone)
  and the Kanwil's decision;
- common.py: errors, the state-table move, event rows, mail on commit.

Each step is checked against the state table (complaints.states), writes a
ComplaintEvent and mails on commit. Callers import from this package."""

from complaints.services.common import (
    COMPLAINABLE,
    MAX_PHOTOS,
    REFUND_REMEDIES,
    ComplaintError,
    ComplaintRefused,
)
from complaints.services.escalation import (
    accept_due_at,
    complaint_close_unanswered,
    complaint_decide,
    complaint_escalate_overdue,
    complaints_sweep_deadlines,
    may_decide,
)
from complaints.services.opening import complaint_open, eligible_lines, window_started_at
from complaints.services.settling import (
    complaint_accept_answer,
    complaint_answer,
    complaint_dispute,
    complaint_refund_transfer_record,
    may_answer,
    may_record_transfer,
)

__all__ = [
    "COMPLAINABLE",
    "MAX_PHOTOS",
    "REFUND_REMEDIES",
    "ComplaintError",
    "ComplaintRefused",
    "accept_due_at",
    "complaint_accept_answer",
    "complaint_answer",
    "complaint_close_unanswered",
    "complaint_decide",
    "complaint_dispute",
    "complaint_escalate_overdue",
    "complaint_open",
    "complaint_refund_transfer_record",
    "complaints_sweep_deadlines",
    "eligible_lines",
    "may_answer",
    "may_decide",
    "may_record_transfer",
    "window_started_at",
]
