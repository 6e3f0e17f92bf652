"""Words of the admin order page that depend on how the order was placed:
the payment line (transfer, pay at pickup, online) and the courier the buyer
chose (to prefill the hand-entered resi form)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from orders.models import Order, OrderStatus, PaymentMethod
from orders.states import RELEASING


def payment_text(order: Order, latest) -> str:
    """The payment line for `order`; `latest`: its newest transfer receipt or None.
    An order paid online never waits for a receipt, so never says it lacks one."""
    if order.payment_method == PaymentMethod.PAY_AT_PICKUP:
        payment = _("Dibayar tunai/QRIS saat barang diambil.")
    elif order.payment_method == PaymentMethod.GATEWAY:
        # Paid through the gateway: there is never a receipt to wait for.
        if order.status == OrderStatus.AWAITING_PAYMENT:
            payment = _("Menunggu pembayaran online; dikonfirmasi otomatis.")
        elif order.status in RELEASING and not order.paid_at:
            payment = _("Tidak dibayar.")
        else:
            payment = _("Lunas dibayar online.")
    elif latest is None:
        payment = _("Belum ada bukti transfer.")
    else:
        payment = _("Bukti transfer: %(status)s") % {"status": latest.get_status_display()}
    return payment


def chosen_courier(order: Order) -> str:
    """The courier the buyer chose at checkout ("J&T EZ"), to prefill the
    hand-entered resi form; else what staff wrote before, else nothing."""
    shipment = getattr(order, "shipment", None) if order.is_delivery else None
    if shipment is not None and shipment.courier_name:
        return f"{shipment.courier_name} {shipment.service_name}".strip()
    return order.courier
