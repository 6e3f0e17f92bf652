"""The shopper opens a complaint from the tracking page: who may, on which
lines, until when, with which photos."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints.models import (
    Complaint,
    ComplaintLine,
    ComplaintPhoto,
    ComplaintReason,
    Remedy,
)
from complaints.services.common import (
    COMPLAINABLE,
    MAX_PHOTOS,
    ComplaintRefused,
    _check_amount,
    _event,
)
from complaints.workdays import add_working_days
from core.images import ImageRejected, process_image
from orders.models import OrderEvent, OrderLine, OrderStatus
from orders.tracking import NOT_MATCHED

# PP 80/2019 art. 53: at least 2 working days to return goods not as described.
LEGAL_MINIMUM_WORKING_DAYS = 2


def _window() -> timedelta:
    return timedelta(days=getattr(settings, "COMPLAINT_WINDOW_DAYS", 7))


def window_ends_at(started):
    """The window's end: COMPLAINT_WINDOW_DAYS calendar days, but never fewer
    than the law's 2 working days (a short setting over Lebaran's holidays)."""
    return max(started + _window(), add_working_days(started, LEGAL_MINIMUM_WORKING_DAYS))


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
    if started is None or now > window_ends_at(started):
        return []
    busy = ComplaintLine.objects.filter(order_line__order=order, open=True).values("order_line_id")
    return list(OrderLine.objects.filter(order=order).exclude(pk__in=busy))


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
        _event(complaint, actor=None, label="Pembeli", from_status="", mail="opened")
    return complaint
