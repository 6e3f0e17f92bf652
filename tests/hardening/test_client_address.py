"""The client's address: X-Forwarded-For only from TRUSTED_PROXIES, walked from the right."""

import pytest

from core.middleware import TrustedProxyMiddleware
from core.security import client_ip


@pytest.fixture
def proxies(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24", "::1"]


def _ip(rf, peer, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_ip(rf.get("/", REMOTE_ADDR=peer, **extra))


def test_a_chain_of_trusted_proxies_is_walked_past(rf, proxies):
    # Client -> nginx (10.0.0.3) -> load balancer (10.0.0.2) -> app; the client
    # wrote 6.6.6.6 itself.
    assert _ip(rf, "10.0.0.2", "6.6.6.6, 203.0.113.9, 10.0.0.3") == "203.0.113.9"


def test_a_client_cannot_pose_as_a_proxy_to_reach_further_left(rf, proxies):
    # Writing a trusted address in front only helps if the proxy saw it.
    assert _ip(rf, "10.0.0.2", "6.6.6.6, 10.0.0.9, 198.51.100.4") == "198.51.100.4"


def test_no_header_or_only_proxies_gives_the_last_proxy(rf, proxies):
    assert _ip(rf, "10.0.0.2") == "10.0.0.2"
    assert _ip(rf, "10.0.0.2", "10.0.0.7") == "10.0.0.7"


def test_garbage_in_the_header_stops_at_the_proxy_that_passed_it(rf, proxies):
    assert _ip(rf, "10.0.0.2", "unknown") == "10.0.0.2"
    assert _ip(rf, "10.0.0.2", "203.0.113.9:4431") == "10.0.0.2"


def test_ipv6(rf, proxies):
    assert _ip(rf, "::1", "2001:db8::5") == "2001:db8::5"
    assert _ip(rf, "2001:db8::66", "2001:db8::5") == "2001:db8::66"


def test_the_middleware_gives_every_later_reader_the_same_address(rf, proxies):
    seen = {}

    def view(request):
        seen["remote"] = request.META["REMOTE_ADDR"]
        seen["again"] = client_ip(request)  # as django-axes asks it

    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    TrustedProxyMiddleware(view)(request)
    assert seen == {"remote": "203.0.113.9", "again": "203.0.113.9"}


def test_without_trusted_proxies_the_header_is_never_read(rf, settings):
    settings.TRUSTED_PROXIES = []
    assert _ip(rf, "127.0.0.1", "203.0.113.9") == "127.0.0.1"


def test_logins_are_counted_where_every_worker_sees_them(settings):
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
