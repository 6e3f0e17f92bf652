"""Drill (issue 29, finding 1): the shopper pays, the gateway's notification
is lost (the simulator's drop switch), and the deadline comes.

Before: order_expire_due expired the order, the follow-up expire call was
refused (412: the gateway had settled it) and logged as "refused", and
nothing asked the gateway again: an expired order, money taken, no refund.
Now the refusal asks the gateway for the status at once, and the sweep
(orders.payments.services.reconcile) asks about every pending payment near
its deadline: paid in time -> the order is paid; paid but expired here ->
the money goes back (QRIS through the gateway, VA held for a person).
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from gatewaysim.models import SimTransaction
from orders import services, tasks
from orders.models import Order, OrderStatus
from orders.payments import services as gateway_services
from orders.payments.models import GatewayPayment, GatewayRefund, SettlementEntry
from orders.payments.services import gateway_charge_expire
from tests.drills.payment_faults import (  # noqa: F401 (fixture)
    online_checkout_over_http,
    paid_events,
    simulator,
    unaccounted,
)
from tests.factories import facility_staff
from tests.orders.factories import ProductFactory, shop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def paid_but_unheard(client, simulator, settings):  # noqa: F811
    """A QRIS checkout the shopper paid at the gateway; the notification lost."""

    def make(channel="qris"):
        product = ProductFactory(facility=shop(), price=175_000, stock=5)
        assert online_checkout_over_http(client, product, channel=channel).status_code == 302
        payment = GatewayPayment.objects.get()
        settings.MIDTRANS_SIMULATOR_DROP_NOTIFICATIONS = True
        call_command("simulate_payment", payment.gateway_order_id)
        sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
        assert sim.transaction_status == "settlement"
        payment.refresh_from_db()
        assert payment.status == GatewayPayment.Status.PENDING  # we never heard
        return product, Order.objects.get(), payment

    return make


def _expire_past_deadline(order):
    return services.order_expire_due(now=order.payment_deadline + timedelta(minutes=1))


def test_control_old_expire_leaves_money_taken_and_no_refund(paid_but_unheard, monkeypatch):
    """The harm as it was: expired, money at the gateway, nothing given back."""
    product, order, payment = paid_but_unheard()

    def old_expire(payment_id):
        return gateway_charge_expire(payment_id=payment_id, old_behaviour=True)

    monkeypatch.setattr(tasks, "gateway_charge_expire", SimpleNamespace(enqueue=old_expire))
    assert _expire_past_deadline(order) == 1
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    assert payment.status == GatewayPayment.Status.PENDING
    assert not GatewayRefund.objects.exists()
    assert unaccounted(payment) == order.total  # Rp 175.000 + shipping nobody holds


def test_sweep_before_the_deadline_confirms_the_paid_order(paid_but_unheard):
    product, order, payment = paid_but_unheard()
    # Near the deadline the sweep asks the gateway, which says settlement.
    summary = gateway_services.payments_reconcile(now=order.payment_deadline - timedelta(minutes=2))
    assert summary.payments_checked == 1 and summary.outcomes["paid"] == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and paid_events(order) == 1
    assert SettlementEntry.objects.get(order=order).amount == order.total
    assert unaccounted(payment) == 0

    # Twenty more sweeps and the late notification itself: still one paid event.
    for _ in range(20):
        gateway_services.payments_reconcile(now=timezone.now())
        gateway_services.payment_reconcile(payment=GatewayPayment.objects.get())
    sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
    from gatewaysim.views import notification_for

    for _ in range(20):
        gateway_services.gateway_notification_receive(payload=notification_for(sim))
    assert paid_events(order) == 1
    assert SettlementEntry.objects.count() == 1 and unaccounted(payment) == 0


def test_expired_first_then_the_refused_expire_refunds_qris(paid_but_unheard):
    """The deadline passes before any sweep: the expire call is refused (412),
    the refusal asks the gateway, and the QRIS money goes back through it."""
    product, order, payment = paid_but_unheard()
    assert _expire_past_deadline(order) == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED
    refund = GatewayRefund.objects.get(order=order)
    assert refund.status == GatewayRefund.Status.DONE and refund.amount == order.total
    sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
    assert sim.refunded_amount == sim.gross_amount
    assert unaccounted(payment) == 0 and paid_events(order) == 0
    # The sweep after that finds nothing left to do.
    assert gateway_services.payments_reconcile().payments_checked == 0


def test_expired_va_payment_is_held_for_a_person_who_records_the_transfer(paid_but_unheard):
    product, order, payment = paid_but_unheard(channel="bca_va")
    assert _expire_past_deadline(order) == 1
    refund = GatewayRefund.objects.get(order=order)
    assert refund.status == GatewayRefund.Status.MANUAL  # never sent: Midtrans would refuse
    assert unaccounted(payment) == 0  # held for the shopper
    sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
    assert sim.refunded_amount == 0
    gateway_services.gateway_refund_manual_done(
        refund=refund,
        actor=facility_staff(order.facility),
        bank_account="BRI 0123 a.n. Siti Aminah",
        reference="BRI-TRF-0001",
    )
    refund.refresh_from_db()
    assert refund.status == GatewayRefund.Status.DONE and unaccounted(payment) == 0


def test_lost_notification_is_applied_by_the_sweep(paid_but_unheard, monkeypatch):
    """A notification stored but whose task was lost (a killed worker) is
    applied by the sweep a few minutes later."""
    from orders.payments.services import notifications

    product, order, payment = paid_but_unheard()
    sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
    from gatewaysim.views import notification_for

    monkeypatch.setattr(notifications, "_queue_processing", lambda pk: None)  # task lost
    gateway_services.gateway_notification_receive(payload=notification_for(sim))
    order.refresh_from_db()
    assert order.status == OrderStatus.AWAITING_PAYMENT
    summary = gateway_services.payments_reconcile(now=timezone.now() + timedelta(minutes=4))
    assert summary.notifications_applied == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and paid_events(order) == 1
