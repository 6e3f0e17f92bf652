"""Password hashing and admin login lockout."""

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import make_password

from tests.factories import UserFactory

PASSWORD = "pass-word-123"


def _login(client, username, password, ip="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


@pytest.fixture
def staff_user(db):
    return UserFactory(username="petugas-kendari", is_staff=True, is_superuser=True)


def test_new_passwords_are_hashed_with_argon2(staff_user, settings):
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert staff_user.password.startswith("argon2$argon2id$")


def test_an_older_pbkdf2_hash_is_upgraded_to_argon2_at_login(client, staff_user):
    staff_user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    staff_user.save(update_fields=["password"])
    response = _login(client, staff_user.username, PASSWORD)
    assert response.status_code == 302
    staff_user.refresh_from_db()
    assert staff_user.password.startswith("argon2$")


def test_admin_login_locks_out_after_the_failure_limit(client, staff_user, settings):
    limit = settings.AXES_FAILURE_LIMIT
    for _attempt in range(limit - 1):
        response = _login(client, staff_user.username, "salah")
        assert response.status_code == 200  # the login form again, with its error
    response = _login(client, staff_user.username, "salah")
    assert response.status_code == 429
    # Even the right password is refused now, with an Indonesian explanation.
    response = _login(client, staff_user.username, PASSWORD)
    assert response.status_code == 429
    assert "terlalu banyak percobaan" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lockout_does_not_lock_the_owner_out_from_elsewhere(client, staff_user, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _login(client, staff_user.username, "salah", ip="198.51.100.9")
    response = _login(client, staff_user.username, PASSWORD, ip="203.0.113.7")
    assert response.status_code == 302


def test_a_success_before_the_limit_resets_the_count(client, staff_user, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, staff_user.username, "salah")
    assert _login(client, staff_user.username, PASSWORD).status_code == 302
    client.logout()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, staff_user.username, "salah")
    assert _login(client, staff_user.username, PASSWORD).status_code == 302


def test_authenticating_without_a_request_still_works(staff_user):
    # Management commands and the test client authenticate without a request.
    assert authenticate(username=staff_user.username, password=PASSWORD) == staff_user
    assert authenticate(username=staff_user.username, password="salah") is None


def test_client_ip_trusts_only_the_proxies_it_is_told_about(rf, settings):
    from core.security import client_ip

    forwarded = "1.2.3.4, 198.51.100.20"  # the client wrote 1.2.3.4; nginx appended the rest
    settings.TRUSTED_PROXIES = []
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)) == (
        "10.0.0.2"
    )
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    via_proxy = rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(via_proxy) == "198.51.100.20"
    # Straight to the app from anywhere else: the header is the client's own words.
    direct = rf.get("/", REMOTE_ADDR="198.51.100.99", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(direct) == "198.51.100.99"


def test_forged_forwarded_for_does_not_escape_the_admin_lockout(client, staff_user, settings):
    # An attacker connecting straight to the app (not through the trusted
    # proxy) writes a new X-Forwarded-For with every attempt.
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    for attempt in range(settings.AXES_FAILURE_LIMIT + 3):
        response = client.post(
            "/admin/login/?next=/admin/",
            {"username": staff_user.username, "password": "salah"},
            REMOTE_ADDR="198.51.100.66",
            HTTP_X_FORWARDED_FOR=f"10.9.{attempt}.1",
        )
    assert response.status_code == 429
    right = client.post(
        "/admin/login/?next=/admin/",
        {"username": staff_user.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.66",
        HTTP_X_FORWARDED_FOR="10.9.250.1",
    )
    assert right.status_code == 429
