"""Rate limits: what is abusive is counted per session and per address, in the database.

Placed checkouts, failed tracking guesses and receipt uploads are limited; a
preview, a form the shopper is still fixing, a lookup that finds the order or
a checkout the shop refused are not counted. Many shoppers behind one
carrier-grade NAT address each get their own session's room. The counters
live in PostgreSQL, so every worker sees the same count (the journeys in
tests/journeys show it over HTTP against several gunicorn workers).
"""

import threading

import pytest
from django.db import connection
from django.test import Client, RequestFactory

from core.models import RateCounter
from core.rate_limits import RateLimit, rate_counters_purge, rate_limit
from orders.models import Checkout
from tests.orders.factories import ProductFactory, place, shop
from tests.regions_data import TEBET_POST

NAT = "203.0.113.5"  # one carrier-grade NAT address, many phones behind it
ADDRESS = {
    **TEBET_POST,
}


@pytest.fixture
def limits(settings):
    settings.RATE_LIMITS = {
        "checkout": {"per_session": 2, "per_address": 4, "window": 600},
        "track": {"per_session": 3, "per_address": 5, "window": 600},
        "receipt": {"per_session": 2, "per_address": 3, "window": 3600},
    }


@pytest.fixture
def product(db):
    return ProductFactory(facility=shop(name="Lapas Uji Batas"), stock=1000, price=50_000)


def _reload_middleware(client):
    # The middleware reads its rules once, at start-up: start a fresh handler.
    client.handler.load_middleware()


def _checkout_data(client, product, **overrides):
    """Fill the cart and return what the browser posts from the checkout page."""
    client.post("/keranjang/tambah/", {"product": product.pk, "quantity": 1}, REMOTE_ADDR=NAT)
    form = client.get("/checkout/", REMOTE_ADDR=NAT).context["form"]
    data = {
        "idempotency_key": form.idempotency_key,
        "cart_token": form.cart_token,
        "c-name": "Siti Aminah",
        "c-phone": "0812-3456-7890",
        "p-agree": "on",
        "action": "place",
        f"f{product.facility_id}-delivery": "courier",
        "g-payment": "bank_transfer",
        **ADDRESS,
    }
    data.update(overrides)
    return data


def _place(client, product, **overrides):
    return client.post("/checkout/", _checkout_data(client, product, **overrides), REMOTE_ADDR=NAT)


# --- checkout: only placed checkouts count ----------------------------------------


def test_previews_and_forms_being_fixed_are_never_limited(client, product, limits):
    data = _checkout_data(client, product)
    for _ in range(10):
        preview = client.post("/checkout/", {**data, "action": "preview"}, REMOTE_ADDR=NAT)
        assert preview.status_code == 200
        no_phone = client.post("/checkout/", {**data, "c-phone": ""}, REMOTE_ADDR=NAT)
        assert no_phone.status_code == 400
    assert not RateCounter.objects.filter(key__startswith="checkout:").exists()
    # The shopper's checkout goes through at the end.
    assert client.post("/checkout/", data, REMOTE_ADDR=NAT).status_code == 302


def test_placed_checkouts_are_limited_per_session(client, product, limits):
    assert _place(client, product).status_code == 302
    assert _place(client, product).status_code == 302
    refused = _place(client, product)
    assert refused.status_code == 429
    assert "Terlalu banyak permintaan" in refused.content.decode()
    assert Checkout.objects.count() == 2


def test_shoppers_behind_one_nat_address_are_not_refused_for_each_other(product, limits):
    # Four phones behind one address each fix their form twice, then place one
    # checkout: none is refused. The address limit (4) then stops a fifth
    # browser: a script that drops its cookies gets no more than that.
    for _phone in range(4):
        browser = Client()
        data = _checkout_data(browser, product)
        for _ in range(2):
            assert browser.post("/checkout/", {**data, "c-name": ""}, REMOTE_ADDR=NAT).status_code
        assert browser.post("/checkout/", data, REMOTE_ADDR=NAT).status_code == 302
    assert _place(Client(), product).status_code == 429
    # Elsewhere, nobody is affected.
    fresh = Client()
    data = _checkout_data(fresh, product)
    assert fresh.post("/checkout/", data, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_a_checkout_the_shop_refuses_is_not_counted(client, product, limits):
    from catalog.models import StockHold

    data = _checkout_data(client, product)
    # Sold out while the shopper was typing (their hold had lapsed).
    StockHold.objects.all().delete()
    product.stock = 0
    product.save(update_fields=["stock"])
    for _ in range(3):
        assert client.post("/checkout/", data, REMOTE_ADDR=NAT).status_code == 302  # to the cart
    assert Checkout.objects.count() == 0
    product.stock = 10
    product.save(update_fields=["stock"])
    assert _place(client, product).status_code == 302
    assert _place(client, product).status_code == 302


def test_a_double_submit_counts_once(client, product, limits):
    data = _checkout_data(client, product)
    for _ in range(4):
        assert client.post("/checkout/", data, REMOTE_ADDR=NAT).status_code == 302
    assert Checkout.objects.count() == 1
    assert _place(client, product).status_code == 302  # the session's second


# --- tracking: failed guesses, per session and per address -------------------------


def _guess(client, code="ACDEFGHJKM", phone="081299990000", ip=NAT):
    return client.post("/lacak/", {"code": code, "phone": phone}, REMOTE_ADDR=ip)


def test_failed_guesses_are_limited_per_session(client, product, limits):
    order = place([(product, 1)]).orders[0]
    assert [_guess(client).status_code for _ in range(3)] == [404, 404, 404]
    blocked = _guess(client, order.code, "081234567890")
    assert blocked.status_code == 429
    assert "Terlalu banyak percobaan" in blocked.content.decode()
    # Another phone behind the same address still finds its order...
    neighbour = Client()
    assert _guess(neighbour, order.code, "081234567890").status_code == 302


def test_finding_the_order_is_not_a_failed_guess(client, product, limits):
    order = place([(product, 1)]).orders[0]
    for _ in range(10):
        assert _guess(client, order.code, "0812-3456-7890").status_code == 302
    assert _guess(client).status_code == 404


def test_a_guesser_dropping_cookies_is_stopped_by_the_address_limit(product, limits):
    order = place([(product, 1)]).orders[0]
    statuses = [_guess(Client()).status_code for _ in range(6)]
    assert statuses == [404] * 5 + [429]
    # The shopper behind the same address, and everyone elsewhere, wait it out
    # or are unaffected; a refused guess does not use up more of the room.
    assert _guess(Client(), order.code, "081234567890", ip="198.51.100.7").status_code == 302
    assert RateCounter.objects.get(key=f"track:address:{NAT}").count == 5


# --- receipts: every upload POST counts ------------------------------------------


def test_receipt_uploads_are_limited(client, db, limits):
    _reload_middleware(client)
    url = "/lacak/ABCDEFGH/bukti/"
    statuses = [client.post(url, {}, REMOTE_ADDR=NAT).status_code for _ in range(3)]
    assert 429 not in statuses[:2] and statuses[2] == 429


def test_reading_pages_is_never_limited(client, product, limits):
    for _ in range(10):
        assert client.get("/lacak/", REMOTE_ADDR=NAT).status_code == 200
        assert client.get("/checkout/", REMOTE_ADDR=NAT).status_code != 429


def test_the_production_limits_are_set(settings):
    for name in ("checkout", "track", "receipt"):
        limit = rate_limit(name)
        assert 3 <= limit.per_session < limit.per_address, name
    assert rate_limit("track").per_session == 10


def test_an_unknown_limit_name_fails_loudly(settings):
    with pytest.raises(KeyError):
        rate_limit("chekout")


# --- the counter itself --------------------------------------------------------------


def _request(ip=NAT):
    return RequestFactory().post("/", REMOTE_ADDR=ip)


def test_a_window_that_has_passed_starts_again(db):
    limit = RateLimit(name="t", per_session=0, per_address=2, window=600)
    assert limit.consume(_request()) and limit.consume(_request())
    assert not limit.consume(_request())
    RateCounter.objects.update(expires_at="2000-01-01T00:00:00Z")
    assert limit.consume(_request())
    assert RateCounter.objects.get().count == 1


def test_expired_counters_are_purged(db):
    RateLimit(name="t", per_session=0, per_address=2, window=600).consume(_request())
    RateLimit(name="u", per_session=0, per_address=2, window=600).consume(_request())
    RateCounter.objects.filter(key__startswith="t:").update(expires_at="2000-01-01T00:00:00Z")
    assert rate_counters_purge() == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == [f"u:address:{NAT}"]


@pytest.mark.django_db(transaction=True)
def test_parallel_attempts_cannot_all_slip_under_the_limit():
    # 16 requests at once (as 16 gunicorn threads on any workers would send
    # them) against a limit of 5: the upsert's row lock lets exactly 5 through.
    limit = RateLimit(name="race", per_session=0, per_address=5, window=600)
    start = threading.Barrier(16)
    results = []

    def attempt():
        try:
            start.wait()
            results.append(limit.consume(_request()))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(True) == 5
    assert RateCounter.objects.get().count == 5
