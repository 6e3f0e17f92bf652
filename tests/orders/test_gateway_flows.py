"""Online payment end to end over real HTTP: the shop's Midtrans client talks to
the local simulator (gatewaysim) served by a live server, the simulator sends
its signed notification back over HTTP, and the work runs as a task.

Also the races, with real threads and connections (transaction=True): ten
identical notifications at once, paired with the control that shows what the
unique event key prevents; and the deadline's expiry racing the payment.
"""

from __future__ import annotations

import socket

import pytest
from django.core.management import call_command
from django.test import Client

from catalog.models import Product
from core.money import format_rupiah
from gatewaysim.models import SimTransaction
from orders import services
from orders.models import Order, OrderEvent, OrderStatus
from orders.payments import services as gateway_services
from orders.payments.models import (
    GatewayNotification,
    GatewayPayment,
    GatewayRefund,
    SettlementEntry,
)
from tests.drills.checkout_steps import checkout_form, fill_cart
from tests.factories import facility_staff
from tests.orders.concurrency_helpers import run_together
from tests.orders.factories import ProductFactory, shop
from tests.orders.gateway_helpers import notification, online_checkout

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def simulator(live_server, settings):
    """The shop and the simulator on one live server, as in the demo."""
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = settings.MIDTRANS_SIMULATOR_KEY
    settings.MIDTRANS_BASE_URL = live_server.url + "/_simulator/midtrans"
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def two_shops():
    return (
        ProductFactory(facility=shop(), price=175_000, stock=5),
        ProductFactory(facility=shop(), price=350_000, stock=3),
    )


def online_form(client, *facilities, channel="qris"):
    data = checkout_form(client, *facilities)
    data["g-payment"] = channel  # one payment choice: QRIS or a bank's VA
    return data


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def test_two_facilities_one_qris_paid_by_the_simulator(client, simulator, two_shops, mailoutbox):
    mukena, miniature = two_shops
    fill_cart(client, mukena, miniature)
    placed = client.post("/checkout/", online_form(client, mukena.facility, miniature.facility))
    assert placed.status_code == 302, placed.content.decode()[:2000]
    orders = list(Order.objects.order_by("pk"))
    payment = GatewayPayment.objects.get()
    # One charge at the gateway, for the grand total of both facilities' orders.
    sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
    assert sim.gross_amount == payment.amount == sum(o.total for o in orders)
    assert sim.payment_type == "qris" and payment.qr_string
    assert client.get("/keranjang/").context["snapshot"].is_empty

    page = client.get(placed.url)
    html = page.content.decode()
    assert "Bayar sekarang" in html and "qris.svg" in html
    # First on the page: the amount before any order's details.
    assert html.index(format_rupiah(payment.amount)) < html.index("order-code")
    assert "Satu pembayaran untuk 2 pesanan" in html and "Simpan QR" in html
    qr = client.get(f"/pesanan/{payment.checkout.code}/qris.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    saved = client.get(f"/pesanan/{payment.checkout.code}/qris.png")
    assert saved.status_code == 200 and saved.content.startswith(b"\x89PNG")
    assert saved["Content-Disposition"].startswith("attachment;")
    assert Client().get(f"/pesanan/{payment.checkout.code}/qris.png").status_code == 404
    status = client.get(f"/pesanan/{payment.checkout.code}/status-bayar/").json()
    assert status == {"status": "pending", "label": "Menunggu pembayaran", "final": False}
    # The facilities hear of their orders only once the charge exists.
    assert len([m for m in mailoutbox if "Pesanan baru" in m.subject]) == 2

    call_command("simulate_payment", payment.checkout.code)

    for order in orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
    assert SettlementEntry.objects.count() == 2
    status = client.get(f"/pesanan/{payment.checkout.code}/status-bayar/").json()
    assert status["status"] == "paid" and status["final"]
    assert "Dibayar — pembayaran berhasil" in client.get(placed.url).content.decode()
    # Someone else's browser learns nothing.
    stranger = Client()
    assert stranger.get(f"/pesanan/{payment.checkout.code}/status-bayar/").status_code == 404
    assert stranger.get(f"/pesanan/{payment.checkout.code}/qris.svg").status_code == 404


def test_virtual_account_refund_is_held_for_a_manual_transfer(client, simulator, two_shops):
    """Midtrans cannot refund a virtual account (its refund API takes cards,
    e-wallets and QRIS only): the refund is never sent, it waits for staff,
    who transfer it and record the shopper's account and the reference."""
    mukena, _ = two_shops
    fill_cart(client, mukena)
    client.post("/checkout/", online_form(client, mukena.facility, channel="bca_va"))
    payment = GatewayPayment.objects.get()
    assert payment.channel == "bca_va" and len(payment.va_number) == 16
    html = client.get(f"/pesanan/{payment.checkout.code}/selesai/").content.decode()
    assert payment.va_number in html
    # A copy button for the number, BCA's own steps, words for one order.
    assert f'data-copy="{payment.va_number}"' in html
    assert "m-Transfer &gt; BCA Virtual Account" in html and "ATM BCA" in html
    assert "Untuk pesanan di bawah ini." in html and "pesanan lain" not in html
    call_command("simulate_payment", payment.gateway_order_id)
    order = Order.objects.get()
    assert order.status == OrderStatus.PAID

    services.order_cancel(order=order, actor=facility_staff(order.facility), reason="Rusak")

    refund = GatewayRefund.objects.get()
    assert refund.status == GatewayRefund.Status.MANUAL and refund.amount == order.total
    sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
    assert sim.transaction_status == "settlement" and sim.refunded_amount == 0
    assert SettlementEntry.objects.get().status == SettlementEntry.Status.REFUNDED
    assert stock(mukena) == 5

    # The simulator refuses a VA refund the way Midtrans does.
    from orders.payments.midtrans import GatewayError, MidtransClient

    with pytest.raises(GatewayError) as refused:
        MidtransClient().refund(
            payment.gateway_order_id, refund_key="x", amount=order.total, reason="uji"
        )
    assert refused.value.status_code == "412"

    staff = facility_staff(order.facility)
    gateway_services.gateway_refund_manual_done(
        refund=refund, actor=staff, bank_account="BCA 1234567890 a.n. Siti", reference="TRF-77"
    )
    refund.refresh_from_db()
    assert refund.status == GatewayRefund.Status.DONE
    assert (refund.transfer_reference, refund.done_by) == ("TRF-77", staff)
    with pytest.raises(services.OrderError):  # once only
        gateway_services.gateway_refund_manual_done(
            refund=refund, actor=staff, bank_account="x", reference="y"
        )


def test_control_the_simulator_refunds_qris_through_the_api(client, simulator, two_shops):
    """The other half of the rule: QRIS money goes back through the gateway."""
    mukena, _ = two_shops
    fill_cart(client, mukena)
    client.post("/checkout/", online_form(client, mukena.facility))
    payment = GatewayPayment.objects.get()
    call_command("simulate_payment", payment.gateway_order_id)
    order = Order.objects.get()
    services.order_cancel(order=order, actor=facility_staff(order.facility), reason="Rusak")
    refund = GatewayRefund.objects.get()
    assert refund.status == GatewayRefund.Status.DONE
    sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
    assert sim.transaction_status == "refund" and sim.refunded_amount == order.total


def test_cancelling_every_order_closes_the_charge_at_the_gateway(client, simulator, two_shops):
    import time

    from django.core.management.base import CommandError

    mukena, _ = two_shops
    fill_cart(client, mukena)
    client.post("/checkout/", online_form(client, mukena.facility))
    order = Order.objects.get()
    payment = GatewayPayment.objects.get()

    services.order_cancel(order=order, reason="Tidak jadi", by_shopper=True)

    sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
    assert sim.transaction_status == "expire"
    with pytest.raises(CommandError, match="not payable"):
        call_command("simulate_payment", payment.checkout.code)
    # The gateway's own "expire" notification arrives and closes our record too.
    for _ in range(50):
        payment.refresh_from_db()
        if payment.status != GatewayPayment.Status.PENDING:
            break
        time.sleep(0.1)
    assert payment.status == GatewayPayment.Status.FAILED
    assert stock(mukena) == 5


def test_gateway_down_at_checkout_keeps_the_cart_and_offers_bank_transfer(
    client, settings, two_shops, mailoutbox
):
    with socket.socket() as s:  # a port nobody listens on: connection refused
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = settings.MIDTRANS_SIMULATOR_KEY
    settings.MIDTRANS_BASE_URL = f"http://127.0.0.1:{dead}"
    mukena, miniature = two_shops
    fill_cart(client, mukena, miniature)
    data = online_form(client, mukena.facility, miniature.facility)
    response = client.post("/checkout/", data)

    assert response.status_code == 503
    assert "Pembayaran online sedang tidak bisa dibuat" in response.content.decode()
    # The intent was written before the call; the refused connection closed it.
    assert list(GatewayPayment.objects.values_list("status", "charged_at")) == [("failed", None)]
    assert set(Order.objects.values_list("status", flat=True)) == {"cancelled"}
    assert (stock(mukena), stock(miniature)) == (5, 3)  # given back
    assert not mailoutbox  # nobody heard of orders that never were
    cart = client.get("/keranjang/").context["snapshot"]
    assert len(cart.lines) == 2  # intact

    # Same page, bank transfer this time: a new checkout (new key) goes through.
    again = response.context["form"]
    assert again.idempotency_key != data["idempotency_key"]
    data.update(idempotency_key=again.idempotency_key)
    data["g-payment"] = "bank_transfer"
    placed = client.post("/checkout/", data)
    assert placed.status_code == 302
    assert Order.objects.filter(status="awaiting_payment").count() == 2


def test_without_credentials_and_debug_off_the_gateway_is_not_offered(client, settings, two_shops):
    settings.MIDTRANS_SIMULATOR = False
    settings.MIDTRANS_SERVER_KEY = ""
    mukena, _ = two_shops
    fill_cart(client, mukena)
    form = client.get("/checkout/").context["form"]
    choices = dict(form.payment.fields["payment"].choices)
    assert "qris" not in choices and "bank_transfer" in choices
    assert not form.payment.offers_gateway
    data = checkout_form(client, mukena.facility)
    data["g-payment"] = "qris"
    assert client.post("/checkout/", data).status_code == 400
    assert not Order.objects.exists()
    # The simulator's API is not there either.
    assert client.post("/_simulator/midtrans/v2/charge", {}).status_code == 404


# --- races ----------------------------------------------------------------------


@pytest.fixture
def signed(settings):
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-UJI-KEY"


def test_ten_identical_notifications_at_once_are_one_confirmation(signed, two_shops):
    result, payment = online_checkout([(two_shops[0], 1), (two_shops[1], 1)])
    body = notification(payment)
    outcomes = run_together(
        [lambda: gateway_services.gateway_notification_receive(payload=dict(body))] * 10
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sum(1 for _, new in outcomes if new) == 1
    assert GatewayNotification.objects.count() == 1
    for order in result.orders:
        assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1
    assert SettlementEntry.objects.count() == 2


def test_control_without_the_event_key_ten_notifications_are_ten_rows_and_ten_runs(
    signed, two_shops
):
    """The control: with deduplication off, every copy is stored and its work
    queued and run; the unique event key is what made it one above."""
    result, payment = online_checkout([(two_shops[0], 1)])
    body = notification(payment)
    outcomes = run_together(
        [lambda: gateway_services.gateway_notification_receive(payload=dict(body), dedupe=False)]
        * 10
    )
    assert all(new for _, new in outcomes), outcomes
    assert GatewayNotification.objects.count() == 10
    processed = GatewayNotification.objects.exclude(processed_at=None)
    assert processed.count() == 10
    # The payment-row lock still lets only one of them confirm; nine are no-ops.
    assert processed.filter(outcome__startswith="paid").count() == 1
    assert processed.filter(outcome__startswith="ignored: already paid").count() == 9


def _race_expiry_and_payment(product, *, lock_orders: bool, settings):
    """One round: the order is past its deadline; the cron's expiry and the
    processing of the gateway's settlement run at the same moment."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    result, payment = online_checkout([(product, 2)])
    order = result.orders[0]
    Order.objects.filter(pk=order.pk).update(payment_deadline="2020-01-01T00:00:00Z")
    note, _ = gateway_services.gateway_notification_receive(payload=notification(payment))
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    outcomes = run_together(
        [
            lambda: services.order_expire_due(),
            lambda: gateway_services.gateway_notification_process(
                notification_id=note.pk, lock_orders=lock_orders
            ),
        ]
    )
    order.refresh_from_db()
    refunds = GatewayRefund.objects.filter(order=order).count()
    settled = SettlementEntry.objects.filter(order=order).count()
    return order, refunds, settled, outcomes


def test_control_without_order_locks_a_payment_racing_expiry_can_be_lost(signed, settings):
    """The control: processing that reads the orders without locking them can
    decide "confirm" for an order the expiry is closing; the confirmation is
    then refused and the money is neither booked nor refunded."""
    product = ProductFactory(facility=shop(), price=100_000, stock=1000)
    lost = 0
    for _ in range(40):
        order, refunds, settled, outcomes = _race_expiry_and_payment(
            product, lock_orders=False, settings=settings
        )
        if order.status == OrderStatus.EXPIRED and refunds == 0 and settled == 0:
            assert isinstance(outcomes[1], services.OrderError)
            lost += 1
            break
    assert lost, "the race never showed in 40 rounds"


def test_expiry_racing_the_payment_ends_one_way_only(signed):
    """The deadline's expiry and the gateway's settlement arrive together,
    twelve times: each order ends either paid (stock sold, owed to the
    facility) or expired with its stock back once and the money refunded."""
    product = ProductFactory(facility=shop(), price=100_000, stock=100)
    ends = []
    import orders.payments.midtrans as midtrans

    original = midtrans.MidtransClient.refund
    midtrans.MidtransClient.refund = lambda self, order_id, **kw: {"status_code": "200"}
    try:
        for _ in range(12):
            result, payment = online_checkout([(product, 2)])
            order = result.orders[0]
            Order.objects.filter(pk=order.pk).update(payment_deadline="2020-01-01T00:00:00Z")
            body = notification(payment)
            run_together(
                [
                    lambda: services.order_expire_due(),
                    lambda body=body: gateway_services.gateway_notification_receive(payload=body),
                ]
            )
            order.refresh_from_db()
            refunds = GatewayRefund.objects.filter(order=order).count()
            settled = SettlementEntry.objects.filter(order=order).count()
            if order.status == OrderStatus.PAID:
                assert (order.stock_released, refunds, settled) == (False, 0, 1)
            else:
                assert order.status == OrderStatus.EXPIRED
                assert (order.stock_released, refunds, settled) == (True, 1, 0)
            ends.append(order.status)
    finally:
        midtrans.MidtransClient.refund = original
    sold = sum(2 for status in ends if status == OrderStatus.PAID)
    assert stock(product) == 100 - sold


def test_gopay_on_a_phone_opens_the_app_from_the_payment_page(client, simulator, two_shops):
    """A phone cannot scan its own screen: GoPay's charge answers a link that
    opens the app (Midtrans's deeplink-redirect, as the simulator does); QRIS
    answers none, and its page offers the QR to save instead (the control)."""
    mukena, _ = two_shops
    fill_cart(client, mukena)
    client.post("/checkout/", online_form(client, mukena.facility, channel="gopay"))
    payment = GatewayPayment.objects.get()
    assert payment.channel == "gopay" and payment.deeplink_url
    html = client.get(f"/pesanan/{payment.checkout.code}/selesai/").content.decode()
    assert "Buka GoPay" in html and payment.deeplink_url in html

    other = Client()
    fill_cart(other, mukena)
    other.post("/checkout/", online_form(other, mukena.facility, channel="qris"))
    qris = GatewayPayment.objects.exclude(pk=payment.pk).get()
    html = other.get(f"/pesanan/{qris.checkout.code}/selesai/").content.decode()
    assert not qris.deeplink_url and "Buka " not in html and "Simpan QR" in html
