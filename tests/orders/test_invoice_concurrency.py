"""Invoice numbers under real concurrency: threads on their own connections,
real row locks (transaction=True).

The control test takes the lock away and shows the race it prevents, so the
locked test proves the lock, not luck.
"""

import time

import pytest
from django.db import IntegrityError

from orders.documents import invoices
from orders.documents.models import Invoice, InvoiceNumberCounter
from orders.models import Order, OrderStatus
from tests.orders.concurrency_helpers import run_together
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db(transaction=True)

N = 12


def _paid_orders(facility, n):
    product = ProductFactory(facility=facility, stock=n)
    orders = [place([(product, 1)]).orders[0] for _ in range(n)]
    # Paid without the status service: no invoice yet, the threads issue them.
    Order.objects.filter(pk__in=[o.pk for o in orders]).update(status=OrderStatus.PAID)
    return list(Order.objects.filter(pk__in=[o.pk for o in orders]).order_by("pk"))


def test_n_threads_issuing_for_n_orders_get_1_to_n():
    facility = shop()
    orders = _paid_orders(facility, N)
    results = run_together([lambda o=o: invoices.invoice_issue_if_due(order=o) for o in orders])
    assert all(isinstance(r, Invoice) for r in results), results
    sequences = sorted(Invoice.objects.filter(facility=facility).values_list("sequence", flat=True))
    assert sequences == list(range(1, N + 1))  # no gaps, no duplicates
    assert InvoiceNumberCounter.objects.get(facility=facility).last_number == N


def test_two_facilities_racing_keep_their_own_sequences():
    a, b = shop(), shop()
    orders = _paid_orders(a, 6) + _paid_orders(b, 6)
    results = run_together([lambda o=o: invoices.invoice_issue_if_due(order=o) for o in orders])
    assert all(isinstance(r, Invoice) for r in results), results
    for facility in (a, b):
        got = Invoice.objects.filter(facility=facility).values_list("sequence", flat=True)
        assert sorted(got) == [1, 2, 3, 4, 5, 6]


def test_the_same_order_issued_at_once_is_one_invoice_and_one_number():
    facility = shop()
    (order,) = _paid_orders(facility, 1)
    results = run_together([lambda: invoices.invoice_issue_if_due(order=order)] * 6)
    assert all(isinstance(r, Invoice) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert InvoiceNumberCounter.objects.get(facility=facility).last_number == 1


def test_without_the_lock_the_race_hands_out_one_number_twice(monkeypatch):
    """Control: the counter read without FOR UPDATE (the read-modify-write the
    lock protects, with the few milliseconds a busy server spends between the
    read and the write) gives several threads the same number; the unique
    constraint then refuses all but one of them. If this ever stops failing,
    the first test would prove nothing."""

    def read_without_locking(facility_id, year):
        InvoiceNumberCounter.objects.bulk_create(
            [InvoiceNumberCounter(facility_id=facility_id, year=year)], ignore_conflicts=True
        )
        counter = InvoiceNumberCounter.objects.get(facility_id=facility_id, year=year)
        time.sleep(0.05)
        return counter

    monkeypatch.setattr(invoices, "_lock_counter", read_without_locking)
    facility = shop()
    orders = _paid_orders(facility, N)
    results = run_together([lambda o=o: invoices.invoice_issue_if_due(order=o) for o in orders])
    collisions = [r for r in results if isinstance(r, IntegrityError)]
    assert collisions, "expected the unlocked counter to hand out a number twice"
    issued = Invoice.objects.filter(facility=facility).count()
    assert issued < N
