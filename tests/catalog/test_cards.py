"""Product cards stored once per product version and language (catalog/cards.py)."""

import re

from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from catalog import cards
from catalog.services import product_update
from tests.catalog.factories import ProductFactory, ProductImageFactory


def _listing(db, n=3):
    products = [ProductFactory(name=f"Kursi {i}", slug=f"kursi-{i}") for i in range(n)]
    for product in products:
        ProductImageFactory(product=product)
    return products


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_a_listing_renders_each_card_once_then_reads_them_in_one_multi_get(db, monkeypatch):
    _listing(db)
    rendered = []
    real = cards.render_card
    monkeypatch.setattr(
        cards, "render_card", lambda p, e=False: rendered.append(p.pk) or real(p, e)
    )
    first = Client().get("/produk/").text
    assert len(rendered) == 3
    gets = []
    real_get_many = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda keys: gets.append(keys) or real_get_many(keys))
    second = Client().get("/produk/").text
    assert len(rendered) == 3  # nothing rendered again
    assert [len(keys) for keys in gets if any("kb:card:" in k for k in keys)] == [3]
    token = re.compile(r'value="[A-Za-z0-9]{64}"')
    assert token.sub("", first) == token.sub("", second)


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_a_changed_price_stock_or_name_shows_at_once(db):
    (a, *_rest) = _listing(db)
    Client().get("/produk/")
    product_update(product=a, actor=None, price=77_000, stock=0)
    page = Client().get("/produk/").text
    assert "Rp 77.000" in page and "Stok habis" in page
    # A stock sold at checkout is a plain UPDATE (updated_at unchanged): the
    # card's key holds the stock state too.
    type(a).objects.filter(pk=a.pk).update(stock=50)
    assert "Stok habis" not in Client().get("/produk/").text


def test_cards_differ_by_language_and_only_the_first_photo_is_eager(db):
    from django.utils import translation

    from catalog.selectors import public_products

    _listing(db)
    products = list(public_products().order_by("id"))
    with translation.override("id"):
        indonesian = cards.product_cards(products)
    with translation.override("en"):
        english = cards.product_cards(products)
    assert indonesian.count("Stok siap") == 3 and "In stock" not in indonesian
    assert english.count("In stock") == 3
    assert indonesian.count('fetchpriority="high"') == 1
    assert cards.product_cards(products, eager_first=False).count('fetchpriority="high"') == 0


@override_settings(PUBLIC_PAGE_CACHE_SECONDS=0)
def test_query_count_is_the_same_with_cards_stored(db):
    _listing(db)
    client = Client()
    client.get("/produk/")
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get("/produk/")
    with CaptureQueriesContext(connection) as warm:
        client.get("/produk/")
    assert len(warm) <= len(cold)
