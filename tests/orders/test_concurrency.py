"""Real threads, separate connections, real row locks (transaction=True).

The control test shows the race with the locking switched off, so the
locked tests prove the lock, not luck.
"""

import uuid

import pytest
from django.db.models import Sum

from catalog.models import Product
from orders import services
from orders.models import Checkout, Order, OrderLine
from tests.orders.concurrency_helpers import run_together, stock_without_the_lock
from tests.orders.factories import ProductFactory, place, shop

pytestmark = pytest.mark.django_db(transaction=True)


def sold(product) -> int:
    return OrderLine.objects.filter(product=product).aggregate(n=Sum("quantity"))["n"] or 0


def stock(product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def test_twenty_buyers_race_for_five_units():
    product = ProductFactory(facility=shop(), stock=5)
    results = run_together([lambda: place([(product, 1)]) for _ in range(20)])
    placed = [r for r in results if isinstance(r, services.PlaceResult)]
    refused = [r for r in results if isinstance(r, services.OrderError)]
    assert len(placed) == 5 and len(refused) == 15, results
    assert all("Stok" in r.messages[0] for r in refused)
    assert sold(product) == 5
    assert stock(product) == 0
    assert Order.objects.count() == 5


def test_without_the_lock_the_race_oversells(monkeypatch):
    """Control: the same race with catalog.stock's row lock replaced by a plain
    read, and its take by the naive read-modify-write the lock protects (the
    value read before the check is written back less the quantity), sells more
    than there is. If this ever stops overselling, the test above would prove
    nothing."""
    stock_without_the_lock(monkeypatch)
    oversold = False
    for _ in range(3):  # a race is a race: give it a few chances to show
        product = ProductFactory(facility=shop(), stock=5)
        run_together([lambda p=product: place([(p, 1)]) for _ in range(20)])
        if sold(product) > 5:
            oversold = True
            # The books no longer add up: more sold than was ever in stock.
            assert sold(product) + stock(product) > 5
            break
    assert oversold, "expected the unlocked checkout to oversell"


def test_opposite_cart_orders_do_not_deadlock():
    a = ProductFactory(facility=shop(), stock=100)
    b = ProductFactory(facility=shop(), stock=100)
    rounds = 10
    for _ in range(rounds):
        results = run_together(
            [
                # Deliberately b before a in one cart, a before b in the other.
                lambda: place(
                    [(b, 1), (a, 1)],
                    contact=services.Contact(name="A", phone="+6281234567890"),
                ),
                lambda: place(
                    [(a, 1), (b, 1)],
                    contact=services.Contact(name="B", phone="+6281234567891"),
                ),
            ]
        )
        assert all(isinstance(r, services.PlaceResult) for r in results), results
    assert stock(a) == stock(b) == 100 - 2 * rounds
    assert Checkout.objects.count() == 2 * rounds


def test_double_submit_at_the_same_moment_places_once():
    product = ProductFactory(facility=shop(), stock=5)
    key = uuid.uuid4().hex
    results = run_together([lambda: place([(product, 2)], key=key) for _ in range(5)])
    assert all(isinstance(r, services.PlaceResult) for r in results), results
    assert sum(r.created for r in results) == 1
    assert len({r.checkout.pk for r in results}) == 1
    assert Checkout.objects.count() == 1 and Order.objects.count() == 1
    assert stock(product) == 3


def test_concurrent_cancel_and_expire_give_stock_back_once():
    from datetime import timedelta

    from django.utils import timezone

    product = ProductFactory(facility=shop(), stock=5)
    order = place([(product, 4)]).orders[0]
    later = timezone.now() + timedelta(days=3)
    results = run_together(
        [lambda: services.order_cancel(order=Order.objects.get(pk=order.pk), by_shopper=True)] * 4
        + [lambda: services.order_expire(order=Order.objects.get(pk=order.pk), now=later)] * 4
    )
    succeeded = [r for r in results if isinstance(r, Order)]
    assert len(succeeded) == 1, results
    assert all(isinstance(r, services.OrderError) for r in results if r not in succeeded)
    assert stock(product) == 5
