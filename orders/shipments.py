"""Courier delivery with the aggregator: the shipment row made at placement,
booking the courier once, or the resi staff typed. Options and prices live in
shipment_rates.py, the courier's tracking in shipment_tracking.py.

shipping/ knows couriers and parcels; this module knows orders and facilities.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from orders import shipping as table
from orders.models import DeliveryMethod, Order, OrderStatus, Shipment
from orders.shipment_rates import (
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
from orders.shipment_tracking import (
    DELIVERED,
    STATUS_LABELS,
    admin_summary,
    complete_delivered,
    public_tracking_link,
    shipment_for_tracking,
    shipments_to_poll,
    status_label,
    tracking_events_apply,
    tracking_poll,
    tracking_webhook_record,
)
from shipping import biteship
from shipping.providers import AGGREGATOR, Parcel, RateOption, ShippingError
from shipping.rates import RateAnswer

log = logging.getLogger(__name__)

# Rates live in shipment_rates.py, tracking in shipment_tracking.py; their
# names stay importable from here (orders.shipments is the module callers know).
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
    )


def shipment_book(*, order: Order, actor) -> Shipment:
    """Books the chosen courier at the aggregator, once, and marks the order
    shipped with the courier and resi.

    Idempotent: the shipment row (one per order, unique) is locked before the
    aggregator is called, so a second click waits and then finds it booked;
    the order code goes as Biteship's reference_id. Raises ShipmentError."""
    from orders import services

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
        facility = locked.facility
        if not origin_postal_code(facility):
            raise ShipmentError(
                _(
                    "UPT ini belum punya kelurahan/desa asal kiriman; isi di data UPT "
                    "atau isi resi manual."
                )
            )
        try:
            booking = biteship.BiteshipClient().create_order(
                reference_id=locked.code,
                parcel=Parcel(
                    origin_postal_code=origin_postal_code(facility),
                    destination_postal_code=locked.postal_code,
                    weight_grams=locked.total_weight_grams,
                    value=locked.subtotal,
                    name=_("Pesanan %(code)s") % {"code": locked.code},
                ),
                courier_code=shipment.courier_code,
                service_code=shipment.service_code,
                shipper={
                    "name": facility.name[:60],
                    "phone": getattr(facility, "phone", "") or "0000000000",
                    "address": ", ".join(
                        p
                        for p in (
                            getattr(facility, "address", ""),
                            facility.city,
                            facility.province,
                        )
                        if p
                    ),
                },
                destination={
                    "name": locked.contact_name,
                    "phone": locked.contact_phone,
                    "address": locked.address_line,
                },
            )
        except ShippingError as error:
            log.warning("booking %s failed: %s", locked.code, error)
            raise ShipmentError(
                _("Kurir belum bisa dipesan (%(e)s). Coba lagi, atau isi resi manual.")
                % {"e": error}
            ) from None
        shipment.status = Shipment.Status.BOOKED
        shipment.provider_order_id = booking.provider_order_id
        shipment.tracking_id = booking.tracking_id
        shipment.waybill_id = booking.waybill_id
        shipment.tracking_link = booking.tracking_link[:500]
        shipment.courier_status = booking.status
        shipment.booked_at = timezone.now()
        shipment.save()
        courier = f"{shipment.courier_name} {shipment.service_name}".strip()
        try:
            # The order as shipped (its own locked copy): `locked` is not updated.
            shipped = services.order_process_and_ship(
                order=locked, actor=actor, courier=courier, tracking_number=booking.waybill_id
            )
        except services.OrderError as error:
            raise ShipmentError(" ".join(error.messages)) from None
    order.status = shipped.status
    order.courier, order.tracking_number = shipped.courier, shipped.tracking_number
    return shipment


def shipment_record_manual(*, order: Order, actor, courier: str, waybill: str) -> Order:
    """Staff typed the resi themselves (no aggregator, or booked elsewhere)."""
    from orders import services

    with transaction.atomic():
        services.order_process_and_ship(
            order=order, actor=actor, courier=courier, tracking_number=waybill
        )
        Shipment.objects.filter(order_id=order.pk, status=Shipment.Status.CHOSEN).update(
            status=Shipment.Status.MANUAL, waybill_id=(waybill or "").strip()[:60]
        )
    return order
