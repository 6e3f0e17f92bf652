"""Finding 3 over HTTP: X-Forwarded-For is believed only from the trusted proxy.

The attacker connects straight to gunicorn (from 127.0.0.2, not the nginx at
127.0.0.1 that TRUSTED_PROXIES names by default) and writes a new
X-Forwarded-For with every request. The tracking limit and the admin lockout
hold. Each is paired with a control: the same requests through the trusted
proxy, with a different client address each time, are believed, which is what
any client's header used to get.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from tests.journeys.conftest import Browser

pytestmark = [pytest.mark.journeys, pytest.mark.django_db(transaction=True)]

GUESSES = 30  # RATE_LIMIT_TRACK: failed guesses per address per 10 minutes
PASSWORD = "kata-sandi-kuat-123"


def _guesses(server, *, direct: bool) -> list[int]:
    statuses = []
    for n in range(GUESSES + 1):
        # A new phone each time (no cookies, so no session limit) with a new
        # address written in the header.
        phone = Browser(server, f"10.{n}.0.1", direct=direct)
        token = phone.get("/lacak/").csrf
        fields = {"csrfmiddlewaretoken": token, "code": "ACDEFGHJKM", "phone": "081299990000"}
        statuses.append(phone.post("/lacak/", fields, forged=f"10.{n}.0.1").status)
    return statuses


def test_a_forged_header_straight_to_gunicorn_does_not_reset_the_tracking_limit(server):
    assert _guesses(server, direct=True) == [404] * GUESSES + [429]


def test_control_through_the_trusted_proxy_each_address_is_its_own(server):
    assert _guesses(server, direct=False) == [404] * (GUESSES + 1)


def _logins(server, username, *, direct: bool) -> int:
    """Five wrong passwords from five claimed addresses, then the right one."""
    for n in range(6):
        attacker = Browser(server, f"10.{n}.9.1", direct=direct)
        token = attacker.get("/admin/login/").csrf
        password = PASSWORD if n == 5 else "salah"
        answer = attacker.post(
            "/admin/login/?next=/admin/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
            forged=f"10.{n}.9.1",
        )
    return answer.status


def test_a_forged_header_straight_to_gunicorn_does_not_escape_the_admin_lockout(server):
    get_user_model().objects.create_user("petugas-jurnal", password=PASSWORD, is_staff=True)
    assert _logins(server, "petugas-jurnal", direct=True) == 429


def test_control_through_the_trusted_proxy_five_addresses_lock_nobody_out(server):
    get_user_model().objects.create_user("petugas-jurnal", password=PASSWORD, is_staff=True)
    assert _logins(server, "petugas-jurnal", direct=False) == 302  # logged in
