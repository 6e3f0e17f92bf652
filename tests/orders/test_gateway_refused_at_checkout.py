"""A gateway that refuses the charge at checkout: the payment is failed and
the orders called off in one transaction (gateway_checkout_refused).

Found by the flash sale drill (docs/flash-sale.md): with the machine starved,
a worker died between the two writes and left an order awaiting payment
behind a failed payment. No sweep resumes a failed payment, so the unit
stayed taken until the payment deadline (an hour) while the sale went on.
Here the worker's death is an exception raised where the orders are called
off; the control writes the two steps as before.
"""

from __future__ import annotations

import pytest

from orders.models import Order, OrderStatus
from orders.payments import services as gateway_services
from orders.payments.models import GatewayPayment
from orders.payments.services import charges
from tests.drills.payment_faults import online_checkout_over_http, simulator  # noqa: F401
from tests.orders.factories import ProductFactory, shop

pytestmark = pytest.mark.django_db(transaction=True)

REFUSING = "http://127.0.0.1:9/_simulator/midtrans"  # nothing listens: connection refused


class WorkerKilled(BaseException):
    """The worker's death in the middle of a request."""


@pytest.fixture
def product(db):
    return ProductFactory(facility=shop(), price=150_000, stock=1)


def _killed(**kwargs):
    raise WorkerKilled


def test_a_refusal_fails_the_payment_and_calls_the_orders_off(client, simulator, settings, product):  # noqa: F811
    settings.MIDTRANS_BASE_URL = REFUSING
    response = online_checkout_over_http(client, product)
    assert response.status_code == 503
    assert GatewayPayment.objects.get().status == GatewayPayment.Status.FAILED
    assert Order.objects.get().status == OrderStatus.CANCELLED
    product.refresh_from_db()
    assert product.stock == 1


def test_a_worker_dying_as_the_refusal_is_written_leaves_a_checkout_the_sweep_finishes(
    client,
    simulator,  # noqa: F811
    settings,
    product,
    monkeypatch,
):
    gateway = settings.MIDTRANS_BASE_URL
    settings.MIDTRANS_BASE_URL = REFUSING
    monkeypatch.setattr(charges, "gateway_checkout_call_off", _killed)
    with pytest.raises(WorkerKilled):
        online_checkout_over_http(client, product)
    # Neither write stands: the intent pending without an answer, the order waiting.
    payment = GatewayPayment.objects.get()
    assert payment.status == GatewayPayment.Status.PENDING and payment.charged_at is None
    assert Order.objects.get().status == OrderStatus.AWAITING_PAYMENT
    # The sweep (or the retry button) finds it: nothing charged there yet, the
    # order still wanted, so it is charged now and the shopper can pay.
    settings.MIDTRANS_BASE_URL = gateway
    payment = gateway_services.gateway_payment_resume(payment=payment)
    assert payment.charged_at is not None and payment.qr_string


def test_control_the_two_steps_apart_leave_the_unit_taken_behind_a_failed_payment(
    client,
    simulator,  # noqa: F811
    settings,
    product,
    monkeypatch,
):
    """As checkout_submit wrote them before: the payment failed inside
    gateway_payment_start, the orders called off after it returned."""
    real_start = gateway_services.gateway_payment_start

    def old_start(*, payment, close_on_refusal=True):
        return real_start(payment=payment)  # fails the payment itself

    def old_refused(*, payment, orders):
        charges.gateway_checkout_call_off(orders=orders)

    monkeypatch.setattr(gateway_services, "gateway_payment_start", old_start)
    monkeypatch.setattr(gateway_services, "gateway_checkout_refused", old_refused)
    monkeypatch.setattr(charges, "gateway_checkout_call_off", _killed)
    gateway = settings.MIDTRANS_BASE_URL
    settings.MIDTRANS_BASE_URL = REFUSING
    with pytest.raises(WorkerKilled):
        online_checkout_over_http(client, product)
    payment = GatewayPayment.objects.get()
    assert payment.status == GatewayPayment.Status.FAILED
    settings.MIDTRANS_BASE_URL = gateway
    gateway_services.gateway_payment_resume(payment=payment)  # the sweep: nothing to do
    assert Order.objects.get().status == OrderStatus.AWAITING_PAYMENT
    product.refresh_from_db()
    assert product.stock == 0  # held until the payment deadline
