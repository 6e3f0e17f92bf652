"""What every complaint step shares: the errors, the state-table move, the
event row and the mail queued on commit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from complaints import states
from complaints.models import ComplaintEvent, ComplaintLine, Remedy
from orders.models import OrderStatus

MAX_PHOTOS = 3
COMPLAINABLE = frozenset({OrderStatus.SHIPPED, OrderStatus.COMPLETED})
REFUND_REMEDIES = frozenset({Remedy.RETURN_REFUND, Remedy.PARTIAL_REFUND})


class ComplaintRefused(Exception):
    """The shopper may not complain here; the message is the wrong-code answer."""


class ComplaintError(Exception):
    """A step refused, with an Indonesian message for the person who tried it."""


def _event(complaint, *, actor, label, from_status, note="", mail: str = ""):
    """The step's event row; with `mail`, that kind of mail about it is queued
    on commit (complaints.tasks)."""
    event = ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label,
        from_status=from_status,
        to_status=complaint.status,
        note=note,
    )
    if mail:
        _queue_mail(mail, event.pk)
    return event


def _move(complaint, to_status, role):
    if not states.can_transition(complaint.status, to_status, role):
        raise ComplaintError(_("Langkah ini tidak bisa dilakukan pada keluhan ini sekarang."))
    from_status = complaint.status
    complaint.status = to_status
    if to_status in states.CLOSED:
        ComplaintLine.objects.filter(complaint=complaint).update(open=False)
    return from_status


def _check_amount(remedy, amount, order):
    if remedy == Remedy.PARTIAL_REFUND:
        if not amount or amount <= 0:
            raise ValidationError(_("Isi jumlah refund sebagian."))
        if amount > order.total:
            raise ValidationError(_("Jumlah refund melebihi total pesanan."))


def _queue_mail(kind: str, event_id: int) -> None:
    def send():
        from complaints import tasks

        tasks.complaint_mail.enqueue(kind, event_id)

    transaction.on_commit(send)
