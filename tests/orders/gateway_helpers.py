"""Online-payment helpers for the gateway tests: checkouts paid online and the
gateway's signed notifications, built exactly as Midtrans (and gatewaysim) sends them."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from orders.models import PaymentMethod
from orders.payments.midtrans import amount_string, signature_for
from orders.payments.models import GatewayPayment
from tests.orders.factories import place


def online_checkout(items, **kwargs):
    """Place a checkout paid online and record its charge as the gateway made it
    (no HTTP: for tests of what happens after the charge)."""
    result = place(items, payment=PaymentMethod.GATEWAY, **kwargs)
    payment = GatewayPayment.objects.create(
        checkout=result.checkout,
        gateway_order_id=f"KB-{result.checkout.code}-1",
        channel="qris",
        amount=sum(o.total for o in result.orders),
        transaction_id="tx-" + result.checkout.code,
        qr_string="00020101021226QRIS-UJI",
        expires_at=result.orders[0].payment_deadline,
        charged_at=timezone.now(),
    )
    return result, payment


STATUS_CODES = {"settlement": "200", "capture": "200", "pending": "201"}


def notification(payment, status="settlement", *, amount=None, key=None, **extra) -> dict:
    body = {
        "transaction_time": "2026-11-28 10:00:00",
        "transaction_status": status,
        "transaction_id": payment.transaction_id,
        "status_message": "midtrans payment notification",
        "status_code": STATUS_CODES.get(status, "202"),
        "payment_type": "qris",
        "order_id": payment.gateway_order_id,
        "merchant_id": "G000UJI",
        "gross_amount": amount_string(payment.amount if amount is None else amount),
        "fraud_status": "accept",
        "currency": "IDR",
        **extra,
    }
    body["signature_key"] = signature_for(
        body["order_id"],
        body["status_code"],
        body["gross_amount"],
        key or settings.MIDTRANS_SERVER_KEY,
    )
    return body
