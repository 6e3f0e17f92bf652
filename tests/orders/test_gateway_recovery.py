"""The gateway client's and the sweep's edges: 407 is a successful expire,
refunds the gateway reports (its dashboard) reach the ledger once, VA refunds
are never sent, and the manual transfer is scoped."""

from __future__ import annotations

import pytest

from gatewaysim.models import SimTransaction
from gatewaysim.views import dashboard_refund, notification_for
from orders import services
from orders.models import Order
from orders.payments import services as gateway_services
from orders.payments.models import GatewayPayment, GatewayRefund, OrderRefund, SettlementEntry
from tests.drills.payment_faults import online_checkout_over_http, simulator  # noqa: F401
from tests.factories import facility_staff
from tests.orders.factories import ProductFactory, shop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paid(client, simulator):  # noqa: F811
    def make(channel="qris"):
        from django.core.management import call_command

        product = ProductFactory(facility=shop(), price=200_000, stock=5)
        assert online_checkout_over_http(client, product, channel=channel).status_code == 302
        payment = GatewayPayment.objects.get()
        call_command("simulate_payment", payment.gateway_order_id)
        payment.refresh_from_db()
        assert payment.status == GatewayPayment.Status.PAID
        return Order.objects.get(), payment

    return make


def test_a_407_expire_is_success_not_refused(client, simulator):  # noqa: F811
    product = ProductFactory(facility=shop(), price=200_000, stock=5)
    online_checkout_over_http(client, product)
    payment = GatewayPayment.objects.get()
    assert gateway_services.gateway_charge_expire(payment_id=payment.pk) == "expired"
    sim = SimTransaction.objects.get()
    assert sim.transaction_status == "expire"


def test_a_dashboard_refund_reaches_the_ledger_once(paid):
    order, payment = paid()
    dashboard_refund(payment.gateway_order_id, 50_000)  # its notification arrives
    refund = GatewayRefund.objects.get()
    assert (refund.status, refund.amount) == (GatewayRefund.Status.DONE, 50_000)
    ledger = OrderRefund.objects.get()
    assert (ledger.amount, ledger.method, ledger.source) == (50_000, "gateway", "gateway:dashboard")
    assert SettlementEntry.objects.get().amount == order.total - 50_000
    # Replays of that notification and the sweep's status answers: still one.
    sim = SimTransaction.objects.get()
    for _ in range(5):
        gateway_services.gateway_notification_receive(payload=notification_for(sim))
        gateway_services.gateway_status_apply(answer=gateway_services_status(payment))
    assert GatewayRefund.objects.count() == 1 and OrderRefund.objects.count() == 1
    # A second partial refund in the dashboard is a second row.
    dashboard_refund(payment.gateway_order_id, 30_000)
    assert sorted(GatewayRefund.objects.values_list("amount", flat=True)) == [30_000, 50_000]
    assert OrderRefund.objects.count() == 2


def gateway_services_status(payment):
    from orders.payments.midtrans import MidtransClient

    return MidtransClient().status(payment.gateway_order_id)


def test_our_own_refund_is_not_counted_twice_when_the_gateway_reports_it(paid):
    order, payment = paid()
    services.order_cancel(order=order, actor=facility_staff(order.facility), reason="Rusak")
    assert GatewayRefund.objects.get().status == GatewayRefund.Status.DONE
    gateway_services.gateway_status_apply(answer=gateway_services_status(payment))
    assert GatewayRefund.objects.count() == 1


def test_va_refund_is_never_sent_and_only_scoped_staff_record_it(paid, monkeypatch):
    from orders.payments.midtrans import MidtransClient

    sent = []
    monkeypatch.setattr(MidtransClient, "refund", lambda self, *a, **kw: sent.append(a))
    order, payment = paid(channel="bni_va")
    services.order_cancel(order=order, actor=facility_staff(order.facility), reason="Rusak")
    refund = GatewayRefund.objects.get()
    assert refund.status == GatewayRefund.Status.MANUAL and sent == []
    stranger = facility_staff(shop())
    with pytest.raises(services.OrderError):
        gateway_services.gateway_refund_manual_done(
            refund=refund, actor=stranger, bank_account="BNI 1", reference="T1"
        )
    with pytest.raises(services.OrderError):  # account and reference required
        gateway_services.gateway_refund_manual_done(
            refund=refund, actor=facility_staff(order.facility), bank_account="", reference=""
        )
    refund.refresh_from_db()
    assert refund.status == GatewayRefund.Status.MANUAL


def test_manual_transfer_of_a_complaint_refund_updates_its_ledger_row(paid):
    from orders.payments.services.order_refunds import order_refund_record

    order, payment = paid(channel="permata_va")
    ledger = order_refund_record(
        order=order, amount=40_000, reason="Cacat", refund_key="complaint-1", source="complaint:1"
    )
    refund = ledger.gateway_refund
    assert refund.status == GatewayRefund.Status.MANUAL
    staff = facility_staff(order.facility)
    gateway_services.gateway_refund_manual_done(
        refund=refund, actor=staff, bank_account="Permata 9 a.n. Siti", reference="PMT-1"
    )
    ledger.refresh_from_db()
    assert (ledger.method, ledger.transfer_reference) == ("transfer", "PMT-1")
    assert OrderRefund.objects.count() == 1


def test_admin_records_a_manual_transfer(paid, client):
    from tests.factories import head_office_user

    order, payment = paid(channel="bca_va")
    services.order_cancel(order=order, actor=facility_staff(order.facility), reason="Rusak")
    refund = GatewayRefund.objects.get()
    client.force_login(head_office_user())
    url = "/admin/orders/gatewayrefund/"
    form = client.post(url, {"action": "record_manual_transfer", "_selected_action": [refund.pk]})
    assert form.status_code == 200 and "Referensi transfer" in form.content.decode()
    done = client.post(
        url,
        {
            "action": "record_manual_transfer",
            "_selected_action": [refund.pk],
            "apply": "1",
            "bank_account": "BCA 123 a.n. Siti",
            "reference": "TRF-9",
        },
    )
    assert done.status_code == 302
    refund.refresh_from_db()
    assert (refund.status, refund.transfer_reference) == (GatewayRefund.Status.DONE, "TRF-9")
