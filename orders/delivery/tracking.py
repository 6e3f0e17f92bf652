"""The courier's tracking of a booked parcel: webhook and poll events stored
once, a delivered parcel completing the order, and what the tracking and
admin pages show of it."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from orders.delivery import bookings as courier_bookings
from orders.delivery.models import CourierBooking, Shipment, TrackingEvent
from orders.hooks import tasks
from orders.models import DeliveryMethod, Order, OrderStatus
from orders.services.common import OrderError
from orders.services.steps import order_complete_delivered
from shipping import biteship
from shipping.links import safe_link

DELIVERED = "delivered"


def _moment(raw: str) -> datetime:
    moment = parse_datetime(raw or "") if raw else None
    if moment is None:
        return timezone.now().replace(microsecond=0)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def tracking_events_apply(
    shipment: Shipment, steps: list[tuple[str, str, str]], *, source: str, link: str = ""
) -> int:
    """Stores (status, note, updated_at) steps not seen before; a delivered
    step completes the order (the rule in README). Returns how many were new."""
    created = 0
    for status, note, updated_at in steps:
        if not status:
            continue
        if not updated_at and shipment.events.filter(status=status[:30]).exists():
            continue  # no time given: the same status once is the replay rule
        try:
            with transaction.atomic():
                TrackingEvent.objects.create(
                    shipment=shipment,
                    status=status[:30],
                    note=(note or "")[:300],
                    happened_at=_moment(updated_at),
                    source=source,
                )
        except IntegrityError:
            continue  # a replay, or a poll that saw it already
        created += 1
    latest = steps[-1][0] if steps else ""
    updates = {}
    if latest and latest != shipment.courier_status:
        updates["courier_status"] = latest[:30]
    link = safe_link(link)  # only web links are kept (they are rendered as links)
    if link and not shipment.tracking_link:
        updates["tracking_link"] = link[:500]
    if any(s[0] == DELIVERED for s in steps) and shipment.status != Shipment.Status.DELIVERED:
        updates["status"] = Shipment.Status.DELIVERED
        updates["delivered_at"] = timezone.now()
    if updates:
        Shipment.objects.filter(pk=shipment.pk).update(**updates)
        for name, value in updates.items():
            setattr(shipment, name, value)
    if updates.get("status") == Shipment.Status.DELIVERED:
        after = django_settings.DELIVERED_COMPLETES_AFTER_DAYS
        if after:
            transaction.on_commit(
                lambda: tasks.order_complete_delivered.using(
                    run_after=timezone.now() + timedelta(days=after)
                ).enqueue(shipment.order_id)
            )
        else:
            complete_delivered(shipment.order_id)
    return created


def complete_delivered(order_id: int) -> bool:
    """Delivered parcel -> completed order, when it is still shipped."""
    order = Order.objects.filter(pk=order_id, status=OrderStatus.SHIPPED).first()
    if order is None:
        return False
    try:
        order_complete_delivered(order=order)
    except OrderError:
        return False
    return True


def tracking_webhook_record(payload: dict) -> bool:
    """Applies one verified Biteship webhook (order.status / order.waybill_id).
    A resi that arrives for a booked parcel ships the order. Returns False
    when it is about no shipment of ours."""
    order_id = str(payload.get("order_id") or "")
    tracking_id = str(payload.get("courier_tracking_id") or "")
    waybill = str(payload.get("courier_waybill_id") or "")
    shipment = None
    if order_id:
        shipment = Shipment.objects.filter(provider_order_id=order_id).first()
        if shipment is None:
            # Answered a moment ago: the booking row has the id before the shipment.
            booking = CourierBooking.objects.filter(provider_order_id=order_id).first()
            shipment = booking.shipment if booking is not None else None
    if shipment is None and tracking_id:
        shipment = Shipment.objects.filter(tracking_id=tracking_id).first()
    if shipment is None:
        return False
    if waybill and not shipment.waybill_id:
        courier_bookings.booking_waybill_record(shipment_id=shipment.pk, waybill=waybill)
        shipment.refresh_from_db()
    with transaction.atomic():
        status = str(payload.get("status") or "")
        if payload.get("event", "order.status") == "order.status" and status:
            tracking_events_apply(
                shipment,
                [(status, "", str(payload.get("updated_at") or ""))],
                source="webhook",
                link=safe_link(payload.get("courier_link")),
            )
    return True


def tracking_poll(shipment_id: int) -> int:
    """Asks the aggregator for the whole history (the webhook's fallback)."""
    shipment = Shipment.objects.filter(pk=shipment_id).first()
    if shipment is None or not shipment.tracking_id or shipment.status == Shipment.Status.DELIVERED:
        return 0
    tracking = biteship.BiteshipClient().tracking(shipment.tracking_id)
    with transaction.atomic():
        return tracking_events_apply(
            shipment,
            [(h.status, h.note, h.updated_at) for h in tracking.history],
            source="poll",
            link=tracking.link,
        )


def shipments_to_poll() -> list[int]:
    return list(
        Shipment.objects.filter(
            status=Shipment.Status.BOOKED, order__status=OrderStatus.SHIPPED
        ).values_list("pk", flat=True)[:500]
    )


def shipment_for_tracking(order: Order) -> Shipment | None:
    """The parcel with its events (two queries), or None (one) for other orders."""
    if order.delivery_method != DeliveryMethod.COURIER:
        return None
    return Shipment.objects.filter(order_id=order.pk).prefetch_related("events").first()


def public_tracking_link(shipment: Shipment | None, order: Order) -> str:
    """The courier's own tracking page when the aggregator gave one, else
    Biteship's public tracking page for the resi."""
    if shipment is not None:
        return shipment.safe_tracking_link
    return ""


def admin_summary(order: Order) -> dict:
    """The courier lines of the admin order page: what the shopper chose, and
    the label to print once there is a resi."""
    shipment = getattr(order, "shipment", None) if order.is_delivery else None
    choice = ""
    if shipment is not None:
        choice = _("Pilihan pembeli: %(c)s %(s)s, %(p)s%(etd)s") % {
            "c": shipment.courier_name,
            "s": shipment.service_name,
            "p": f"Rp {shipment.price:,}".replace(",", "."),
            "etd": (" · " + _("estimasi %(d)s hari") % {"d": shipment.etd_text})
            if shipment.etd_text
            else "",
        }
    from django.urls import reverse

    has_resi = order.tracking_number or (shipment is not None and shipment.waybill_id)
    return {
        "courier_choice": choice,
        "courier_booking_note": courier_bookings.booking_note(shipment)
        if shipment is not None
        else "",
        "label_url": reverse("orders:shipping_label", args=[order.pk])
        if has_resi and order.delivery_method == DeliveryMethod.COURIER
        else "",
    }
