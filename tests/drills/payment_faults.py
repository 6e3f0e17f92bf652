"""Shared pieces of the payment fault drills: the simulator on a live server,
an online checkout through the real checkout view, and the books of one
payment (what the gateway took against what we hold or gave back)."""

from __future__ import annotations

import pytest
from django.db.models import Sum

from gatewaysim.models import SimTransaction
from orders.models import OrderEvent, OrderStatus
from orders.payments.models import GatewayPayment, GatewayRefund, SettlementEntry
from tests.drills.checkout_steps import checkout_form, fill_cart

RECEIVED = {"settlement", "capture", "refund", "partial_refund"}


@pytest.fixture
def simulator(live_server, settings):
    """The shop and the Midtrans simulator on one live server, as in the demo."""
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = settings.MIDTRANS_SIMULATOR_KEY
    settings.MIDTRANS_BASE_URL = live_server.url + "/_simulator/midtrans"
    settings.SITE_URL = live_server.url
    return live_server


def online_checkout_over_http(client, *products, channel="qris"):
    """Cart and checkout through the real views, paid online; the response."""
    fill_cart(client, *products)
    data = checkout_form(client, *(p.facility for p in products))
    data["g-payment"] = channel  # one payment choice: QRIS or a bank's VA
    return client.post("/checkout/", data)


def unaccounted(payment: GatewayPayment) -> int:
    """Rupiah the gateway took for this charge that we neither owe a facility
    nor gave (or hold to give) back. 0 when the books balance."""
    sim = SimTransaction.objects.filter(order_id=payment.gateway_order_id).first()
    received = sim.gross_amount if sim and sim.transaction_status in RECEIVED else 0
    owed = (
        SettlementEntry.objects.filter(payment=payment)
        .exclude(status=SettlementEntry.Status.REFUNDED)
        .aggregate(s=Sum("amount"))["s"]
        or 0
    )
    back = (
        GatewayRefund.objects.filter(payment=payment)
        .exclude(status=GatewayRefund.Status.FAILED)
        .aggregate(s=Sum("amount"))["s"]
        or 0
    )
    return received - owed - back


def paid_events(order) -> int:
    return OrderEvent.objects.filter(order=order, to_status=OrderStatus.PAID).count()
