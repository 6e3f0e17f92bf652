"""Online payment through the gateway: notifications (signature, replay, order,
amount), confirmation of every order of a checkout, expiry, refunds, ledger."""

from __future__ import annotations

import json

import pytest

from catalog.models import Product
from orders import services
from orders.models import Order, OrderEvent, OrderStatus
from orders.payments import services as gateway_services
from orders.payments.models import (
    GatewayNotification,
    GatewayPayment,
    GatewayRefund,
    SettlementEntry,
)
from tests.factories import facility_staff, head_office_user
from tests.orders.factories import ProductFactory, shop
from tests.orders.gateway_helpers import notification, online_checkout

URL = "/pembayaran/notifikasi/midtrans/"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _gateway_key(settings):
    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-UJI-KEY"
    settings.MIDTRANS_BASE_URL = "http://127.0.0.1:9/v-unused"  # no HTTP in these tests


@pytest.fixture
def two_shops(db):
    return (
        ProductFactory(facility=shop(), price=175_000, stock=5),
        ProductFactory(facility=shop(), price=350_000, stock=3),
    )


def post(client, body, capture):
    with capture(execute=True):
        return client.post(URL, json.dumps(body), content_type="application/json")


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def test_a_signed_settlement_confirms_every_order_of_the_checkout(
    client, two_shops, django_capture_on_commit_callbacks, mailoutbox
):
    result, payment = online_checkout([(two_shops[0], 1), (two_shops[1], 2)])
    assert payment.amount == 175_000 + 700_000  # one payment, the grand total

    response = post(client, notification(payment), django_capture_on_commit_callbacks)

    assert response.status_code == 200
    for order in result.orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.PAID
        event = order.events.get(to_status=OrderStatus.PAID)
        assert event.actor_label == "system" and payment.gateway_order_id in event.note
    payment.refresh_from_db()
    assert payment.status == GatewayPayment.Status.PAID
    ledger = SettlementEntry.objects.order_by("order_id")
    assert [(e.order_id, e.facility_id, e.amount, e.status) for e in ledger] == [
        (o.pk, o.facility_id, o.total, "owed") for o in sorted(result.orders, key=lambda o: o.pk)
    ]
    # Stock stays sold; the shopper hears of each order's new status.
    assert stock(two_shops[0]) == 4 and stock(two_shops[1]) == 1
    assert sum("Dibayar" in m.body or "dibayar" in m.body.lower() for m in mailoutbox) >= 1


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda b: b.update(signature_key="0" * 128), id="wrong-signature"),
        pytest.param(lambda b: b.pop("signature_key"), id="missing-signature"),
        pytest.param(lambda b: b.update(gross_amount="1.00"), id="amount-changed-after-signing"),
        pytest.param(lambda b: b.update(signature_key=""), id="empty-signature"),
    ],
)
def test_a_forged_notification_changes_nothing(
    client, two_shops, django_capture_on_commit_callbacks, tamper, caplog
):
    result, payment = online_checkout([(two_shops[0], 1)])
    body = notification(payment)
    tamper(body)
    response = post(client, body, django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not GatewayNotification.objects.exists()
    assert Order.objects.get(pk=result.orders[0].pk).status == OrderStatus.AWAITING_PAYMENT
    assert any("rejected" in r.getMessage() for r in caplog.records)


def test_signed_with_another_key_is_refused(client, two_shops, django_capture_on_commit_callbacks):
    _, payment = online_checkout([(two_shops[0], 1)])
    body = notification(payment, key="SB-Mid-server-SOMEONE-ELSE")
    assert post(client, body, django_capture_on_commit_callbacks).status_code == 403


def test_malformed_body_is_a_400(client, db):
    assert client.post(URL, "not json", content_type="application/json").status_code == 400
    assert client.post(URL, "[1, 2]", content_type="application/json").status_code == 403


def test_unknown_order_is_answered_without_harm(client, db, django_capture_on_commit_callbacks):
    fake = GatewayPayment(gateway_order_id="KB-NOPE-1", amount=10_000, transaction_id="x")
    response = post(client, notification(fake), django_capture_on_commit_callbacks)
    assert response.status_code == 200  # signed by the gateway: it must stop retrying
    row = GatewayNotification.objects.get()
    assert row.processed_at and row.outcome.startswith("ignored: unknown")


def test_replayed_notification_is_one_confirmation(
    client, two_shops, django_capture_on_commit_callbacks
):
    result, payment = online_checkout([(two_shops[0], 1)])
    body = notification(payment)
    for _ in range(3):
        assert post(client, body, django_capture_on_commit_callbacks).status_code == 200
    assert GatewayNotification.objects.count() == 1
    assert OrderEvent.objects.filter(order=result.orders[0], to_status="paid").count() == 1


def test_out_of_order_expire_after_settlement_changes_nothing(
    client, two_shops, django_capture_on_commit_callbacks
):
    result, payment = online_checkout([(two_shops[0], 2)])
    post(client, notification(payment, "settlement"), django_capture_on_commit_callbacks)
    post(client, notification(payment, "pending"), django_capture_on_commit_callbacks)
    post(client, notification(payment, "expire"), django_capture_on_commit_callbacks)
    order = Order.objects.get(pk=result.orders[0].pk)
    assert order.status == OrderStatus.PAID and not order.stock_released
    assert stock(two_shops[0]) == 3
    outcomes = list(GatewayNotification.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes[1].startswith("pending") and outcomes[2].startswith("ignored")


def test_wrong_amount_is_ignored(client, two_shops, django_capture_on_commit_callbacks):
    result, payment = online_checkout([(two_shops[0], 1)])
    post(client, notification(payment, amount=1_000), django_capture_on_commit_callbacks)
    assert Order.objects.get(pk=result.orders[0].pk).status == OrderStatus.AWAITING_PAYMENT
    assert GatewayNotification.objects.get().outcome.startswith("ignored: amount")


def test_expired_payment_releases_the_stock_once(
    client, two_shops, django_capture_on_commit_callbacks
):
    result, payment = online_checkout([(two_shops[0], 2), (two_shops[1], 1)])
    assert (stock(two_shops[0]), stock(two_shops[1])) == (3, 2)
    post(client, notification(payment, "expire"), django_capture_on_commit_callbacks)
    post(client, notification(payment, "cancel"), django_capture_on_commit_callbacks)
    for order in result.orders:
        order.refresh_from_db()
        assert order.status == OrderStatus.EXPIRED and order.stock_released
    assert (stock(two_shops[0]), stock(two_shops[1])) == (5, 3)
    # The cron's expiry afterwards finds nothing more to give back.
    assert services.order_expire_due() == 0
    assert (stock(two_shops[0]), stock(two_shops[1])) == (5, 3)


def test_paid_after_the_order_expired_is_refunded_not_reinstated(
    client, two_shops, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "orders.payments.midtrans.MidtransClient.refund",
        lambda self, order_id, **kw: sent.append((order_id, kw)) or {"status_code": "200"},
    )
    result, payment = online_checkout([(two_shops[0], 1)])
    order = result.orders[0]
    Order.objects.filter(pk=order.pk).update(payment_deadline="2020-01-01T00:00:00Z")
    assert services.order_expire_due() == 1
    post(client, notification(payment), django_capture_on_commit_callbacks)
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert stock(two_shops[0]) == 5  # not taken again
    refund = GatewayRefund.objects.get(order=order)
    assert refund.amount == order.total and refund.status == GatewayRefund.Status.DONE
    assert sent == [
        (
            payment.gateway_order_id,
            {"refund_key": refund.refund_key, "amount": order.total, "reason": refund.reason},
        )
    ]
    assert not SettlementEntry.objects.exists()


def test_staff_cancelling_a_paid_online_order_refunds_it_through_the_gateway(
    client, two_shops, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        "orders.payments.midtrans.MidtransClient.refund",
        lambda self, order_id, **kw: sent.append(kw["amount"]) or {"status_code": "200"},
    )
    result, payment = online_checkout([(two_shops[0], 1), (two_shops[1], 1)])
    post(client, notification(payment), django_capture_on_commit_callbacks)
    first, second = sorted(result.orders, key=lambda o: o.pk)
    staff = facility_staff(first.facility)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=first, actor=staff, reason="Stok rusak")
    assert sent == [first.total]  # only that facility's order, not the whole payment
    assert GatewayRefund.objects.get(order=first).status == GatewayRefund.Status.DONE
    assert SettlementEntry.objects.get(order=first).status == SettlementEntry.Status.REFUNDED
    assert SettlementEntry.objects.get(order=second).status == SettlementEntry.Status.OWED
    # Cancelling an unpaid online order refunds nothing.
    unpaid, _ = online_checkout([(two_shops[0], 1)])
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=unpaid.orders[0], actor=staff, reason="Salah")
    assert len(sent) == 1


def test_a_refused_refund_is_recorded_for_a_person(
    client, two_shops, django_capture_on_commit_callbacks, monkeypatch
):
    from orders.payments.midtrans import GatewayError

    def refuse(self, order_id, **kw):
        raise GatewayError("412", status_code="412", body={"status_message": "cannot"})

    monkeypatch.setattr("orders.payments.midtrans.MidtransClient.refund", refuse)
    result, payment = online_checkout([(two_shops[0], 1)])
    post(client, notification(payment), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(
            order=result.orders[0], actor=facility_staff(result.orders[0].facility), reason="X"
        )
    refund = GatewayRefund.objects.get()
    assert refund.status == GatewayRefund.Status.FAILED
    assert refund.response == {"status_message": "cannot"}


def test_only_head_office_records_payouts(client, two_shops, django_capture_on_commit_callbacks):
    result, payment = online_checkout([(two_shops[0], 1)])
    post(client, notification(payment), django_capture_on_commit_callbacks)
    entries = list(SettlementEntry.objects.all())
    staff = facility_staff(result.orders[0].facility)
    with pytest.raises(services.OrderError):
        gateway_services.settlement_pay_out(entries=entries, actor=staff, reference="TRF-1")
    boss = head_office_user()
    with pytest.raises(services.OrderError):
        gateway_services.settlement_pay_out(entries=entries, actor=boss, reference=" ")
    client.force_login(boss)
    sheet = client.post(
        "/admin/orders/settlemententry/",
        {"action": "payout_sheet", "_selected_action": [str(e.pk) for e in entries]},
    )
    lines = sheet.content.decode().splitlines()
    order = result.orders[0]
    assert lines[1].split(";")[0] == order.facility.name
    assert lines[1].split(";")[4:] == [str(order.total), order.code]
    assert gateway_services.settlement_pay_out(entries=entries, actor=boss, reference="TRF-1") == 1
    assert gateway_services.settlement_pay_out(entries=entries, actor=boss, reference="TRF-2") == 0
    entry = SettlementEntry.objects.get()
    assert (entry.status, entry.payout_reference, entry.paid_out_by) == ("paid_out", "TRF-1", boss)


def test_staff_see_only_their_facilitys_ledger(
    client, two_shops, django_capture_on_commit_callbacks
):
    for product in two_shops:
        _, payment = online_checkout([(product, 1)])
        post(client, notification(payment), django_capture_on_commit_callbacks)
    staff = facility_staff(two_shops[0].facility)
    client.force_login(staff)
    page = client.get("/admin/orders/settlemententry/")
    assert page.status_code == 200
    assert page.context["cl"].result_count == 1
    other = SettlementEntry.objects.get(facility=two_shops[1].facility)
    assert client.get(f"/admin/orders/settlemententry/{other.pk}/change/").status_code == 404
    # Charges and raw notifications span facilities: head office only.
    assert client.get("/admin/orders/gatewaypayment/").status_code == 403
    assert client.get("/admin/orders/gatewaynotification/").status_code == 403
    assert client.get("/admin/procrastinate/procrastinatejob/").status_code == 403


def test_notification_endpoint_query_budget(
    client, two_shops, django_assert_max_num_queries, settings
):
    """Receiving is a verify and one insert (the work runs as a task)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    _, payment = online_checkout([(two_shops[0], 1)])
    body = json.dumps(notification(payment))
    with django_assert_max_num_queries(3):
        response = client.post(URL, body, content_type="application/json")
    assert response.status_code == 200


def test_an_order_confirmed_by_hand_before_the_notification_is_not_refunded(
    client, two_shops, django_capture_on_commit_callbacks
):
    result, payment = online_checkout([(two_shops[0], 1)])
    order = result.orders[0]
    services.order_confirm_payment(order=order, actor=facility_staff(order.facility))
    post(client, notification(payment), django_capture_on_commit_callbacks)
    assert not GatewayRefund.objects.exists()
    assert SettlementEntry.objects.get().order_id == order.pk
    assert OrderEvent.objects.filter(order=order, to_status="paid").count() == 1


def test_the_order_page_shows_its_settlement_and_refund(
    client, two_shops, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(
        "orders.payments.midtrans.MidtransClient.refund",
        lambda self, order_id, **kw: {"status_code": "200"},
    )
    result, payment = online_checkout([(two_shops[0], 1)])
    post(client, notification(payment), django_capture_on_commit_callbacks)
    order = result.orders[0]
    staff = facility_staff(order.facility)
    with django_capture_on_commit_callbacks(execute=True):
        services.order_cancel(order=order, actor=staff, reason="Rusak")
    client.force_login(staff)
    page = client.get(f"/admin/orders/order/{order.pk}/change/").content.decode()
    assert "Dikembalikan ke pembeli" in page and "Berhasil" in page


@pytest.mark.parametrize("facilities", [1, 3])
def test_confirmation_page_query_budget(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks, facilities
):
    """Same number of queries for one facility's order as for three."""
    from orders.views import CHECKOUTS_KEY

    items = [(ProductFactory(facility=shop(), stock=5), 1) for _ in range(facilities)]
    result, _ = online_checkout(items)
    session = client.session
    session[CHECKOUTS_KEY] = [result.checkout.code]
    session.save()
    with django_assert_max_num_queries(6):
        page = client.get(f"/pesanan/{result.checkout.code}/selesai/")
    assert page.status_code == 200
    with django_assert_max_num_queries(2):
        assert client.get(f"/pesanan/{result.checkout.code}/status-bayar/").status_code == 200


def test_signature_is_midtrans_documented_formula(settings):
    """Checked against hashlib directly, not against our own helper: the
    simulator and the tests share orders.payments.midtrans.signature_for, so a mistake
    there would otherwise go unnoticed on both sides."""
    import hashlib

    from orders.payments.midtrans import verify_notification

    settings.MIDTRANS_SERVER_KEY = "SB-Mid-server-abc123"
    body = {"order_id": "KB-X-1", "status_code": "200", "gross_amount": "875000.00"}
    raw = "KB-X-1" + "200" + "875000.00" + "SB-Mid-server-abc123"
    body["signature_key"] = hashlib.sha512(raw.encode()).hexdigest()
    assert verify_notification(body)
    assert not verify_notification({**body, "status_code": "201"})
