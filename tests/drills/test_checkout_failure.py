"""Drill: a checkout fails half way. No order, no stock change, and the cart survives.

The fault is injected into PostgreSQL itself with a trigger, not by patching
Python: the database refuses a write in the middle of the checkout's
transaction, as a full disk, a killed connection or a constraint would.
"""

import pytest
from django.db import connection
from django.test import Client

from catalog.models import Product, StockHold
from orders.models import Checkout, Order, OrderEvent, OrderLine
from tests.drills.checkout_steps import checkout_form, fill_cart
from tests.orders.factories import ProductFactory, shop

pytestmark = pytest.mark.django_db(transaction=True)

# Refuse an order when its checkout already has one: fails after the first
# facility's order has been written.
SECOND_ORDER_FAILS = """
CREATE FUNCTION kb_drill_fail() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM orders_order WHERE checkout_id = NEW.checkout_id) THEN
    RAISE EXCEPTION 'drill: injected failure after the first order';
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER kb_drill_fail BEFORE INSERT ON orders_order
  FOR EACH ROW EXECUTE FUNCTION kb_drill_fail();
"""
# Refuse ending the cart's hold of the product with the highest id: fails
# after the other product's hold has already ended (the units the cart held
# are the buyer's; placing ends the holds instead of taking stock again).
LAST_HOLD_END_FAILS = """
CREATE FUNCTION kb_drill_fail() RETURNS trigger AS $$
BEGIN
  IF OLD.product_id = %s THEN
    RAISE EXCEPTION 'drill: injected failure at the last hold ended';
  END IF;
  RETURN OLD;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER kb_drill_fail BEFORE DELETE ON catalog_stockhold
  FOR EACH ROW EXECUTE FUNCTION kb_drill_fail();
"""


@pytest.fixture
def fault():
    def inject(sql, *params):
        with connection.cursor() as cursor:
            cursor.execute(sql, params or None)

    yield inject
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS kb_drill_fail ON orders_order")
        cursor.execute("DROP TRIGGER IF EXISTS kb_drill_fail ON catalog_stockhold")
        cursor.execute("DROP FUNCTION IF EXISTS kb_drill_fail()")


@pytest.fixture
def products(role_groups):
    palembang = shop(name="Lapas Perempuan Palembang Drill", city="Palembang")
    raha = shop(name="Rutan Raha Drill", city="Raha")
    return (
        ProductFactory(facility=palembang, name="Mukena Bordir", price=175_000, stock=5),
        ProductFactory(facility=raha, name="Miniatur Kapal Jati", price=350_000, stock=3),
    )


def _nothing_was_written(products, held, mailbox):
    assert Checkout.objects.count() == 0
    assert Order.objects.count() == 0
    assert OrderLine.objects.count() == 0
    assert OrderEvent.objects.count() == 0
    for product in products:
        before = product.stock
        product.refresh_from_db()
        assert product.stock == before, product.name
    # The cart's holds stand as they were: the units are still the shopper's.
    assert list(StockHold.objects.order_by("product").values_list("product", "quantity")) == held
    assert mailbox == []  # no "new order" mail for an order that does not exist


@pytest.mark.parametrize("where", ["second order insert", "last hold ended"])
def test_a_checkout_failing_half_way_leaves_nothing_behind(fault, products, mailoutbox, where):
    shopper = Client(raise_request_exception=False)
    fill_cart(shopper, *products)
    data = checkout_form(shopper, *(p.facility for p in products))
    for product in products:
        product.refresh_from_db()  # the stock left once the cart holds its units
    held = list(StockHold.objects.order_by("product").values_list("product", "quantity"))
    assert len(held) == 2
    if where == "second order insert":
        fault(SECOND_ORDER_FAILS)
    else:
        fault(LAST_HOLD_END_FAILS, max(p.pk for p in products))

    response = shopper.post("/checkout/", data)

    assert response.status_code == 500
    assert "Maaf, terjadi gangguan" in response.content.decode()
    _nothing_was_written(products, held, mailoutbox)
    # The cart is untouched: once the fault is gone the same form places the orders.
    fault_free = shopper.get("/keranjang/").content.decode()
    assert all(p.name in fault_free for p in products)


def test_after_the_fault_the_same_submit_places_one_set_of_orders(fault, products, mailoutbox):
    shopper = Client(raise_request_exception=False)
    fill_cart(shopper, *products)
    data = checkout_form(shopper, *(p.facility for p in products))
    fault(SECOND_ORDER_FAILS)
    assert shopper.post("/checkout/", data).status_code == 500
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER kb_drill_fail ON orders_order")

    # The shopper presses the button again, then again (double click).
    first = shopper.post("/checkout/", data)
    second = shopper.post("/checkout/", data)
    assert first.status_code == second.status_code == 302
    assert first.url == second.url
    assert Checkout.objects.count() == 1 and Order.objects.count() == 2
    stocks = sorted(
        Product.objects.filter(pk__in=[p.pk for p in products]).values_list("stock", flat=True)
    )
    assert stocks == [2, 4]
