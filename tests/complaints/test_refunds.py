"""Refunds in the books: partial, over-refund refused, idempotent replay, two
refunds racing (with a control that shows the race without the lock), and the
sales report's refunds column."""

import contextlib
import threading

import pytest
from django.db import connection

from facilities.scoping import scope_for
from orders.models import OrderStatus
from orders.payments.models import OrderRefund
from orders.payments.services import order_refunds as refund_service
from orders.payments.services.order_refunds import order_refund_record
from orders.services import OrderError
from oversight import selectors
from oversight.periods import this_month
from tests.factories import facility_staff, head_office_user
from tests.orders.test_services import _order_in


@pytest.fixture
def done(mukena):
    return _order_in(OrderStatus.COMPLETED, mukena)[0]


def test_partial_refunds_up_to_the_paid_amount(done, palembang):
    staff = facility_staff(palembang)
    first = order_refund_record(
        order=done, amount=50_000, reason="rusak", refund_key="k1", actor=staff
    )
    assert (first.method, first.recorded_by) == ("transfer", staff)
    assert refund_service.order_refundable_amount(done) == done.total - 50_000
    with pytest.raises(OrderError, match="melebihi"):
        order_refund_record(order=done, amount=done.total, reason="x", refund_key="k2")
    # The rest is fine; then nothing is left.
    order_refund_record(order=done, amount=done.total - 50_000, reason="x", refund_key="k3")
    with pytest.raises(OrderError):
        order_refund_record(order=done, amount=1, reason="x", refund_key="k4")


def test_replay_with_the_same_key_is_one_refund(done):
    one = order_refund_record(order=done, amount=10_000, reason="x", refund_key="same")
    two = order_refund_record(order=done, amount=10_000, reason="x", refund_key="same")
    assert one.pk == two.pk and OrderRefund.objects.count() == 1


def test_unpaid_order_cannot_be_refunded(mukena):
    unpaid = _order_in(OrderStatus.AWAITING_PAYMENT, mukena)[0]
    with pytest.raises(OrderError):
        order_refund_record(order=unpaid, amount=1, reason="x", refund_key="u")


def test_refunds_in_the_sales_report(client, done):
    scope = scope_for(head_office_user())

    def rows():
        return selectors.sales_by_facility_month(
            scope, facilities=scope.facilities(), first=this_month(), last=this_month()
        )

    (before,) = rows()
    assert before.refunds == 0 and before.net == before.total
    order_refund_record(order=done, amount=40_000, reason="x", refund_key="r")
    (after,) = rows()
    assert after.refunds == 40_000 and after.net == before.total - 40_000
    client.force_login(head_office_user())
    page = client.get("/admin/laporan/penjualan/").content.decode()
    assert 'id="total-refunds">Rp 40.000' in page
    csv_text = client.get("/admin/laporan/penjualan.csv").content.decode("utf-8")
    assert "Refund (Rp);Bersih (Rp)" in csv_text


def _race(order, *, lock: bool) -> int:
    """Two refunds of 60% each at once; returns how much was recorded. Each
    thread waits at a barrier after reading the refundable amount, so without
    the lock both read 'nothing refunded yet'."""
    barrier = threading.Barrier(2, timeout=2)
    real = refund_service.order_refundable_amount

    def slow_read(o):
        value = real(o)
        # With the lock the other thread is blocked before its read: the wait times out.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return value

    amount = order.total * 6 // 10

    def run(key):
        try:
            order_refund_record(
                order=order, amount=amount, reason="race", refund_key=key, lock=lock
            )
        except OrderError:
            pass
        finally:
            connection.close()

    refund_service.order_refundable_amount = slow_read
    try:
        threads = [threading.Thread(target=run, args=(f"race-{lock}-{i}",)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        refund_service.order_refundable_amount = real
    return sum(OrderRefund.objects.filter(order=order).values_list("amount", flat=True))


@pytest.mark.django_db(transaction=True)
def test_two_refunds_racing_cannot_pass_the_paid_amount(mukena):
    order = _order_in(OrderStatus.COMPLETED, mukena)[0]
    assert _race(order, lock=True) == order.total * 6 // 10


@pytest.mark.django_db(transaction=True)
def test_control_without_the_lock_the_race_overpays(mukena):
    order = _order_in(OrderStatus.COMPLETED, mukena)[0]
    assert _race(order, lock=False) > order.total
