"""Rate limits on the public POSTs that make work: checkout and receipt upload."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def limits(settings):
    settings.POST_RATE_LIMITS = [
        (r"^/checkout/$", "checkout", 3, 600),
        (r"^/lacak/[^/]+/bukti/$", "receipt", 2, 3600),
    ]


def _reload_middleware(client):
    # The middleware reads its rules once, at start-up: start a fresh handler.
    client.handler.load_middleware()


def test_checkout_posts_beyond_the_limit_get_429(client, db, limits):
    _reload_middleware(client)
    statuses = [
        client.post("/checkout/", {}, REMOTE_ADDR="203.0.113.5").status_code for _ in range(4)
    ]
    assert 429 not in statuses[:3]
    assert statuses[3] == 429
    page = client.post("/checkout/", {}, REMOTE_ADDR="203.0.113.5")
    assert page.status_code == 429
    assert "Terlalu banyak permintaan" in page.content.decode()


def test_the_limit_is_per_client_address(client, db, limits):
    _reload_middleware(client)
    for _ in range(4):
        client.post("/checkout/", {}, REMOTE_ADDR="203.0.113.5")
    assert client.post("/checkout/", {}, REMOTE_ADDR="198.51.100.7").status_code != 429


def test_reading_pages_is_never_limited(client, db, limits):
    _reload_middleware(client)
    for _ in range(6):
        assert client.get("/checkout/", REMOTE_ADDR="203.0.113.5").status_code != 429


def test_receipt_uploads_are_limited(client, db, limits):
    _reload_middleware(client)
    url = "/lacak/ABCDEFGH/bukti/"
    statuses = [client.post(url, {}, REMOTE_ADDR="203.0.113.5").status_code for _ in range(3)]
    assert statuses[:2] != [429, 429] and statuses[2] == 429


def test_the_production_limits_are_set(settings):
    names = {name: (limit, window) for _p, name, limit, window in settings.POST_RATE_LIMITS}
    assert names["checkout"][0] >= 5 and names["receipt"][0] >= 3


def _track(client, code, forwarded):
    # As nginx passes it on: the TCP peer is nginx, the client is in X-Forwarded-For.
    return client.post(
        "/lacak/",
        {"code": code, "phone": "081234567890"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_nginx_each_shopper_has_their_own_tracking_limit(client, db, settings):
    from orders.views import TRACK_LIMIT

    settings.TRUSTED_PROXY_COUNT = 1
    guesser = "6.6.6.6, 203.0.113.50"  # the first entry is the client's own claim
    statuses = [
        _track(client, f"SALAH{i:04d}", guesser).status_code for i in range(TRACK_LIMIT + 1)
    ]
    assert statuses[-1] == 429
    # Another shopper behind the same nginx is not locked out by the guesser...
    assert _track(client, "SALAH9999", "198.51.100.8").status_code == 404
    # ...and the guesser cannot escape by writing a new address in front.
    assert _track(client, "SALAH9998", "7.7.7.7, 203.0.113.50").status_code == 429


def test_without_trusted_proxies_forwarded_headers_are_ignored(client, db, settings):
    from orders.views import TRACK_LIMIT

    settings.TRUSTED_PROXY_COUNT = 0
    for i in range(TRACK_LIMIT):
        _track(client, f"SALAH{i:04d}", f"203.0.113.{i}")
    # Every request came from 127.0.0.1: forged X-Forwarded-For changes nothing.
    assert _track(client, "SALAH9999", "198.51.100.8").status_code == 429
