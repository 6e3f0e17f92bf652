"""The app behind a real varnishd running deploy/varnish/cache.vcl
(tests/edge/conftest.py): public pages shared whatever the visitor's cookies,
the language in the key, private pages passed with their cookies, buying
without JavaScript through a cached product page, and a staff save purging
the changed page within a second."""

import re
import time
from html import unescape
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from catalog.services import product_update
from core.models import EdgePurge
from tests.catalog.factories import ProductFactory, ProductImageFactory
from tests.factories import facility_staff

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kursi(transactional_db):
    product = ProductFactory(name="Kursi Jati Ukir", slug="kursi-jati-ukir", stock=7)
    ProductImageFactory(product=product)
    return product


class Shopper:
    """A browser through the edge: its own cookies."""

    def __init__(self, varnish, **cookies):
        self.varnish = varnish
        self.cookies = dict(cookies)

    def request(self, method, path, fields=None, headers=None):
        headers = {"Host": f"127.0.0.1:{self.varnish.port}", **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = headers["Referer"] = f"http://127.0.0.1:{self.varnish.port}"
        response, content = self.varnish.request(method, path, headers=headers, body=body)
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response, content.decode()

    def get(self, path):
        return self.request("GET", path)


def test_a_public_page_is_shared_whatever_the_visitors_cookies(varnish, kursi):
    first, first_body = Shopper(varnish).get("/produk/")
    assert first.status == 200 and first.headers["X-Edge-Cache"] == "miss"
    crowd = Shopper(varnish, sessionid="someone", csrftoken="x" * 32, kb_cart="3", _ga="1")
    second, second_body = crowd.get("/produk/")
    assert second.headers["X-Edge-Cache"] == "hit"
    assert second_body == first_body and "Kursi Jati Ukir" in second_body
    assert second.headers.get_all("Set-Cookie") is None
    assert "s-maxage=" in second.headers["Cache-Control"]
    assert "xkey" not in second.headers


def test_the_language_is_part_of_the_key(varnish, kursi):
    indonesian, id_body = Shopper(varnish).get("/produk/")
    english, en_body = Shopper(varnish, django_language="en", sessionid="a").get("/produk/")
    assert english.headers["X-Edge-Cache"] == "miss"
    assert english.headers["Content-Language"] == "en" and en_body != id_body
    again, again_body = Shopper(varnish, django_language="en", sessionid="b").get("/produk/")
    assert again.headers["X-Edge-Cache"] == "hit" and again_body == en_body
    still, still_body = Shopper(varnish, django_language="xx").get("/produk/")
    assert still.headers["X-Edge-Cache"] == "hit" and still_body == id_body


def test_private_pages_pass_with_their_cookies_and_buying_without_javascript_works(varnish, kursi):
    Shopper(varnish).get(kursi.get_absolute_url())  # someone filled the edge
    shopper = Shopper(varnish)
    page, body = shopper.get(kursi.get_absolute_url())
    assert page.headers["X-Edge-Cache"] == "hit"
    # The product page's form, as a browser without JavaScript submits it.
    action = unescape(re.search(r'id="beli" method="get" action="([^"]+)"', body).group(1))
    buy, buy_body = shopper.get(f"{action}?product={kursi.pk}&quantity=2")
    assert buy.status == 200 and buy.headers["X-Edge-Cache"] == "pass"
    assert "no-store" in buy.headers["Cache-Control"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', buy_body).group(1)
    added, _ = shopper.request(
        "POST",
        "/keranjang/tambah/",
        {"csrfmiddlewaretoken": token, "product": kursi.pk, "quantity": 2},
    )
    assert added.status == 302 and added.headers["Location"] == "/keranjang/"
    cart, cart_body = shopper.get("/keranjang/")
    assert cart.headers["X-Edge-Cache"] == "pass"
    assert "Ditambahkan ke keranjang: Kursi Jati Ukir." in cart_body
    assert re.search(rf'id="q-{kursi.pk}" type="number" name="quantity" value="2"', cart_body)
    # Back on the shared page: the same bytes as everyone's, the count in a cookie.
    again, again_body = shopper.get(kursi.get_absolute_url())
    assert again.headers["X-Edge-Cache"] == "hit" and again_body == body
    assert shopper.cookies["kb_cart"] == "1"


def test_a_staff_save_purges_the_changed_page_within_a_second(varnish, kursi):
    path = kursi.get_absolute_url()
    Shopper(varnish).get(path)
    cached, _ = Shopper(varnish).get(path)
    assert cached.headers["X-Edge-Cache"] == "hit"
    saved_at = time.monotonic()
    product_update(product=kursi, actor=facility_staff(kursi.facility), price=99_000)
    fresh, body = Shopper(varnish).get(path)
    assert time.monotonic() - saved_at < 1
    assert fresh.headers["X-Edge-Cache"] == "miss" and "Rp 99.000" in body
    assert not EdgePurge.objects.exists()


def test_staff_browsers_pass(varnish, kursi):
    Shopper(varnish).get("/produk/")
    staff, _ = Shopper(varnish, kb_staff="1").get("/produk/")
    assert staff.headers["X-Edge-Cache"] == "pass"


def test_purges_need_the_header(varnish, kursi):
    response, _ = Shopper(varnish).request("PURGE", "/")
    assert response.status == 400
    purged, _ = Shopper(varnish).request("PURGE", "/", headers={"xkey-purge": "global"})
    assert purged.status == 200


def test_a_purge_that_failed_reaches_the_edge_on_the_retry(varnish, kursi, settings):
    from core.edge_purge import edge_purges_retry

    path = kursi.get_absolute_url()
    Shopper(varnish).get(path)
    # The edge's address was wrong for this save (a typo, a restart).
    settings.EDGE_PURGE_URLS = [varnish.url.replace(str(varnish.port), "1")]
    product_update(product=kursi, actor=facility_staff(kursi.facility), price=99_000)
    stale, body = Shopper(varnish).get(path)
    assert stale.headers["X-Edge-Cache"] == "hit" and "Rp 99.000" not in body
    row = EdgePurge.objects.get()
    row.url = varnish.url  # back on the right address
    row.save()
    settings.EDGE_PURGE_URLS = [varnish.url]
    assert edge_purges_retry() == 0
    fresh, body = Shopper(varnish).get(path)
    assert fresh.headers["X-Edge-Cache"] == "miss" and "Rp 99.000" in body
