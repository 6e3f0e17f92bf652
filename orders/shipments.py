"""Courier delivery with the aggregator: options for a facility's parcel (the
aggregator's, else the facility's own rate table), the chosen service checked
again at placement, booking the courier once, and the courier's tracking.

shipping/ knows couriers and parcels; this module knows orders and facilities.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings as django_settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from orders import shipping as table
from orders.models import DeliveryMethod, Order, OrderStatus, Shipment, TrackingEvent
from shipping import biteship
from shipping.providers import AGGREGATOR, TABLE, Parcel, RateOption, ShippingError
from shipping.rates import RateAnswer, courier_options

log = logging.getLogger(__name__)

# The product page prices "Ongkir ke <province>" before any address is known:
# to the province capital's main postal code, keyed by Kemendagri code. The
# checkout and the booking never use it: they price from the facility's
# origin village to the village the shopper picked.
CAPITAL_POSTAL_CODES = {
    "11": "23111", "12": "20111", "13": "25111", "14": "28111", "21": "29111",
    "15": "36111", "17": "38211", "16": "30111", "19": "33111", "18": "35111",
    "36": "42111", "31": "10110", "32": "40111", "33": "50111", "34": "55111",
    "35": "60111", "51": "80111", "52": "83111", "53": "85111", "61": "78111",
    "62": "73111", "63": "70111", "64": "75111", "65": "77211", "71": "95111",
    "75": "96111", "72": "94111", "76": "91511", "73": "90111", "74": "93111",
    "81": "97111", "82": "97711", "91": "99111", "92": "98311", "96": "98411",
    "94": "98811", "95": "99511", "93": "99611",
}  # fmt: skip

TABLE_COURIER = "upt"
TABLE_SERVICE = "tabel"
DELIVERED = "delivered"
PRICE_CHANGED = _(
    "Ongkir %(courier)s untuk %(facility)s berubah atau tidak tersedia lagi. "
    "Periksa pilihan kurir lalu kirim ulang."
)


def origin_postal_code(facility) -> str:
    """The postal code of the facility's origin village (facility_origin_set
    copies it onto the row, so no query); "" when no origin is set, and then
    only the facility's rate table prices its parcels."""
    own = facility.origin_postal_code or ""
    return own if _postal_ok(own) else ""


def _postal_ok(code: str) -> bool:
    return len(code or "") == 5 and code.isdigit()


def table_options(delivery_settings, rates, *, province: str, weight_grams: int) -> list:
    """The facility's own rate table as one option (no estimate it can promise);
    `province` is the destination's Kemendagri code."""
    if not table.is_province_code(province):
        return []
    fee = table.courier_fee(delivery_settings, rates, province, weight_grams).fee
    return [
        RateOption(
            courier_code=TABLE_COURIER,
            courier_name=_("Kurir pilihan UPT"),
            service_code=TABLE_SERVICE,
            service_name=_("Tarif UPT"),
            price=fee,
            etd_min_days=0,
            etd_max_days=0,
            source=TABLE,
        )
    ]


def courier_answer(
    facility,
    delivery_settings,
    rates,
    *,
    province: str,
    postal_code: str,
    weight_grams: int,
    value: int,
) -> RateAnswer:
    origin = origin_postal_code(facility)
    parcel = (
        Parcel(
            origin_postal_code=origin,
            destination_postal_code=postal_code,
            weight_grams=weight_grams,
            value=value,
            name=facility.name,
        )
        if _postal_ok(origin) and _postal_ok(postal_code)
        else None
    )
    return courier_options(
        parcel,
        fallback=lambda: table_options(
            delivery_settings, rates, province=province, weight_grams=weight_grams
        ),
    )


def option_label(option: RateOption) -> str:
    from core.money import format_rupiah

    label = f"{option.courier_name} {option.service_name} — {format_rupiah(option.price)}"
    if option.etd_text:
        label += " · " + _("estimasi %(days)s hari") % {"days": option.etd_text}
    return label


def verified_option(answer: RateAnswer, posted_key: str, *, facility_name: str) -> RateOption:
    """The option the shopper posted, if it matches a fresh or cached rate at
    the very price they saw. Raises ValueError with the message otherwise."""
    from shipping.providers import parse_option_key

    parsed = parse_option_key(posted_key)
    if parsed is None:
        if answer.source == TABLE and len(answer.options) == 1 and not posted_key:
            return answer.options[0]  # the table's single fee: nothing to choose
        raise ValueError(_("Pilih layanan kurir untuk %(f)s.") % {"f": facility_name})
    courier, service, price = parsed
    option = answer.find(courier, service)
    if option is None or option.price != price:
        raise ValueError(PRICE_CHANGED % {"courier": courier.upper(), "facility": facility_name})
    return option


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
            services.order_process_and_ship(
                order=locked, actor=actor, courier=courier, tracking_number=booking.waybill_id
            )
        except services.OrderError as error:
            raise ShipmentError(" ".join(error.messages)) from None
    order.status = locked.status
    order.courier, order.tracking_number = locked.courier, locked.tracking_number
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


# --- tracking -------------------------------------------------------------------


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
            from orders import tasks

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
    from orders import services

    order = Order.objects.filter(pk=order_id, status=OrderStatus.SHIPPED).first()
    if order is None:
        return False
    try:
        services.order_complete_delivered(order=order)
    except services.OrderError:
        return False
    return True


def tracking_webhook_record(payload: dict) -> bool:
    """Applies one verified Biteship webhook (order.status / order.waybill_id).
    Returns False when it is about no shipment of ours."""
    order_id = str(payload.get("order_id") or "")
    tracking_id = str(payload.get("courier_tracking_id") or "")
    waybill = str(payload.get("courier_waybill_id") or "")
    shipment = None
    if order_id:
        shipment = Shipment.objects.filter(provider_order_id=order_id).first()
    if shipment is None and tracking_id:
        shipment = Shipment.objects.filter(tracking_id=tracking_id).first()
    if shipment is None:
        return False
    with transaction.atomic():
        if waybill and not shipment.waybill_id:
            Shipment.objects.filter(pk=shipment.pk).update(waybill_id=waybill[:60])
        status = str(payload.get("status") or "")
        if payload.get("event", "order.status") == "order.status" and status:
            tracking_events_apply(
                shipment,
                [(status, "", str(payload.get("updated_at") or ""))],
                source="webhook",
                link=str(payload.get("courier_link") or ""),
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


STATUS_LABELS = {
    "confirmed": _("Pesanan kurir dibuat"),
    "allocated": _("Kurir ditugaskan"),
    "picking_up": _("Kurir menuju UPT"),
    "picked": _("Paket dijemput kurir"),
    "dropping_off": _("Dalam perjalanan ke alamat Anda"),
    "delivered": _("Paket diterima"),
    "return_in_transit": _("Paket dalam perjalanan kembali"),
    "returned": _("Paket dikembalikan"),
    "rejected": _("Paket ditolak"),
    "cancelled": _("Pengiriman dibatalkan"),
    "on_hold": _("Pengiriman tertahan"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def aggregator_offered() -> bool:
    return biteship.is_configured()


def answer_for_group(group, delivery_settings, rates, destination) -> RateAnswer | None:
    """The courier options for one cart group at checkout, to `destination`
    (province code, postal code) as picked so far; None when the group
    cannot go by courier."""
    if DeliveryMethod.COURIER not in table.enabled_methods(delivery_settings):
        return None
    if group.local_only_names:
        return None
    province, postal_code = destination
    return courier_answer(
        group.facility,
        delivery_settings,
        rates,
        province=province,
        postal_code=postal_code,
        weight_grams=group.weight_grams,
        value=group.subtotal,
    )


def shipment_for_tracking(order: Order) -> Shipment | None:
    """The parcel with its events (two queries), or None (one) for other orders."""
    if order.delivery_method != DeliveryMethod.COURIER:
        return None
    return Shipment.objects.filter(order_id=order.pk).prefetch_related("events").first()


def public_tracking_link(shipment: Shipment | None, order: Order) -> str:
    """The courier's own tracking page when the aggregator gave one, else
    Biteship's public tracking page for the resi."""
    if shipment is not None and shipment.tracking_link:
        return shipment.tracking_link
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
        "label_url": reverse("orders:shipping_label", args=[order.pk])
        if has_resi and order.delivery_method == DeliveryMethod.COURIER
        else "",
    }


def product_estimate(product, *, province: str, delivery_settings, rates, postal_code: str = ""):
    """The cheapest courier option for one piece of `product` to the province
    with code `province` (the product page's "mulai Rp ..."): to
    `postal_code` when the shopper's village is remembered, else to the
    province capital. Says whose rates it is."""
    if DeliveryMethod.COURIER not in table.enabled_methods(delivery_settings):
        return None
    answer = courier_answer(
        product.facility,
        delivery_settings,
        rates,
        province=province,
        postal_code=postal_code or CAPITAL_POSTAL_CODES.get(province, ""),
        weight_grams=product.weight_grams,
        value=product.price,
    )
    if not answer.options:
        return None
    cheapest = min(answer.options, key=lambda o: o.price)
    return {"option": cheapest, "from_aggregator": answer.from_aggregator}
