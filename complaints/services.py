"""Writes for complaints: open (shopper, from the tracking page), answer
(facility), accept or dispute (shopper), escalate (deadline service), decide
(Kanwil), record a manual refund transfer. Each step is checked against the
state table (complaints.states), writes a ComplaintEvent and mails on commit."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import states
from complaints.models import (
    AnswerKind,
    Complaint,
    ComplaintEvent,
    ComplaintLine,
    ComplaintPhoto,
    ComplaintReason,
    ComplaintStatus,
    Remedy,
)
from complaints.workdays import add_working_days
from core.images import ImageRejected, process_image
from facilities.scoping import scope_for
from orders.models import OrderEvent, OrderLine, OrderStatus
from orders.refunds import order_refund_record, order_refundable_amount
from orders.services import OrderError
from orders.tracking import NOT_MATCHED

MAX_PHOTOS = 3
COMPLAINABLE = frozenset({OrderStatus.SHIPPED, OrderStatus.COMPLETED})
REFUND_REMEDIES = frozenset({Remedy.RETURN_REFUND, Remedy.PARTIAL_REFUND})


class ComplaintRefused(Exception):
    """The shopper may not complain here; the message is the wrong-code answer."""


class ComplaintError(Exception):
    """A step refused, with an Indonesian message for the person who tried it."""


def _window() -> timedelta:
    return timedelta(days=getattr(settings, "COMPLAINT_WINDOW_DAYS", 7))


def _answer_days() -> int:
    return getattr(settings, "COMPLAINT_ANSWER_DAYS", 3)


def window_started_at(order):
    """When the complaint window started: the last shipping or completion."""
    event = (
        OrderEvent.objects.filter(
            order=order, to_status__in=[OrderStatus.SHIPPED, OrderStatus.COMPLETED]
        )
        .order_by("-created_at")
        .first()
    )
    return event.created_at if event else None


def eligible_lines(*, order, now=None) -> list[OrderLine]:
    """The order's lines a complaint may be opened on now (none when the order
    is not shipped/completed or the window has passed)."""
    if order is None or order.status not in COMPLAINABLE:
        return []
    started = window_started_at(order)
    now = now or timezone.now()
    if started is None or now > started + _window():
        return []
    busy = ComplaintLine.objects.filter(order_line__order=order, open=True).values("order_line_id")
    return list(OrderLine.objects.filter(order=order).exclude(pk__in=busy))


def _event(complaint, *, actor, label, from_status, note=""):
    return ComplaintEvent.objects.create(
        complaint=complaint,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label,
        from_status=from_status,
        to_status=complaint.status,
        note=note,
    )


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


def complaint_open(
    *,
    order,
    line_ids: list[int],
    reason: str,
    description: str,
    remedy: str,
    amount: int | None = None,
    photos=(),
    now=None,
) -> Complaint:
    """A shopper who proved they own `order` complains about some of its lines.

    Raises ComplaintRefused (the wrong-code answer) when the order cannot take a
    complaint now or a line is not the order's or already under complaint, and
    ValidationError for bad fields or photos."""
    now = now or timezone.now()
    line_ids = sorted({int(i) for i in line_ids})
    eligible = {line.pk: line for line in eligible_lines(order=order, now=now)}
    if not line_ids or any(i not in eligible for i in line_ids):
        raise ComplaintRefused(_(NOT_MATCHED))
    if reason not in ComplaintReason.values:
        raise ValidationError(_("Pilih alasan keluhan."))
    if remedy not in {Remedy.REPLACEMENT, Remedy.RETURN_REFUND, Remedy.PARTIAL_REFUND}:
        raise ValidationError(_("Pilih penyelesaian yang diminta."))
    description = (description or "").strip()
    if not description:
        raise ValidationError(_("Jelaskan masalahnya."))
    _check_amount(remedy, amount, order)
    photos = list(photos)
    if len(photos) > MAX_PHOTOS:
        raise ValidationError(_("Paling banyak 3 foto."))
    # Decoded before the transaction: a slow photo holds no lock.
    encoded = []
    for upload in photos:
        try:
            encoded.append(process_image(upload, renditions=False).original)
        except ImageRejected as error:
            raise ValidationError(str(error)) from None
    with transaction.atomic():
        complaint = Complaint.objects.create(
            order=order,
            facility_id=order.facility_id,
            reason=reason,
            description=description[:2000],
            remedy_wanted=remedy,
            amount_wanted=amount if remedy == Remedy.PARTIAL_REFUND else None,
            answer_due_at=add_working_days(now, _answer_days()),
        )
        try:
            with transaction.atomic():
                ComplaintLine.objects.bulk_create(
                    [ComplaintLine(complaint=complaint, order_line_id=i) for i in line_ids]
                )
        except IntegrityError:  # a parallel complaint on the same line
            raise ComplaintRefused(_(NOT_MATCHED)) from None
        for data in encoded:
            photo = ComplaintPhoto(complaint=complaint)
            photo.file.save("photo.jpg", ContentFile(data), save=False)
            photo.save()
        event = _event(complaint, actor=None, label="Pembeli", from_status="")
        _queue_mail("opened", event.pk)
    return complaint


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
        event = _event(complaint, actor=actor, label="UPT", from_status=from_status, note=note)
        _queue_mail("answered", event.pk)
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
        event = _event(complaint, actor=None, label="Pembeli", from_status=from_status)
        _queue_mail("resolved", event.pk)
    return complaint


def complaint_dispute(*, complaint, note: str = "") -> Complaint:
    """The shopper disputes the answer: the Kanwil decides."""
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        from_status = _move(complaint, ComplaintStatus.ESCALATED, states.SHOPPER)
        complaint.escalated_at = timezone.now()
        complaint.save()
        event = _event(
            complaint,
            actor=None,
            label="Pembeli",
            from_status=from_status,
            note=(note or "")[:1000],
        )
        _queue_mail("escalated", event.pk)
    return complaint


def complaint_escalate_overdue(*, now=None) -> int:
    """Escalate every open complaint whose facility did not answer in time.
    Safe to run often and in parallel (each row is locked and rechecked)."""
    now = now or timezone.now()
    done = 0
    due = Complaint.objects.filter(status=ComplaintStatus.OPEN, answer_due_at__lt=now).values_list(
        "pk", flat=True
    )
    for pk in list(due):
        with transaction.atomic():
            complaint = (
                Complaint.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status=ComplaintStatus.OPEN, answer_due_at__lt=now)
                .first()
            )
            if complaint is None:
                continue
            from_status = _move(complaint, ComplaintStatus.ESCALATED, states.SYSTEM)
            complaint.escalated_at = now
            complaint.save()
            event = _event(
                complaint,
                actor=None,
                label="Sistem",
                from_status=from_status,
                note=_("UPT tidak menjawab sampai batas waktu."),
            )
            _queue_mail("escalated", event.pk)
            done += 1
    return done


def may_decide(actor, complaint) -> bool:
    """A Kanwil reviewer of the facility's region, or head office (Scope.may_see);
    never facility staff, so nobody decides a complaint against their own facility."""
    scope = scope_for(actor)
    if scope.is_facility_staff:
        return False
    facility = complaint.facility
    return scope.may_see(facility_id=facility.pk, region_id=facility.region_id)


def complaint_decide(
    *, complaint, actor, remedy: str, amount: int | None = None, note: str = ""
) -> Complaint:
    """The Kanwil decides an escalated complaint (remedy, amount, note); a refund
    goes back through the gateway at once, or is owed by manual transfer."""
    with transaction.atomic():
        complaint = (
            Complaint.objects.select_for_update()
            .select_related("order", "facility")
            .get(pk=complaint.pk)
        )
        if not may_decide(actor, complaint):
            raise ComplaintError(_("Keluhan ini diputuskan oleh Kanwil wilayah UPT-nya."))
        if remedy not in Remedy.values:
            raise ValidationError(_("Pilih putusan."))
        note = (note or "").strip()
        if not note:
            raise ValidationError(_("Catatan putusan wajib diisi."))
        _check_amount(remedy, amount, complaint.order)
        from_status = _move(complaint, ComplaintStatus.DECIDED, states.KANWIL)
        complaint.decision_remedy = remedy
        complaint.decision_amount = amount if remedy == Remedy.PARTIAL_REFUND else None
        complaint.decision_note = note
        complaint.decided_by = actor
        complaint.decided_at = timezone.now()
        _settle(complaint, remedy=remedy, amount=amount, actor=actor)
        complaint.save()
        event = _event(complaint, actor=actor, label="Kanwil", from_status=from_status, note=note)
        _queue_mail("decided", event.pk)
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
