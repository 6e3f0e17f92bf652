"""Drill: random and hostile values at every public form and query parameter find no 500.

Hypothesis draws from a list of classic troublemakers (quotes, search
operators, SQL, NUL bytes, huge numbers, other scripts' digits, very long
strings) and from arbitrary text, and throws them at filters, search, cart,
checkout, tracking and the language switch. A 500 re-raises in the test
client, so a failure shows its traceback and Hypothesis' smallest example.
Examples are few per target so the whole sweep stays well under a minute.
"""

from urllib.parse import quote_from_bytes

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.drills.checkout_steps import checkout_form, fill_cart
from tests.orders.factories import ProductFactory, shop

pytestmark = pytest.mark.django_db

HOSTILE = [
    "",
    " ",
    "'",
    '"',
    "''",
    '"tidak ditutup',
    "a' OR '1'='1",
    "1; DROP TABLE catalog_product; --",
    "<script>alert(1)</script>",
    "%",
    "_",
    "\\",
    "\x00",
    "a\x00b",
    "&",
    "|",
    "!",
    ":*",
    "a & b | !c",
    "a <-> b",
    "-",
    "--",
    "OR",
    "NOT",
    '"kapal pinisi" -songket OR',
    "(",
    ")",
    "*",
    "😀",
    "\u202egnp.exe",
    "x" * 5000,
    "-1",
    "0",
    "1e309",
    "NaN",
    "inf",
    "9" * 40,
    "-" + "9" * 30,
    "0x1F",
    "1.5",
    " 12 ",
    "١٢٣",
    "１２３",
    "../../etc/passwd",
    "%00",
    "null",
    "true",
    "[]",
    "{}",
    "lapas",
    "price_desc",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
SWEEP = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)

CATALOG_PARAMS = [
    "q",
    "category",
    "facility",
    "province",
    "kind",
    "womens",
    "availability",
    "sort",
    "per_page",
    "page",
    "price_min",
    "price_max",
]


@pytest.fixture
def shop_with_products(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every example is a fresh attempt: the POST rate limits (tested on their
    # own) would otherwise answer 429 before the form sees the hostile value.
    settings.POST_RATE_LIMITS = []
    settings.RATE_LIMITS = {
        name: {**limit, "per_session": 10**9, "per_address": 10**9}
        for name, limit in settings.RATE_LIMITS.items()
    }
    facility = shop(name="Lapas Kelas IIA Kendari Sweep", slug="lapas-kendari-sweep")
    products = [
        ProductFactory(facility=facility, name="Miniatur Kapal Pinisi", stock=10**6),
        ProductFactory(facility=facility, name="Kain Songket", stock=10**6),
    ]
    return facility, products


def _ok(response, what):
    assert response.status_code < 500, what


@SWEEP
@given(params=st.dictionaries(st.sampled_from(CATALOG_PARAMS), VALUES, max_size=6))
def test_catalog_filters_and_search(client, shop_with_products, params):
    facility, products = shop_with_products
    category = products[0].category
    for path in ("/produk/", f"/kategori/{category.slug}/", f"/upt/{facility.slug}/"):
        _ok(client.get(path, params), (path, params))


@SWEEP
@given(province=VALUES, kind=VALUES, raw=st.binary(max_size=200))
def test_directory_filters_and_raw_query_strings(client, shop_with_products, province, kind, raw):
    _ok(client.get("/upt/", {"province": province, "kind": kind}), (province, kind))
    # Bytes that are not UTF-8, percent-encoded as a hostile client might send them.
    query = "q=" + quote_from_bytes(raw)
    for path in (
        "/produk/",
        "/upt/",
        "/",
        "/sitemap.xml",
        "/dampak/",
        "/pameran/",
        "/feed/google.xml",
    ):
        _ok(client.get(path, QUERY_STRING=query), (path, raw))


@SWEEP
@given(product=VALUES, quantity=VALUES, remove=VALUES)
def test_cart_forms(client, shop_with_products, product, quantity, remove):
    real = str(shop_with_products[1][0].pk)
    for pid in (product, real):
        _ok(client.post("/keranjang/tambah/", {"product": pid, "quantity": quantity}), pid)
        _ok(
            client.post(
                "/keranjang/ubah/", {"product": pid, "quantity": quantity, "remove": remove}
            ),
            pid,
        )
    _ok(client.get("/keranjang/"), "cart page")


@pytest.fixture
def checkout_fields(client, shop_with_products):
    facility, products = shop_with_products
    fill_cart(client, products[0])
    form = checkout_form(client, facility)
    return form, sorted(form)


@SWEEP
@given(data=st.data())
def test_checkout_form(client, checkout_fields, data):
    form, names = checkout_fields
    hostile = data.draw(st.dictionaries(st.sampled_from(names), VALUES, min_size=1, max_size=6))
    posted = {**form, **hostile}
    # Keep the idempotency key fresh unless it is under attack, so each
    # example is a new checkout rather than the first one's confirmation.
    response = client.post("/checkout/", posted)
    _ok(response, hostile)
    if response.status_code == 302 and "/selesai/" in response.url:
        fill_cart(client, *checkout_fields_products(client))


def checkout_fields_products(client):
    from catalog.models import Product

    return list(Product.objects.filter(name="Miniatur Kapal Pinisi"))


@SWEEP
@given(code=VALUES, phone=VALUES)
def test_tracking_form_and_order_pages(client, shop_with_products, code, phone):
    _ok(client.post("/lacak/", {"code": code, "phone": phone}), (code, phone))
    segment = quote_from_bytes(code.encode(), safe="") or "X"
    for path in (f"/lacak/{segment}/", f"/pesanan/{segment}/selesai/"):
        _ok(client.get(path), path)
    _ok(client.post(f"/lacak/{segment}/batal/", {"reason": phone}), code)
    _ok(client.post(f"/lacak/{segment}/bukti/", {"receipt": phone}), code)


@SWEEP
@given(language=VALUES, next_url=VALUES)
def test_language_switch(client, db, language, next_url):
    _ok(client.post("/i18n/setlang/", {"language": language, "next": next_url}), language)
