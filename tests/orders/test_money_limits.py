"""Large orders: the money columns hold any order the cart accepts, the cart
refuses (in Indonesian) what is over the limit, and a cart over the limit can
always be changed until it checks out.

Issue 13, finding 5: 1.000 × Rp 2.500.000 made to order overflowed the 32-bit
totals and the checkout answered 500.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from catalog.models import Product
from core.money import MAX_ORDER_TOTAL, MAX_UNIT_AMOUNT
from orders import services
from orders.models import Checkout, Order, OrderLine, ShippingRate
from tests.orders.factories import JAKARTA, ProductFactory, place
from tests.orders.test_views import add, cart_of, checkout_data, msgs

pytestmark = pytest.mark.django_db

SONGKET_PRICE = 2_500_000


@pytest.fixture
def songket(palembang):
    return ProductFactory(
        facility=palembang,
        name="Songket Lepus",
        price=SONGKET_PRICE,
        made_to_order=True,
        stock=0,
        lead_time_days=60,
        weight_grams=900,
    )


@pytest.fixture
def tenun(palembang):
    return ProductFactory(
        facility=palembang,
        name="Tenun Ikat",
        price=SONGKET_PRICE,
        made_to_order=True,
        stock=0,
        lead_time_days=30,
    )


def place_over_http(client, facility, delivery="pickup"):
    data = checkout_data(client, {facility: (delivery, "bank_transfer")})
    return client.post("/checkout/", data)


def test_the_reported_order_places_and_its_totals_are_stored_exactly(client, songket, palembang):
    # The exact reproduction: anonymous, 1.000 × Rp 2.500.000, made to order.
    assert add(client, songket, 1000).status_code == 302
    response = place_over_http(client, palembang)
    assert response.status_code == 302, response.content.decode()[:500]
    order = Order.objects.get()
    assert (order.subtotal, order.total) == (2_500_000_000, 2_500_000_000)
    line = OrderLine.objects.get()
    assert (line.quantity, line.unit_price, line.line_total) == (1000, SONGKET_PRICE, 2_500_000_000)
    assert cart_of(client) == {}
    # The confirmation shows the amount in full.
    assert "Rp 2.500.000.000" in client.get(response.url).content.decode()


def test_the_reported_order_by_courier_stores_shipping_and_weight(songket):
    # 1.000 × 900 g by courier: the fee and weight columns take it too.
    order = place([(songket, 1000)], delivery="courier", address=JAKARTA).orders[0]
    order.refresh_from_db()
    assert order.total_weight_grams == 900_000
    assert order.total == 2_500_000_000 + order.shipping_fee > 2_500_000_000


def test_a_line_over_the_limit_is_refused_at_add_with_a_message(client, songket):
    response = add(client, songket, 9_999)  # Rp 24.997.500.000
    assert response.status_code == 302
    text = msgs(response)
    assert "melebihi batas satu pesanan Rp 10.000.000.000" in text
    assert "9.999 × Rp 2.500.000 = Rp 24.997.500.000" in text
    assert "paling banyak 4.000" in text
    assert cart_of(client) == {}
    # Exactly the limit is accepted.
    assert add(client, songket, MAX_ORDER_TOTAL // SONGKET_PRICE).status_code == 302
    assert cart_of(client)[str(songket.pk)]["q"] == 4000


def test_lines_of_one_facility_may_not_add_up_past_the_limit(client, songket, tenun, miniature):
    add(client, songket, 3000)  # Rp 7,5 miliar
    response = add(client, tenun, 1001)  # + Rp 2.502.500.000
    assert "Pesanan dari Lapas Perempuan Palembang Uji" in msgs(response)
    assert str(tenun.pk) not in cart_of(client)
    add(client, tenun, 1000)  # exactly Rp 10 miliar
    # Another facility's line is another order, with its own limit.
    add(client, miniature, 1)
    assert set(cart_of(client)) == {str(songket.pk), str(tenun.pk), str(miniature.pk)}


def test_a_cart_pushed_over_the_limit_is_refused_then_recovers(client, songket, tenun, palembang):
    add(client, songket, 3000)
    add(client, tenun, 1000)
    # Staff raise a price after the shopper added: Rp 7,5 + 3 miliar.
    Product.objects.filter(pk=tenun.pk).update(price=3_000_000)
    page = client.get("/keranjang/")
    assert page.status_code == 200
    assert "melebihi batas satu pesanan" in msgs(page)

    data = checkout_data(client, {palembang: ("pickup", "bank_transfer")})
    refused = client.post("/checkout/", data)
    assert refused.status_code == 400
    assert "melebihi batas satu pesanan" in refused.content.decode()
    assert not Order.objects.exists() and not Checkout.objects.exists()

    # Not stuck: the line can be changed (and removed) like any other.
    changed = client.post("/keranjang/ubah/", {"product": songket.pk, "quantity": 2000})
    assert "Jumlah diperbarui" in msgs(changed)
    assert "melebihi" not in msgs(client.get("/keranjang/"))
    assert place_over_http(client, palembang).status_code == 302
    assert Order.objects.get().total == 2000 * SONGKET_PRICE + 1000 * 3_000_000


def test_a_line_whose_price_rose_past_the_limit_is_lowered_with_a_notice(client, songket):
    add(client, songket, 4000)
    Product.objects.filter(pk=songket.pk).update(price=5_000_000)
    page = client.get("/keranjang/")
    assert "jumlah disesuaikan menjadi 2000" in msgs(page)
    assert cart_of(client)[str(songket.pk)]["q"] == 2000


def test_a_line_that_cannot_fit_even_at_its_minimum_is_removed(client, songket):
    Product.objects.filter(pk=songket.pk).update(min_order_quantity=500)
    add(client, songket, 500)
    Product.objects.filter(pk=songket.pk).update(price=MAX_UNIT_AMOUNT)
    page = client.get("/keranjang/")
    assert "dihapus dari keranjang" in msgs(page)
    assert cart_of(client) == {}


def test_shipping_that_takes_an_order_over_the_limit_is_refused_and_writes_nothing(
    songket, palembang
):
    ShippingRate.objects.filter(facility=palembang).update(
        first_kg_fee=MAX_UNIT_AMOUNT, next_kg_fee=MAX_UNIT_AMOUNT
    )
    with pytest.raises(services.OrderError, match="melebihi batas satu pesanan"):
        place([(songket, 20)], delivery="courier", address=JAKARTA)
    assert not Order.objects.exists() and not Checkout.objects.exists()


def test_order_place_refuses_a_line_over_the_limit_even_without_the_cart(songket):
    with pytest.raises(services.OrderError, match="melebihi batas") as error:
        place([(songket, 9_999)])
    assert error.value.stale_cart
    assert not Order.objects.exists()


def test_typed_amounts_are_capped_with_an_indonesian_message(songket):
    songket.price = MAX_UNIT_AMOUNT + 1
    with pytest.raises(ValidationError) as error:
        songket.full_clean(exclude=["search_vector"])
    assert error.value.message_dict["price"] == ["Nominal paling besar Rp 1.000.000.000."]
    rate = ShippingRate.objects.first()
    rate.next_kg_fee = 10**19  # beyond bigint: a message too, not a 500
    with pytest.raises(ValidationError) as error:
        rate.full_clean()
    assert "next_kg_fee" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_the_migration_widens_existing_columns_and_keeps_their_rows(songket):
    """Run the money migrations backwards and forwards over a database with rows."""
    order = place([(songket, 3)]).orders[0]
    graph = MigrationExecutor(connection).loader.graph
    # Found by name, so a renumbered migration is still the one tested.
    money = [key for key in graph.nodes if key[1].endswith("_money_columns_bigint")]
    assert {app for app, _ in money} == {"orders", "catalog"}
    targets_before = [
        parent for key in money for parent in graph.node_map[key].parents if parent[0] == key[0]
    ]

    def column_type(table, column):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT data_type FROM information_schema.columns "
                "WHERE table_name = %s AND column_name = %s",
                [table, column],
            )
            return cursor.fetchone()[0]

    executor = MigrationExecutor(connection)
    executor.migrate(targets_before)
    assert column_type("orders_order", "total") == "integer"
    assert column_type("catalog_product", "price") == "integer"
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    for table, column in [
        ("orders_order", "subtotal"),
        ("orders_order", "shipping_fee"),
        ("orders_order", "total"),
        ("orders_order", "total_weight_grams"),
        ("orders_orderline", "unit_price"),
        ("orders_orderline", "line_total"),
        ("orders_shippingrate", "first_kg_fee"),
        ("orders_deliverysettings", "local_delivery_fee"),
        ("catalog_product", "price"),
        ("catalog_consignmentmovement", "unit_price"),
    ]:
        assert column_type(table, column) == "bigint", (table, column)
    order.refresh_from_db()
    assert order.total == 3 * SONGKET_PRICE
    # What the old columns refused, the widened ones store (the constraints still hold).
    Order.objects.filter(pk=order.pk).update(subtotal=2_500_000_000, total=2_500_000_000)
    assert Order.objects.get(pk=order.pk).total == 2_500_000_000
