"""IPv6 clients are counted per /64, by every per-address limit and the login lockout.

One IPv6 subscriber holds a whole /64 and may send each request from a new
address of it. Counted per address (CLIENT_IPV6_PREFIX = 128, the controls
below), 60 addresses of one /64 made 60 tracking guesses and 30 password
tries with no lock; counted per /64 they are one client. IPv4 stays per
address: many honest shoppers share one carrier-grade NAT address.
"""

import pytest
from django.test import Client, RequestFactory

from core.rate_limits import rate_limit
from core.security import address_key, client_key
from tests.factories import UserFactory

SUBSCRIBER = "2001:db8:4a1:7c00"  # one /64


def _addresses(count: int, network: str = SUBSCRIBER) -> list[str]:
    return [f"{network}:{n:x}:{n * 7:x}:{n * 13:x}:{n + 1:x}" for n in range(count)]


def test_the_key_of_an_ipv6_address_is_its_64(settings):
    assert address_key("2001:db8:4a1:7c00:1:2:3:4") == "2001:db8:4a1:7c00::"
    assert address_key("2001:DB8:4A1:7C00::ffff") == "2001:db8:4a1:7c00::"
    assert address_key("2001:db8:4a1:7c01::1") == "2001:db8:4a1:7c01::"
    # IPv4, and IPv4 mapped into IPv6, count per address.
    assert address_key("203.0.113.5") == "203.0.113.5"
    assert address_key("::ffff:203.0.113.5") == "203.0.113.5"
    assert address_key("") == ""
    settings.CLIENT_IPV6_PREFIX = 56
    assert address_key("2001:db8:4a1:7cff::1") == "2001:db8:4a1:7c00::"


def test_the_key_follows_the_trusted_proxy(rf: RequestFactory, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    request = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="2001:db8:4a1:7c00::99")
    assert client_key(request) == "2001:db8:4a1:7c00::"


# --- tracking guesses --------------------------------------------------------------


def _guesses(addresses: list[str]) -> list[int]:
    # A new browser (no cookies) for every guess: only the address limit applies.
    return [
        Client().post("/lacak/", {"code": "ACDEFGHJKM", "phone": "081299990000"}, REMOTE_ADDR=a)
        for a in addresses
    ]


@pytest.mark.django_db
def test_sixty_addresses_of_one_64_hit_the_tracking_limit_like_one_address(settings):
    allowed = rate_limit("track").per_address  # the production figure, 30
    statuses = [r.status_code for r in _guesses(_addresses(60))]
    assert statuses == [404] * allowed + [429] * (60 - allowed)
    # The next /64 (another subscriber) and an IPv4 client are not affected.
    assert [r.status_code for r in _guesses(_addresses(1, "2001:db8:4a1:7c01"))] == [404]
    assert [r.status_code for r in _guesses(["203.0.113.5"])] == [404]


@pytest.mark.django_db
def test_control_counted_per_address_sixty_addresses_guess_sixty_times(settings):
    settings.CLIENT_IPV6_PREFIX = 128  # the old key: the full address
    statuses = [r.status_code for r in _guesses(_addresses(60))]
    assert statuses == [404] * 60  # the harm: no limit at all


@pytest.mark.django_db
def test_ipv4_neighbours_are_still_counted_apart(settings):
    statuses = [r.status_code for r in _guesses([f"203.0.113.{n}" for n in range(1, 61)])]
    assert statuses == [404] * 60


# --- the admin login lockout (django-axes) -----------------------------------------


@pytest.fixture
def staff_user(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return UserFactory(username="petugas-ipv6", is_staff=True, is_superuser=True)


def _password_tries(username: str, addresses: list[str]) -> list[int]:
    return [
        Client()
        .post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": "salah"},
            REMOTE_ADDR=address,
        )
        .status_code
        for address in addresses
    ]


def test_thirty_password_tries_from_one_64_lock(staff_user, settings):
    limit = settings.AXES_FAILURE_LIMIT
    statuses = _password_tries(staff_user.username, _addresses(30))
    assert statuses == [200] * (limit - 1) + [429] * (30 - limit + 1)
    # The owner, from another network, still logs in.
    staff_user.set_password("pass-word-123")
    staff_user.save()
    response = Client().post(
        "/admin/login/?next=/admin/",
        {"username": staff_user.username, "password": "pass-word-123"},
        REMOTE_ADDR="2001:db8:99::1",
    )
    assert response.status_code == 302


def test_control_counted_per_address_thirty_tries_never_lock(staff_user, settings):
    settings.CLIENT_IPV6_PREFIX = 128
    assert _password_tries(staff_user.username, _addresses(30)) == [200] * 30
