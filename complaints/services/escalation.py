"""The deadlines (escalation of unanswered complaints, closing of answers the
shopper left alone) and the Kanwil's decision."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import states
from complaints.models import Complaint, ComplaintStatus, Remedy
from complaints.services.common import ComplaintError, _check_amount, _event, _move
from complaints.services.settling import _settle
from complaints.workdays import add_working_days
from facilities.scoping import scope_for

logger = logging.getLogger(__name__)


def _close_days() -> int:
    return getattr(settings, "COMPLAINT_CLOSE_DAYS", 5)


def accept_due_at(complaint):
    """Until when the shopper may accept or dispute an answer; after that the
    deadline sweep closes the complaint as resolved (the answer stands)."""
    if complaint.answered_at is None:
        return None
    return add_working_days(complaint.answered_at, _close_days())


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
            _by_system(
                complaint, from_status, _("UPT tidak menjawab sampai batas waktu."), "escalated"
            )
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
        _event(
            complaint,
            actor=actor,
            label="Kanwil",
            from_status=from_status,
            note=note,
            mail="decided",
        )
    return complaint


def complaint_close_unanswered(*, now=None) -> int:
    """Close as resolved every answered complaint the shopper neither accepted
    nor disputed within COMPLAINT_CLOSE_DAYS working days: the answer stands,
    so a refund it grants is given as on acceptance. Safe to run often and in
    parallel (each row is locked and rechecked); a refund the gateway refuses
    leaves that complaint answered for the next run."""
    now = now or timezone.now()
    # Working days are never fewer than calendar days: a cheap first filter.
    candidates = Complaint.objects.filter(
        status=ComplaintStatus.ANSWERED, answered_at__lt=now - timedelta(days=_close_days())
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(candidates):
        try:
            with transaction.atomic():
                complaint = (
                    Complaint.objects.select_for_update(skip_locked=True)
                    .select_related("order")
                    .filter(pk=pk, status=ComplaintStatus.ANSWERED)
                    .first()
                )
                if complaint is None or accept_due_at(complaint) >= now:
                    continue
                from_status = _move(complaint, ComplaintStatus.RESOLVED, states.SYSTEM)
                _settle(
                    complaint,
                    remedy=complaint.answer_remedy,
                    amount=complaint.answer_amount,
                    actor=None,
                )
                _by_system(
                    complaint,
                    from_status,
                    _("Pembeli tidak menanggapi jawaban sampai batas waktu; jawaban berlaku."),
                    "resolved",
                )
                done += 1
        except ComplaintError:
            logger.warning("complaint %s: refund refused, left answered", pk, exc_info=True)
    return done


def _by_system(complaint, from_status: str, note: str, mail: str) -> None:
    """A deadline's step, saved: the system's event, and its mail on commit."""
    complaint.save()
    _event(complaint, actor=None, label="Sistem", from_status=from_status, note=note, mail=mail)


def complaints_sweep_deadlines(*, now=None) -> tuple[int, int]:
    """The periodic deadline work: (escalated, closed)."""
    now = now or timezone.now()
    return complaint_escalate_overdue(now=now), complaint_close_unanswered(now=now)
