"""What a shipping label shows: courier, resi (also as a Code128 barcode) and
the order code as a QR code. One builder for the single A6 label
(orders.delivery.views) and the A4 sheet of four (orders.documents.admin_printing)."""

from __future__ import annotations

from core.barcodes import code128_svg, qr_svg
from orders.models import Order


def label_resi(order: Order) -> str:
    shipment = getattr(order, "shipment", None)
    return (shipment.waybill_id if shipment else "") or order.tracking_number


def label_for(order: Order) -> dict:
    """The label of `order` (with its facility, shipment and lines loaded)."""
    shipment = getattr(order, "shipment", None)
    resi = label_resi(order)
    courier = (
        f"{shipment.courier_name} {shipment.service_name}".strip()
        if shipment and shipment.courier_name
        else order.courier
    )
    return {
        "order": order,
        "courier": courier,
        "resi": resi,
        "resi_barcode": code128_svg(resi),
        "order_qr": qr_svg(order.code),
    }
