"""A complaint's partial refund on an order paid online goes through the
gateway (the local simulator, served by a live server): two partial refunds
add up there, and the order's money goes back no more than once in total."""

import pytest
from django.core.management import call_command

from complaints import services
from complaints.models import ComplaintStatus
from gatewaysim.models import SimTransaction
from orders import services as order_services
from orders.models import Order
from orders.payments.models import GatewayPayment, GatewayRefund, OrderRefund, SettlementEntry
from orders.payments.services.order_refunds import order_refund_record
from orders.services import OrderError
from tests.factories import facility_staff, regional_reviewer
from tests.orders.factories import ProductFactory, shop
from tests.orders.test_gateway_flows import fill_cart, online_form, simulator  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


def test_partial_refunds_through_the_simulator(client, simulator):  # noqa: F811
    product = ProductFactory(facility=shop(), price=175_000, stock=5)
    fill_cart(client, product)
    client.post("/checkout/", online_form(client, product.facility, channel="qris"))
    payment = GatewayPayment.objects.get()
    call_command("simulate_payment", payment.gateway_order_id)
    order = Order.objects.get()
    staff = facility_staff(order.facility)
    order_services.order_start_processing(order=order, actor=staff)
    order_services.order_ship(order=order, actor=staff, courier="JNE", tracking_number="X1")

    complaint = services.complaint_open(
        order=order,
        line_ids=[order.lines.get().pk],
        reason="damaged",
        description="rusak",
        remedy="partial_refund",
        amount=50_000,
    )
    services.complaint_answer(complaint=complaint, actor=staff, kind="accept")
    services.complaint_accept_answer(complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.RESOLVED and complaint.refund_due is None

    refund = OrderRefund.objects.get()
    assert refund.method == "gateway" and refund.amount == 50_000
    assert refund.gateway_refund.status == GatewayRefund.Status.DONE
    sim = SimTransaction.objects.get(order_id=payment.gateway_order_id)
    assert (sim.transaction_status, sim.refunded_amount) == ("partial_refund", 50_000)
    # The operator now owes the facility the rest only.
    entry = SettlementEntry.objects.get(order=order)
    assert (entry.status, entry.amount) == ("owed", order.total - 50_000)

    # A second complaint on the same line, decided by the Kanwil: the rest.
    second = services.complaint_open(
        order=order,
        line_ids=[order.lines.get().pk],
        reason="missing",
        description="kurang satu",
        remedy="return_refund",
    )
    services.complaint_escalate_overdue(now=second.answer_due_at.replace(year=2099))
    services.complaint_decide(
        complaint=second,
        actor=regional_reviewer(order.facility.region),
        remedy="partial_refund",
        amount=order.total - 50_000,
        note="sisa dikembalikan",
    )
    sim.refresh_from_db()
    assert (sim.transaction_status, sim.refunded_amount) == ("refund", order.total)
    assert GatewayRefund.objects.filter(status=GatewayRefund.Status.DONE).count() == 2
    assert SettlementEntry.objects.get(order=order).status == "refunded"
    # Nothing is left to give back.
    with pytest.raises(OrderError):
        order_refund_record(order=order, amount=1, reason="x", refund_key="more")
