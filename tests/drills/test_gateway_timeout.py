"""Drill (issue 29, finding 2, one of its shapes): the gateway makes the
charge but answers after the client has given up (the simulator's delay
switch longer than MIDTRANS_TIMEOUT_SECONDS).

Before: the timeout was taken for "gateway down": the orders were called off
while the gateway kept charge KB-<checkout>-1 open, payable, for nothing.
Now the intent row exists before the call; the timeout leaves it pending and
unanswered; the gateway is asked for that reference (at once, and by the
retry button and the sweep when that fails too) and its charge is used:
exactly one charge, and the shopper gets its account number.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from gatewaysim.models import SimTransaction
from orders.models import Order, OrderStatus
from orders.payments import services as gateway_services
from orders.payments.midtrans import GatewayError, MidtransClient
from orders.payments.models import GatewayPayment
from tests.drills.payment_faults import online_checkout_over_http, simulator  # noqa: F401
from tests.orders.factories import ProductFactory, shop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def slow_gateway(simulator, settings):  # noqa: F811
    settings.MIDTRANS_SIMULATOR_DELAY_SECONDS = 1.5
    settings.MIDTRANS_TIMEOUT_SECONDS = 0.5
    return simulator


@pytest.fixture
def product(db):
    return ProductFactory(facility=shop(), price=175_000, stock=5)


def test_control_old_flow_calls_off_orders_while_the_charge_stays_open(
    client, slow_gateway, product
):
    """What the old gateway_payment_start did on a timeout: GatewayUnavailable,
    orders called off, no payment row, and the gateway's charge left open."""
    from tests.orders.factories import place

    result = place([(product, 1)], payment="gateway")
    order = result.orders[0]
    with pytest.raises(GatewayError):
        MidtransClient().charge(
            order_id=f"KB-{result.checkout.code}-1",
            gross_amount=order.total,
            channel="bca_va",
            expiry_minutes=60,
            customer={"first_name": "Siti"},
            items=[{"id": order.code, "price": order.total, "quantity": 1, "name": "x"}],
        )
    gateway_services.gateway_checkout_call_off(orders=result.orders)  # the old reaction
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert not GatewayPayment.objects.exists()  # nothing of ours names the charge
    open_at_gateway = SimTransaction.objects.filter(transaction_status="pending").count()
    assert open_at_gateway == 1


def test_timeout_after_the_charge_uses_that_charge(client, slow_gateway, product):
    response = online_checkout_over_http(client, product, channel="bca_va")
    assert response.status_code == 302
    payment = GatewayPayment.objects.get()
    # The answer never came, but the status of its reference did: the VA is here.
    assert payment.charged_at is not None and len(payment.va_number) == 16
    sim = SimTransaction.objects.get()
    assert (sim.order_id, sim.va_number) == (payment.gateway_order_id, payment.va_number)
    assert Order.objects.get().status == OrderStatus.AWAITING_PAYMENT
    page = client.get(response["Location"]).content.decode()
    assert payment.va_number in page


def test_gateway_silent_after_the_timeout_then_retry_and_sweep(
    client, slow_gateway, product, monkeypatch
):
    """The status call fails too: the page says the payment is being prepared
    (never "pay online" with nothing to pay with), the retry button re-uses
    the same intent, and the sweep finishes it: one charge in all."""
    real_status = MidtransClient.status

    def unreachable(self, order_id):
        raise GatewayError("timed out")

    monkeypatch.setattr(MidtransClient, "status", unreachable)
    response = online_checkout_over_http(client, product, channel="bca_va")
    assert response.status_code == 302
    payment = GatewayPayment.objects.get()
    assert payment.is_being_prepared and payment.charged_at is None
    page = client.get(response["Location"]).content.decode()
    assert "sedang disiapkan" in page and "Nomor virtual account" not in page
    assert "Bayar sebelum" not in page

    # Retry while the gateway is still silent: nothing changes, no new charge.
    code = payment.checkout.code
    client.post(f"/pesanan/{code}/bayar-ulang/")
    assert GatewayPayment.objects.count() == 1 and SimTransaction.objects.count() == 1

    monkeypatch.setattr(MidtransClient, "status", real_status)
    summary = gateway_services.payments_reconcile(now=timezone.now() + timedelta(minutes=3))
    assert summary.payments_checked == 1
    payment.refresh_from_db()
    assert payment.is_payable and len(payment.va_number) == 16
    assert SimTransaction.objects.count() == 1  # exactly one charge
    assert payment.va_number in client.get(f"/pesanan/{code}/selesai/").content.decode()


def test_retry_button_charges_an_intent_the_gateway_never_saw(client, simulator, product):  # noqa: F811
    """A worker killed before the call: the intent exists, the gateway has no
    such reference (404). The tracking page offers the retry, which charges
    that same reference."""
    from tests.orders.factories import place

    result = place([(product, 1)], payment="gateway")
    payment = gateway_services.gateway_payment_intend(checkout=result.checkout, channel="qris")
    order = result.orders[0]
    from orders.tracking import TRACKED_KEY

    session = client.session
    session[TRACKED_KEY] = [order.code]
    session.save()
    page = client.get(f"/lacak/{order.code}/").content.decode()
    assert "sedang disiapkan" in page
    client.post(f"/lacak/{order.code}/bayar-ulang/")
    payment.refresh_from_db()
    assert payment.is_payable and payment.qr_string
    assert list(SimTransaction.objects.values_list("order_id", flat=True)) == [
        payment.gateway_order_id
    ]
    page = client.get(f"/lacak/{order.code}/").content.decode()
    assert f"/lacak/{order.code}/qris.svg" in page
    assert client.get(f"/lacak/{order.code}/qris.svg").status_code == 200
