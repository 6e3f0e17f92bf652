"""The facility answers; the shopper accepts or disputes; money owed by a
refund remedy is given back (gateway) or its manual transfer recorded."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import states
from complaints.models import AnswerKind, Complaint, ComplaintStatus, Remedy
from complaints.services.common import ComplaintError, _check_amount, _event, _move
from facilities.scoping import scope_for
from orders.payments.services.order_refunds import order_refund_record, order_refundable_amount
from orders.services import OrderError


def may_answer(actor, complaint) -> bool:
    """Only the complaint's own facility staff answer it (the Scope decides)."""
    scope = scope_for(actor)
    return scope.is_facility_staff and scope.may_act_for(complaint.facility_id)


def may_record_transfer(actor, complaint) -> bool:
    """Who moves the facility's money: its staff and head office (Scope.may_act_for)."""
    return scope_for(actor).may_act_for(complaint.facility_id)


def _require_facility_staff(complaint, actor):
    if not may_answer(actor, complaint):
        raise ComplaintError(_("Hanya petugas UPT ini yang menjawab keluhannya."))


def complaint_answer(
    *, complaint, actor, kind: str, remedy: str = "", amount: int | None = None, note: str = ""
) -> Complaint:
    """The facility answers: accept the shopper's remedy, offer another, or
    reject with a reason. Raises ComplaintError / ValidationError."""
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update().select_related("order").get(pk=complaint.pk)
        )
        _require_facility_staff(complaint, actor)
        note = (note or "").strip()
        if kind == AnswerKind.ACCEPT:
            remedy, amount = complaint.remedy_wanted, complaint.amount_wanted
        elif kind == AnswerKind.OFFER:
            if remedy not in {Remedy.REPLACEMENT, Remedy.RETURN_REFUND, Remedy.PARTIAL_REFUND}:
                raise ValidationError(_("Pilih penyelesaian yang ditawarkan."))
            _check_amount(remedy, amount, complaint.order)
        elif kind == AnswerKind.REJECT:
            if not note:
                raise ValidationError(_("Alasan penolakan wajib diisi."))
            remedy, amount = Remedy.NONE, None
        else:
            raise ValidationError(_("Pilih jawaban."))
        from_status = _move(complaint, ComplaintStatus.ANSWERED, states.FACILITY)
        complaint.answer_kind = kind
        complaint.answer_remedy = remedy
        complaint.answer_amount = amount if remedy == Remedy.PARTIAL_REFUND else None
        complaint.answer_note = note
        complaint.answered_at = timezone.now()
        complaint.save()
        _event(
            complaint, actor=actor, label="UPT", from_status=from_status, note=note, mail="answered"
        )
    return complaint


def _refund_amount(complaint, remedy, amount) -> int:
    if remedy == Remedy.PARTIAL_REFUND:
        return amount or 0
    if remedy == Remedy.RETURN_REFUND:
        return sum(cl.order_line.line_total for cl in complaint.lines.select_related("order_line"))
    return 0


def _settle(complaint, *, remedy, amount, actor):
    """Give the money back for a refund remedy: at once through the gateway when
    the order was paid there, else owed by manual transfer (refund_due)."""
    from orders.models import PaymentMethod

    money = _refund_amount(complaint, remedy, amount)
    if not money:
        return
    money = min(money, order_refundable_amount(complaint.order))
    if money <= 0:
        return
    if complaint.order.payment_method == PaymentMethod.GATEWAY:
        try:
            order_refund_record(
                order=complaint.order,
                amount=money,
                reason=_("Keluhan #%(id)s") % {"id": complaint.pk},
                refund_key=f"complaint-{complaint.pk}",
                actor=actor,
                source=f"complaint:{complaint.pk}",
            )
        except OrderError as error:
            raise ComplaintError(str(error)) from None
    else:
        complaint.refund_due = money


def complaint_accept_answer(*, complaint) -> Complaint:
    """The shopper accepts the facility's answer: the complaint is settled."""
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update().select_related("order").get(pk=complaint.pk)
        )
        from_status = _move(complaint, ComplaintStatus.RESOLVED, states.SHOPPER)
        _settle(
            complaint, remedy=complaint.answer_remedy, amount=complaint.answer_amount, actor=None
        )
        complaint.save()
        _event(complaint, actor=None, label="Pembeli", from_status=from_status, mail="resolved")
    return complaint


def complaint_dispute(*, complaint, note: str = "") -> Complaint:
    """The shopper disputes the answer: the Kanwil decides."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        from_status = _move(complaint, ComplaintStatus.ESCALATED, states.SHOPPER)
        complaint.escalated_at = timezone.now()
        complaint.save()
        _event(
            complaint,
            actor=None,
            label="Pembeli",
            from_status=from_status,
            note=(note or "")[:1000],
            mail="escalated",
        )
    return complaint


def complaint_refund_transfer_record(*, complaint, actor, reference: str) -> Complaint:
    """Staff of the facility (or head office) transferred the refund owed by
    this complaint: record it on the order's refunds with who and the reference."""
    reference = (reference or "").strip()
    if not reference:
        raise ValidationError(_("Isi referensi transfer."))
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update().select_related("order").get(pk=complaint.pk)
        )
        if not may_record_transfer(actor, complaint):
            raise ComplaintError(_("Hanya petugas UPT ini yang mencatat transfer refund."))
        if not complaint.refund_due:
            raise ComplaintError(_("Tidak ada refund yang perlu ditransfer."))
        try:
            order_refund_record(
                order=complaint.order,
                amount=complaint.refund_due,
                reason=_("Keluhan #%(id)s") % {"id": complaint.pk},
                refund_key=f"complaint-{complaint.pk}",
                actor=actor,
                source=f"complaint:{complaint.pk}",
                transfer_reference=reference,
            )
        except OrderError as error:
            raise ComplaintError(str(error)) from None
        complaint.refund_due = None
        complaint.save()
        _event(
            complaint,
            actor=actor,
            label="UPT",
            from_status=complaint.status,
            note=_("Refund ditransfer, referensi %(ref)s") % {"ref": reference[:100]},
        )
    return complaint
