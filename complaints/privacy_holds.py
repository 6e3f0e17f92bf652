"""What complaints still need an order's shopper for, told to orders' one
erasure rule (orders.privacy.holds) by registration: orders sits below
complaints in the layers contract and may not import it.

An order is held while a complaint on it is not closed (the facility, the
shopper and the Kanwil still talk to each other about it), and while a closed
complaint still owes the shopper a refund by manual transfer (refund_due):
paying it needs to know who and where."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import Complaint, ComplaintStatus
from complaints.services.escalation import _close_days, accept_due_at
from complaints.states import CLOSED
from complaints.workdays import add_working_days
from orders.privacy.holds import ErasureHold, day_text


def _expected_close(complaint: Complaint) -> datetime | None:
    """When the complaint closes by the clock if nobody disputes: an open one
    once the facility answers by its deadline and the shopper leaves the
    answer alone; an answered one when the shopper's time to react ends. An
    escalated one waits for the Kanwil, who has no deadline."""
    if complaint.status == ComplaintStatus.OPEN:
        return add_working_days(complaint.answer_due_at, _close_days())
    if complaint.status == ComplaintStatus.ANSWERED:
        return accept_due_at(complaint)
    return None


def complaint_erasure_holds(order, now: datetime) -> Iterator[ErasureHold]:
    complaints = list(Complaint.objects.filter(order=order).order_by("pk"))
    for complaint in complaints:
        if complaint.status in CLOSED:
            continue
        close = _expected_close(complaint)
        if close is not None and close > now:
            day = timezone.localdate(close)
            yield ErasureHold(
                "complaint",
                _(
                    "Keluhan #%(id)s atas pesanan %(code)s masih berjalan (%(status)s), "
                    "perkiraan selesai %(day)s."
                )
                % {
                    "id": complaint.pk,
                    "code": order.code,
                    "status": complaint.get_status_display(),
                    "day": day_text(day),
                },
                until=day,
            )
        else:
            yield ErasureHold(
                "complaint",
                _("Keluhan #%(id)s atas pesanan %(code)s masih berjalan (%(status)s).")
                % {
                    "id": complaint.pk,
                    "code": order.code,
                    "status": complaint.get_status_display(),
                },
            )
    if any(c.status in CLOSED and c.refund_due for c in complaints):
        yield ErasureHold(
            "refund",
            _("Refund keluhan pesanan %(code)s belum ditransfer UPT.") % {"code": order.code},
        )
