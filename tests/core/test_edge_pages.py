"""Public pages a shared HTTP cache may keep (core/edge.py, core/page_cache.py,
docs/edge-cache.md): the same bytes for every visitor, the edge's headers,
no cookie, everything else private, and buying without JavaScript through a
shared product page."""

import re
import time
from html import unescape

import pytest
from django.conf import settings
from django.test import Client

from myorders.codes import SIGNED_IN_KEY
from tests.catalog.factories import ProductFactory, ProductImageFactory

CACHE_CONTROL = re.compile(
    r"^public, max-age=0, s-maxage=(\d+), stale-while-revalidate=\d+, stale-if-error=\d+$"
)


@pytest.fixture
def kursi(db):
    product = ProductFactory(name="Kursi Jati Ukir", slug="kursi-jati-ukir", stock=7)
    ProductImageFactory(product=product)
    return product


def _public_paths(product):
    return [
        "/",
        "/produk/",
        "/produk/?q=kursi&sort=newest",
        product.get_absolute_url(),
        f"/kategori/{product.category.slug}/",
        "/upt/",
        product.facility.get_absolute_url(),
        "/pameran/",
        "/dampak/",
    ]


def _with_cart(product) -> Client:
    client = Client()
    client.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1})
    return client


def _with_a_waiting_message(product) -> Client:
    client = _with_cart(product)  # "Ditambahkan ke keranjang" waits
    assert client.cookies["kb_msg"].value == "1"
    return client


def _signed_in_shopper() -> Client:
    client = Client()
    session = client.session
    session[SIGNED_IN_KEY] = {"phone": "+6281234567890", "until": time.time() + 3600}
    session.save()
    return client


@pytest.mark.parametrize("cache_seconds", [60, 0], ids=["page-cache-on", "page-cache-off"])
def test_public_pages_are_the_same_bytes_for_every_visitor(kursi, settings, cache_seconds):
    settings.PUBLIC_PAGE_CACHE_SECONDS = cache_seconds
    visitors = {
        "anonymous": Client(),
        "with a cart": _with_cart(kursi),
        "with a message waiting": _with_a_waiting_message(kursi),
        "signed in to Pesanan saya": _signed_in_shopper(),
        "another anonymous": Client(),
    }
    for path in _public_paths(kursi):
        bodies = {}
        for who, client in visitors.items():
            response = client.get(path)
            assert response.status_code == 200, (path, who)
            assert not response.cookies, (path, who, response.cookies)
            bodies[who] = response.content
        first = bodies["anonymous"]
        differing = [who for who, body in bodies.items() if body != first]
        assert not differing, (path, differing)
        assert b"csrfmiddlewaretoken" not in first and b"cart-count" not in first, path
        assert b"Ditambahkan ke keranjang" not in first, path


def test_public_pages_say_so_to_the_edge_with_their_tags(kursi):
    for path in _public_paths(kursi):
        for _ in range(2):  # built, then from the page cache
            response = Client().get(path)
            match = CACHE_CONTROL.match(response["Cache-Control"])
            assert match, (path, response["Cache-Control"])
            assert int(match.group(1)) == settings.PUBLIC_PAGE_CACHE_SECONDS
            tags = response["Surrogate-Key"].split()
            assert "global" in tags, (path, tags)
    product_tags = Client().get(kursi.get_absolute_url())["Surrogate-Key"].split()
    assert f"product:{kursi.slug}" in product_tags
    assert "any" not in product_tags  # the product page says what it shows


PRIVATE = ["/keranjang/", "/checkout/", "/pesanan-saya/", "/lacak/", "/admin/login/", "/sesi.json"]


@pytest.mark.parametrize("path", PRIVATE)
def test_every_other_page_is_private(db, path):
    response = Client().get(path, follow=True)
    cache_control = response["Cache-Control"]
    assert "private" in cache_control and "no-store" in cache_control, (path, cache_control)
    assert "Surrogate-Key" not in response


def test_posts_are_private(kursi):
    response = Client().post("/keranjang/tambah/", {"product": kursi.pk, "quantity": 1})
    assert "no-store" in response["Cache-Control"]


def test_language_is_the_only_thing_besides_the_address_a_page_depends_on(kursi):
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english.cookies["_ga"] = "GA1.2.3"  # any other cookie changes nothing
    other_english = Client()
    other_english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = english.get("/produk/")
    assert page["Content-Language"] == "en"
    assert page.content == other_english.get("/produk/").content
    assert page.content != Client().get("/produk/").content
    # The browser's own language is not asked (core/language.py).
    assert (
        Client(headers={"accept-language": "en"}).get("/produk/").content
        == Client().get("/produk/").content
    )


def test_buying_without_javascript_through_the_shared_product_page(kursi):
    shopper = Client(enforce_csrf_checks=True)
    Client().get(kursi.get_absolute_url())  # someone else's visit filled the cache
    page = shopper.get(kursi.get_absolute_url())
    assert page["X-Page-Cache"] == "hit"
    form = re.search(
        r'<form class="add-to-cart" id="beli" method="get" action="([^"]+)"', page.text
    )
    assert form, "the product page's buy form opens a page of the shopper's own"
    field = r'<input[^>]*name="(product|quantity)"[^>]*value="([^"]*)"'
    fields = dict(re.findall(field, page.text))
    fields["quantity"] = "2"
    buy = shopper.get(unescape(form.group(1)), fields)
    assert buy.status_code == 200 and "no-store" in buy["Cache-Control"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', buy.text).group(1)
    assert re.search(r'name="quantity"[^>]*value="2"', buy.text)
    added = shopper.post(
        "/keranjang/tambah/",
        {"csrfmiddlewaretoken": token, "product": kursi.pk, "quantity": 2},
    )
    assert added.status_code == 302 and added["Location"] == "/keranjang/"
    cart = shopper.get("/keranjang/")
    assert "Ditambahkan ke keranjang: Kursi Jati Ukir." in cart.text
    assert re.search(rf'id="q-{kursi.pk}" type="number" name="quantity" value="2"', cart.text)
    assert '<span class="cart-count">(1)</span>' in cart.text  # a page of their own


def test_the_buy_page_of_a_product_no_longer_sold_goes_to_the_cart(db):
    response = Client().get("/keranjang/beli/", {"product": 999999})
    assert response.status_code == 302 and response["Location"] == "/keranjang/"


def test_the_script_gets_a_token_and_adds_to_the_cart(kursi):
    shopper = Client(enforce_csrf_checks=True)
    token = shopper.get("/keranjang/token/").json()["token"]
    added = shopper.post(
        "/keranjang/tambah/",
        {"product": kursi.pk, "quantity": 1},
        headers={"accept": "application/json", "x-csrftoken": token},
    )
    assert added.status_code == 200 and added.json()["count"] == 1
    assert added.cookies["kb_cart"].value == "1"


def test_the_buy_page_keeps_the_quantity_within_bounds(kursi):
    for asked, shown in (("0", "1"), ("abc", "1"), ("99999999", "9999"), ("3", "3")):
        page = Client().get("/keranjang/beli/", {"product": kursi.pk, "quantity": asked})
        assert re.search(rf'name="quantity"[^>]*value="{shown}"', page.text), (asked, shown)


def test_the_edge_keeps_pages_for_its_own_time_when_set(kursi, settings):
    """EDGE_CACHE_SECONDS: the edge keeps a page longer than the page cache
    (purged by tag on writes); unset, the page cache's time, as before."""
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    path = kursi.get_absolute_url()
    settings.EDGE_CACHE_SECONDS = 0
    assert "s-maxage=60," in Client().get(path)["Cache-Control"]  # built (miss)
    settings.EDGE_CACHE_SECONDS = 3600
    assert "s-maxage=3600," in Client().get(path)["Cache-Control"]  # from the page cache
