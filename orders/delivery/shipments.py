"""Courier delivery with the aggregator: the shipment row made at placement,
booking the courier once, or the resi staff typed. Options and prices live in
shipment_rates.py, the courier's tracking in shipment_tracking.py.

shipping/ knows couriers and parcels; this module knows orders and facilities.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from orders.delivery import bookings as courier_bookings
from orders.delivery import fees as table
from orders.delivery.models import STATUS_LABELS, CourierBooking, Shipment, status_label
from orders.delivery.rates import (
    CAPITAL_POSTAL_CODES,
    PRICE_CHANGED,
    TABLE_COURIER,
    TABLE_SERVICE,
    aggregator_offered,
    answer_for_group,
    courier_answer,
    option_label,
    origin_postal_code,
    product_estimate,
    table_options,
    verified_option,
)
from orders.delivery.tracking import (
    DELIVERED,
    admin_summary,
    complete_delivered,
    public_tracking_link,
    shipment_for_tracking,
    shipments_to_poll,
    tracking_events_apply,
    tracking_poll,
    tracking_webhook_record,
)
from orders.models import DeliveryMethod, Order, OrderStatus
from orders.services.steps import order_process_and_ship
from shipping import biteship
from shipping.providers import AGGREGATOR, RateOption
from shipping.rates import RateAnswer

# Rates live in shipment_rates.py, tracking in shipment_tracking.py; their
# names stay importable from here (orders.delivery.shipments is the module callers know).
__all__ = [
    "CAPITAL_POSTAL_CODES",
    "DELIVERED",
    "PRICE_CHANGED",
    "STATUS_LABELS",
    "TABLE_COURIER",
    "TABLE_SERVICE",
    "RateAnswer",
    "ShipmentError",
    "admin_summary",
    "aggregator_offered",
    "answer_for_group",
    "can_book",
    "complete_delivered",
    "courier_answer",
    "option_label",
    "origin_postal_code",
    "product_estimate",
    "public_tracking_link",
    "shipment_book",
    "shipment_create_for",
    "shipment_for_tracking",
    "shipment_record_manual",
    "shipments_to_poll",
    "status_label",
    "table",
    "table_options",
    "tracking_events_apply",
    "tracking_poll",
    "tracking_webhook_record",
    "verified_option",
]


def shipment_create_for(*, order: Order, option: RateOption) -> Shipment:
    """Called by order_place inside its transaction for a courier order."""
    return Shipment.objects.create(
        order=order,
        courier_code=option.courier_code,
        courier_name=option.courier_name,
        service_code=option.service_code,
        service_name=option.service_name,
        price=option.price,
        etd_min_days=option.etd_min_days,
        etd_max_days=option.etd_max_days,
        rate_source=option.source,
    )


# --- booking --------------------------------------------------------------------


class ShipmentError(Exception):
    pass


def can_book(order: Order) -> bool:
    return (
        order.delivery_method == DeliveryMethod.COURIER
        and order.status in (OrderStatus.PAID, OrderStatus.PROCESSING)
        and biteship.is_configured()
        and getattr(order, "shipment", None) is not None
        and order.shipment.rate_source == AGGREGATOR
        # Booked already (the resi may still be on its way): nothing to book.
        and order.shipment.status == Shipment.Status.CHOSEN
    )


def shipment_book(*, order: Order, actor) -> Shipment:
    """Books the chosen courier at the aggregator, exactly once; with a resi
    in the answer the order is shipped, without one (normal at Biteship) the
    shipment is booked and the resi ships it when it comes.

    The booking row (our reference) is written under the shipment's row lock
    and committed before the aggregator is called; the call itself runs with
    no lock held (orders/delivery/bookings.py). A second click while the first
    call is out finds the same booking and waits for it. Raises ShipmentError."""
    with transaction.atomic():
        shipment = (
            Shipment.objects.select_for_update()
            .select_related("order__facility")
            .filter(order_id=order.pk)
            .first()
        )
        if shipment is None or shipment.rate_source != AGGREGATOR:
            raise ShipmentError(
                _("Pesanan ini tidak memakai kurir dari agregator; isi resi manual.")
            )
        if shipment.status != Shipment.Status.CHOSEN:
            return shipment
        locked = shipment.order
        if locked.status not in (OrderStatus.PAID, OrderStatus.PROCESSING):
            raise ShipmentError(_("Kurir hanya bisa dipesan untuk pesanan yang sudah dibayar."))
        if not origin_postal_code(locked.facility):
            raise ShipmentError(
                _(
                    "UPT ini belum punya kelurahan/desa asal kiriman; isi di data UPT "
                    "atau isi resi manual."
                )
            )
        booking = courier_bookings.booking_intent(shipment=shipment, order=locked, actor=actor)
    booking = courier_bookings.booking_attempt(booking.pk)
    shipment.refresh_from_db()
    fresh = Order.objects.get(pk=order.pk)
    order.status, order.courier, order.tracking_number = (
        fresh.status,
        fresh.courier,
        fresh.tracking_number,
    )
    if booking.status == CourierBooking.Status.FAILED:
        raise ShipmentError(
            _("Kurir belum bisa dipesan (%(e)s). Coba lagi, atau isi resi manual.")
            % {"e": booking.last_error}
        )
    if booking.status == CourierBooking.Status.REVIEW:
        raise ShipmentError(courier_bookings.booking_note(shipment))
    if booking.status == CourierBooking.Status.REQUESTED and booking.last_error:
        raise ShipmentError(
            _(
                "Agregator belum menjawab (%(e)s). Pemesanan %(ref)s dipastikan otomatis "
                "dalam beberapa menit; jangan pesan kurir lain untuk pesanan ini."
            )
            % {"e": booking.last_error, "ref": booking.reference}
        )
    return shipment


def shipment_record_manual(*, order: Order, actor, courier: str, waybill: str) -> Order:
    """Staff typed the resi themselves (no aggregator, or booked elsewhere)."""
    with transaction.atomic():
        order_process_and_ship(order=order, actor=actor, courier=courier, tracking_number=waybill)
        Shipment.objects.filter(order_id=order.pk, status=Shipment.Status.CHOSEN).update(
            status=Shipment.Status.MANUAL, waybill_id=(waybill or "").strip()[:60]
        )
    return order
