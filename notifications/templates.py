"""The utility templates registered in WhatsApp Manager (language "id"), one per
order step, and the body parameters each takes. The README lists the bodies to
register; the parameter order here must match the {{n}} placeholders there."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from core.money import format_rupiah
from notifications.models import EventKind
from orders.models import Order, OrderEvent, OrderStatus

TEMPLATES: dict[str, str] = {
    EventKind.PLACED: "kb_pesanan_dibuat",
    EventKind.PAID: "kb_pembayaran_diterima",
    EventKind.SHIPPED: "kb_pesanan_dikirim",
    EventKind.READY_FOR_PICKUP: "kb_pesanan_siap_diambil",
    EventKind.COMPLETED: "kb_pesanan_selesai",
}

# The bodies, for the README and the simulator's log; {{n}} as WhatsApp Manager writes them.
BODIES: dict[str, str] = {
    "kb_pesanan_dibuat": (
        "Halo {{1}}, pesanan {{2}} di {{3}} sudah kami terima. Total {{4}}. "
        "Lacak pesanan Anda: {{5}}"
    ),
    "kb_pembayaran_diterima": (
        "Halo {{1}}, pembayaran pesanan {{2}} sudah diterima. {{3}} akan segera "
        "memprosesnya. Lacak pesanan Anda: {{4}}"
    ),
    "kb_pesanan_dikirim": (
        "Halo {{1}}, pesanan {{2}} sudah dikirim lewat {{3}} dengan nomor resi {{4}}. "
        "Lacak pesanan Anda: {{5}}"
    ),
    "kb_pesanan_siap_diambil": (
        "Halo {{1}}, pesanan {{2}} sudah siap diambil di showroom {{3}}. Detail pesanan: {{4}}"
    ),
    "kb_pesanan_selesai": (
        "Halo {{1}}, pesanan {{2}} sudah selesai. Terima kasih telah membeli karya "
        "warga binaan {{3}}."
    ),
}


def event_kind_for(event: OrderEvent) -> str | None:
    """The step an order event announces, or None for steps no one is told about."""
    if not event.from_status:
        return EventKind.PLACED
    return {
        OrderStatus.PAID: EventKind.PAID,
        OrderStatus.SHIPPED: EventKind.SHIPPED,
        OrderStatus.READY_FOR_PICKUP: EventKind.READY_FOR_PICKUP,
        OrderStatus.COMPLETED: EventKind.COMPLETED,
    }.get(event.to_status)


def tracking_url(order: Order) -> str:
    return settings.SITE_URL + reverse("orders:track_detail", args=[order.code])


def params_for(kind: str, order: Order) -> list[str]:
    name, code, facility = order.contact_name, order.code, order.facility.name
    link = tracking_url(order)
    if kind == EventKind.PLACED:
        return [name, code, facility, format_rupiah(order.total), link]
    if kind == EventKind.PAID:
        return [name, code, facility, link]
    if kind == EventKind.SHIPPED:
        return [name, code, order.courier or "-", order.tracking_number or "-", link]
    if kind == EventKind.READY_FOR_PICKUP:
        return [name, code, facility, link]
    return [name, code, facility]
