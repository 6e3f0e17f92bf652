"""Quantity price tiers: one function prices a line in the cart, the checkout
and at placement, and placement re-checks it under the product lock."""

import pytest

from catalog.models import PriceTier, Product
from catalog.pricing import price_bands, tiers_problem, unit_price_for
from orders import services
from orders.models import Order
from tests.orders.factories import ProductFactory, place, shop
from tests.orders.test_views import add, cart_of, checkout_data


@pytest.fixture
def paving(db):
    product = ProductFactory(
        facility=shop(name="Lapas Kendari"),
        name="Paving Block",
        price=95_000,
        unit=Product.Unit.M2,
        stock=1_000,
        weight_grams=10,
    )
    PriceTier.objects.create(product=product, min_quantity=100, unit_price=85_000)
    PriceTier.objects.create(product=product, min_quantity=500, unit_price=80_000)
    return product


def fresh(product):
    return Product.objects.prefetch_related("price_tiers").get(pk=product.pk)


def test_unit_price_at_the_boundaries(paving):
    product = fresh(paving)
    assert unit_price_for(product, 1) == 95_000
    assert unit_price_for(product, 99) == 95_000
    assert unit_price_for(product, 100) == 85_000
    assert unit_price_for(product, 499) == 85_000
    assert unit_price_for(product, 500) == 80_000


def test_no_tiers_is_the_product_price(db):
    product = ProductFactory(price=12_345)
    assert unit_price_for(product, 1) == unit_price_for(product, 10_000) == 12_345


def test_bands_for_the_product_page(paving, client):
    bands = price_bands(fresh(paving))
    assert [(b.low, b.high, b.unit_price) for b in bands] == [
        (1, 99, 95_000),
        (100, 499, 85_000),
        (500, None, 80_000),
    ]
    body = client.get(paving.get_absolute_url()).content.decode()
    assert "1–99 m² Rp 95.000" in body
    assert "100–499 m² Rp 85.000" in body
    assert "500+ m² Rp 80.000" in body


def test_bands_start_at_the_minimum_order(paving):
    Product.objects.filter(pk=paving.pk).update(min_order_quantity=150)
    bands = price_bands(fresh(paving))
    assert [(b.low, b.high, b.unit_price) for b in bands] == [
        (150, 499, 85_000),
        (500, None, 80_000),
    ]


def test_tier_validation():
    assert tiers_problem(base_price=95_000, tiers=[(100, 85_000), (500, 80_000)]) is None
    assert "dua harga" in tiers_problem(base_price=95_000, tiers=[(100, 85_000), (100, 80_000)])
    assert "lebih murah" in tiers_problem(base_price=95_000, tiers=[(100, 96_000)])
    assert "lebih murah" in tiers_problem(base_price=95_000, tiers=[(100, 85_000), (500, 90_000)])
    assert "mulai jumlah 2" in tiers_problem(base_price=95_000, tiers=[(1, 85_000)])


@pytest.mark.parametrize("quantity, unit", [(99, 95_000), (100, 85_000)])
def test_cart_and_checkout_price_the_line_by_its_tier(paving, client, quantity, unit):
    assert add(client, paving, quantity).status_code == 302
    assert cart_of(client)[str(paving.pk)]["p"] == unit
    data = checkout_data(client, {paving.facility: ("pickup", "bank_transfer")}, address=False)
    response = client.post("/checkout/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    order = Order.objects.get(facility=paving.facility)
    line = order.lines.get()
    assert (line.unit_price, line.line_total) == (unit, unit * quantity)
    assert order.subtotal == unit * quantity


def test_changing_the_quantity_in_the_cart_moves_the_line_between_tiers(paving, client):
    add(client, paving, 99)
    client.post("/keranjang/ubah/", {"product": paving.pk, "quantity": 100})
    assert cart_of(client)[str(paving.pk)] == {"q": 100, "p": 85_000, "n": "Paving Block"}
    page = client.get("/keranjang/").content.decode()
    assert "Rp 8.500.000" in page
    assert "berubah" not in page  # moving to a tier is no price-change notice


def _place(product, quantity, expected):
    return place([(product, quantity)], expected_prices={product: expected})


def test_placement_prices_at_the_tier(paving):
    result = _place(paving, 100, 85_000)
    line = result.checkout.orders.get().lines.get()
    assert (line.unit_price, line.line_total) == (85_000, 8_500_000)


def test_placement_rechecks_a_tier_changed_since_the_cart(paving):
    # The shopper saw 85.000 for 100 m²; the facility raised the tier since.
    PriceTier.objects.filter(product=paving, min_quantity=100).update(unit_price=90_000)
    with pytest.raises(services.OrderError) as error:
        _place(paving, 100, 85_000)
    assert "Rp 90.000" in " ".join(error.value.messages)
    assert not Order.objects.exists()


def test_placement_refuses_the_retail_price_for_a_tier_quantity(paving):
    # A cart that stored the base price for a tier quantity is stale.
    with pytest.raises(services.OrderError):
        _place(paving, 100, 95_000)
