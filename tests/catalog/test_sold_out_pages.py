"""At the edge of sold out (docs/flash-sale.md): the sale that takes the
last unit retires the product's pages, so the next shopper reads "Stok habis"
from the page cache instead of "Stok siap" and a refusal from the cart.

Stock is taken by a plain UPDATE (catalog/stock.py), which sends no signal:
before, the product page kept offering the product for up to
PUBLIC_PAGE_CACHE_SECONDS after it sold out. In the 1,000-shopper drill 530
shoppers posted to the cart for a refusal on the sale's busiest seconds.
"""

from django.test import Client

from catalog import stock
from tests.orders.factories import ProductFactory, place, shop


def _page(path: str):
    response = Client().get(path)
    return response["X-Page-Cache"], response.content.decode()


def _product(db, units=2):
    return ProductFactory(facility=shop(), stock=units, name="Mukena Obral", slug="mukena-obral")


def test_a_sale_that_leaves_stock_keeps_the_page_the_last_unit_retires_it(db):
    product = _product(db)
    listing = product.facility.get_absolute_url()
    for path in (product.get_absolute_url(), listing):
        Client().get(path)
        assert _page(path)[0] == "hit"
    place([(product, 1)])
    # One left: the page may say 2 for its minute; the checkout counts again.
    assert _page(product.get_absolute_url())[0] == "hit"
    place([(product, 1)])
    state, html = _page(product.get_absolute_url())
    assert state == "miss" and "Stok habis" in html
    assert _page(listing)[0] == "miss"  # its card says "Stok habis" too


def test_control_without_the_retire_the_sold_out_product_is_still_offered(db, monkeypatch):
    monkeypatch.setattr(stock, "RETIRE_PAGES_ON_SELL_OUT", False)
    product = _product(db, units=1)
    Client().get(product.get_absolute_url())
    place([(product, 1)])
    state, html = _page(product.get_absolute_url())
    assert state == "hit" and "Stok habis" not in html and "Stok siap: 1" in html


def test_stock_given_back_offers_the_product_again(db):
    product = _product(db, units=1)
    place([(product, 1)])
    Client().get(product.get_absolute_url())
    assert "Stok habis" in _page(product.get_absolute_url())[1]
    stock.give_back({product.pk: 1})  # a cancellation, an expired payment
    state, html = _page(product.get_absolute_url())
    assert state == "miss" and "Stok siap: 1" in html
