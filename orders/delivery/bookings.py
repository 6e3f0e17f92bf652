"""Booking the courier at the aggregator exactly once, and cancelling it.

Intent, call, answer (docs/courier-bookings.md):

1. `booking_intent` (inside shipment_book's short transaction, under the
   shipment's row lock) writes a CourierBooking with our own reference; it is
   committed before anything is sent.
2. `booking_attempt` runs with no transaction and no lock. It claims the row
   with one conditional UPDATE (two workers never call for the same booking
   at once), then: a first attempt sends POST /v1/orders; a later one (the
   earlier answer was lost: a timeout, a killed worker) first asks the
   aggregator for an order with our reference and creates only when there is
   none.
3. The aggregator's order id is saved by itself the moment it answers
   (`_answer_record`); then the shipment and the order follow: with a resi the
   order is shipped, without one ("waybill pending", normal at Biteship) the
   shipment is booked and the resi comes later from the `order.waybill_id`
   webhook or from GET /v1/orders/:id (`booking_waybill_record`).

Cancelling an order asks for its booking's cancel in the same transaction
(`booking_cancel_request`); a task sends it after commit
(`booking_cancel_send`), idempotent, its result on the row for staff to see.
`bookings_sweep` (every 5 minutes) finishes whatever was left half done.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from orders.delivery.models import CourierBooking, Shipment
from orders.delivery.rates import origin_postal_code
from orders.hooks import tasks
from orders.models import OrderStatus
from orders.services.common import OrderError
from orders.services.steps import order_process_and_ship
from shipping import biteship
from shipping.providers import Booking, Parcel, ShippingError

log = logging.getLogger(__name__)

B = CourierBooking.Status
C = CourierBooking.Cancel
BOOKABLE = (OrderStatus.PAID, OrderStatus.PROCESSING)
# A service that does not know the reference lookup answers one of these:
# then a person decides, never a second POST /v1/orders.
LOOKUP_UNSUPPORTED = {400, 404, 405, 501}
CANCEL_TRIES = 5


def claim_window() -> timedelta:
    """How long an attempt is left alone before a retry may take it over: well
    past the client's timeout, so a request still in flight has settled."""
    return timedelta(seconds=max(30.0, 3 * float(settings.BITESHIP_TIMEOUT_SECONDS)))


B_LIVE = [str(s) for s in CourierBooking.LIVE]


def live_booking(shipment_id: int) -> CourierBooking | None:
    return CourierBooking.objects.filter(shipment_id=shipment_id, status__in=B_LIVE).first()


def booking_intent(*, shipment: Shipment, order, actor=None) -> CourierBooking:
    """The shipment's live booking, or a new one with our reference (the order
    code; `<code>-2`, ... after a refused or cancelled one). Call inside the
    transaction that holds the shipment's row lock; the row is the intent."""
    existing = live_booking(shipment.pk)
    if existing is not None:
        return existing
    earlier = CourierBooking.objects.filter(shipment_id=shipment.pk).count()
    reference = order.code if not earlier else f"{order.code}-{earlier + 1}"
    return CourierBooking.objects.create(
        shipment=shipment,
        reference=reference,
        booked_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _update(booking: CourierBooking, **fields) -> CourierBooking:
    CourierBooking.objects.filter(pk=booking.pk).update(**fields)
    booking.refresh_from_db()
    return booking


def _order_request(booking: CourierBooking) -> dict:
    shipment = booking.shipment
    order = shipment.order
    facility = order.facility
    return {
        "parcel": Parcel(
            origin_postal_code=origin_postal_code(facility),
            destination_postal_code=order.postal_code,
            weight_grams=order.total_weight_grams,
            value=order.subtotal,
            name=_("Pesanan %(code)s") % {"code": order.code},
        ),
        "courier_code": shipment.courier_code,
        "service_code": shipment.service_code,
        "shipper": {
            "name": facility.name[:60],
            "phone": getattr(facility, "phone", "") or "0000000000",
            "address": ", ".join(
                p for p in (getattr(facility, "address", ""), facility.city, facility.province) if p
            ),
        },
        "destination": {
            "name": order.contact_name,
            "phone": order.contact_phone,
            "address": order.address_line,
        },
    }


def booking_attempt(booking_id: int, *, now=None, lookup_first: bool = True) -> CourierBooking:
    """One try at getting the booking made (see the module docstring). Never
    raises for the aggregator: the outcome is on the row (created, failed:
    refused so nothing was made, review: a person must look, or still
    requested with `last_error`: the sweep tries again after the window).

    `lookup_first=False` is the old behaviour (retry = create again), kept
    only so a drill can show the harm it does."""
    now = now or timezone.now()
    claimed = (
        CourierBooking.objects.filter(pk=booking_id, status=B.REQUESTED)
        .filter(
            Q(attempt_started_at__isnull=True) | Q(attempt_started_at__lte=now - claim_window())
        )
        .update(attempts=F("attempts") + 1, attempt_started_at=now)
    )
    booking = CourierBooking.objects.select_related("shipment__order__facility").get(pk=booking_id)
    if not claimed:
        return booking  # settled, or another worker is calling right now
    client = biteship.BiteshipClient()
    if booking.attempts > 1 and lookup_first:
        try:
            found = client.order_by_reference(booking.reference)
        except ShippingError as error:
            if error.status in LOOKUP_UNSUPPORTED:
                log.warning("booking %s: reference lookup refused: %s", booking.reference, error)
                return _update(booking, status=B.REVIEW, last_error=str(error)[:300])
            return _update(booking, last_error=str(error)[:300])
        if found is not None:
            return _answer_record(booking, found)
    order = booking.shipment.order
    if (
        order.status not in BOOKABLE
        or booking.cancel_state
        or booking.shipment.status != Shipment.Status.CHOSEN
    ):
        # Nothing was made under our reference and nothing is wanted any more.
        return _update(
            booking, status=B.FAILED, last_error=_("Tidak dipesan: pesanan tidak menunggu kurir.")
        )
    try:
        answer = client.create_order(reference_id=booking.reference, **_order_request(booking))
    except ShippingError as error:
        refused = 400 <= error.status < 500 and error.status not in (408, 409, 429)
        log.warning("booking %s: %s", booking.reference, error)
        if refused:  # the aggregator said no: nothing was created
            return _update(booking, status=B.FAILED, last_error=str(error)[:300])
        # Timeout, 5xx, an answer without an id: it may exist. The next
        # attempt (after the window) looks the reference up first.
        return _update(booking, last_error=str(error)[:300])
    return _answer_record(booking, answer)


def _answer_record(booking: CourierBooking, answer: Booking) -> CourierBooking:
    """The aggregator answered with an order: its id first, alone, then the
    shipment and (with a resi) the order."""
    now = timezone.now()
    _update(
        booking,
        status=B.CREATED,
        provider_order_id=answer.provider_order_id[:64],
        answered_at=now,
        last_error="",
    )
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=booking.shipment_id)
        if shipment.status == Shipment.Status.CHOSEN:
            shipment.status = Shipment.Status.BOOKED
            shipment.booked_at = now
        if shipment.status == Shipment.Status.BOOKED:
            # A resi typed by hand meanwhile (MANUAL) is left alone: that
            # parcel may be this very order, found in the dashboard, so a
            # person decides (booking_note says so), never an automatic cancel.
            shipment.provider_order_id = answer.provider_order_id[:64]
            shipment.tracking_id = answer.tracking_id[:64]
            shipment.tracking_link = answer.tracking_link[:500]  # safe_link'ed by the client
            shipment.courier_status = answer.status[:30]
            shipment.save()
        order_status = shipment.order.status
    if answer.waybill_id:
        booking_waybill_record(shipment_id=shipment.pk, waybill=answer.waybill_id)
    if order_status not in (*BOOKABLE, OrderStatus.SHIPPED) or booking.cancel_state:
        # Made (or found) after the order was cancelled: not wanted, so the
        # aggregator's order is cancelled too.
        booking = _update(
            booking,
            cancel_state=C.PENDING,
            cancel_reason=booking.cancel_reason or _("Pesanan sudah dibatalkan."),
        )
        booking_cancel_send(booking.pk)
    booking.refresh_from_db()
    return booking


def booking_mark_not_created(*, booking_id: int) -> bool:
    """Staff looked in the aggregator's dashboard and found no order under the
    reference of a booking in review: it becomes `failed` (nothing made), so
    "Pesan kurir" may book again under a new reference. False when the row
    was not in review."""
    return bool(
        CourierBooking.objects.filter(pk=booking_id, status=B.REVIEW).update(
            status=B.FAILED, last_error=_("Dicek petugas: tidak ada di agregator.")
        )
    )


def booking_waybill_record(*, shipment_id: int, waybill: str) -> bool:
    """The courier's resi for a booked parcel (the answer, the webhook or a
    poll): stored once, and the order shipped in the name of whoever booked.
    Returns True when the order was shipped now."""
    waybill = (waybill or "").strip()[:60]
    if not waybill:
        return False
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().select_related("order").get(pk=shipment_id)
        if not shipment.waybill_id:
            shipment.waybill_id = waybill
            shipment.save(update_fields=["waybill_id"])
        order = shipment.order
        if order.status not in BOOKABLE or shipment.status != Shipment.Status.BOOKED:
            return False
        booking = live_booking(shipment.pk)
        actor = booking.booked_by if booking is not None else None
        if actor is None:
            return False  # no one to ship in the name of: staff see the resi
        try:
            order_process_and_ship(
                order=order,
                actor=actor,
                courier=f"{shipment.courier_name} {shipment.service_name}".strip(),
                tracking_number=shipment.waybill_id,
            )
        except OrderError as error:
            log.warning("order %s not shipped with resi %s: %s", order.code, waybill, error)
            return False
    return True


def booking_cancel_request(*, order, reason: str) -> list[int]:
    """The order is being cancelled: its booking's cancel is wanted (the
    intent, in the caller's transaction) and sent by a task after commit."""
    ids = list(
        CourierBooking.objects.filter(shipment__order_id=order.pk, status__in=B_LIVE)
        .exclude(cancel_state=C.DONE)
        .values_list("pk", flat=True)
    )
    if not ids:
        return []
    CourierBooking.objects.filter(pk__in=ids).update(
        cancel_state=C.PENDING, cancel_reason=(reason or _("Pesanan dibatalkan."))[:300]
    )

    def enqueue():
        for pk in ids:
            tasks.courier_booking_cancel.enqueue(pk)

    transaction.on_commit(enqueue)
    return ids


def booking_cancel_send(booking_id: int, *, now=None) -> CourierBooking:
    """POST /v1/orders/:id/cancel for a booking whose cancel is wanted; once
    done it is never sent again. A refusal is kept (cancel_state failed,
    cancel_error) for staff and retried by the sweep a few times."""
    now = now or timezone.now()
    booking = CourierBooking.objects.get(pk=booking_id)
    if booking.cancel_state not in (C.PENDING, C.FAILED):
        return booking
    if booking.status == B.REQUESTED:
        booking = booking_attempt(booking.pk, now=now)  # finds it, never creates
    if booking.status in (B.FAILED, B.CANCELLED):
        return _update(booking, cancel_state=C.DONE, cancel_error="", cancelled_at=now)
    if booking.status != B.CREATED:
        return booking  # still unknown, or waiting for a person
    booking = _update(booking, cancel_attempts=F("cancel_attempts") + 1)
    client = biteship.BiteshipClient()
    try:
        client.cancel_order(booking.provider_order_id, reason=booking.cancel_reason)
    except ShippingError as error:
        try:  # an earlier cancel whose answer was lost?
            done = client.order(booking.provider_order_id).status == "cancelled"
        except ShippingError:
            done = False
        if not done:
            log.warning("booking %s: cancel refused: %s", booking.reference, error)
            return _update(booking, cancel_state=C.FAILED, cancel_error=str(error)[:300])
    Shipment.objects.filter(pk=booking.shipment_id).update(courier_status="cancelled")
    return _update(
        booking, status=B.CANCELLED, cancel_state=C.DONE, cancel_error="", cancelled_at=now
    )


def bookings_sweep(*, now=None) -> dict:
    """Finishes what was left half done (schedule every 5 minutes): bookings
    still `requested` past the window (the answer lost, the worker killed, or
    never sent), resis still pending (GET /v1/orders/:id), cancels not done."""
    now = now or timezone.now()
    stale = now - claim_window()
    done = {"attempted": 0, "waybills": 0, "cancels": 0}
    requested = CourierBooking.objects.filter(status=B.REQUESTED).filter(
        Q(attempt_started_at__lte=stale) | Q(attempt_started_at__isnull=True, created_at__lte=stale)
    )
    for pk in requested.values_list("pk", flat=True)[:200]:
        booking_attempt(pk, now=now)
        done["attempted"] += 1
    pending = CourierBooking.objects.filter(
        status=B.CREATED, shipment__status=Shipment.Status.BOOKED, shipment__waybill_id=""
    ).exclude(provider_order_id="")
    client = biteship.BiteshipClient()
    for shipment_id, provider_id in pending.values_list("shipment_id", "provider_order_id")[:200]:
        try:
            answer = client.order(provider_id)
        except ShippingError as error:
            log.warning("waybill poll %s: %s", provider_id, error)
            continue
        if answer.waybill_id:
            booking_waybill_record(shipment_id=shipment_id, waybill=answer.waybill_id)
            done["waybills"] += 1
    cancels = CourierBooking.objects.filter(
        cancel_state__in=[C.PENDING, C.FAILED], cancel_attempts__lt=CANCEL_TRIES
    )
    for pk in cancels.values_list("pk", flat=True)[:200]:
        if booking_cancel_send(pk, now=now).cancel_state == C.DONE:
            done["cancels"] += 1
    return done


def booking_note(shipment: Shipment | None) -> str:
    """What staff should know about the parcel's booking (the admin order
    page): waiting for a resi, an unknown outcome, a failed cancel."""
    if shipment is None:
        return ""
    booking = CourierBooking.objects.filter(shipment_id=shipment.pk).first()
    if booking is None:
        return ""
    if booking.cancel_state == C.FAILED:
        return _("Pembatalan kurir di agregator GAGAL (%(e)s): batalkan di dasbor Biteship.") % {
            "e": booking.cancel_error
        }
    if booking.status == B.REVIEW:
        return _(
            "Pemesanan kurir %(ref)s tidak terjawab dan tidak bisa dicek otomatis: periksa di "
            "dasbor Biteship sebelum memesan lagi."
        ) % {"ref": booking.reference}
    if booking.status == B.REQUESTED:
        return _("Pemesanan kurir %(ref)s sedang dipastikan ke agregator.") % {
            "ref": booking.reference
        }
    if booking.status == B.CREATED and shipment.status == Shipment.Status.MANUAL:
        return _(
            "Kurir juga dipesan di agregator (%(ref)s) padahal resi diisi manual: bila paket "
            "tidak memakai pesanan itu, batalkan di dasbor Biteship."
        ) % {"ref": booking.reference}
    if booking.status == B.CREATED and shipment.waybill_pending:
        return _("Kurir dipesan (%(ref)s); nomor resi menunggu dari kurir.") % {
            "ref": booking.reference
        }
    return ""
