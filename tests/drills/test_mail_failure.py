"""Drill: the mail server is down. Orders are still placed and visible; the failure is logged.

The mail backend is Django's real SMTP backend pointed at a port where nothing
listens, so every send fails the way a dead relay fails.
"""

import logging
import socket

import pytest

from orders.models import Order, OrderStatus
from orders.services import order_confirm_payment
from tests.drills.checkout_steps import checkout_form, fill_cart
from tests.factories import facility_staff
from tests.orders.factories import ProductFactory, shop

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def dead_smtp(settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again when this block ends: nothing listens
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 3
    return port


@pytest.fixture
def two_shops(role_groups):
    palembang = shop(name="Lapas Perempuan Palembang Drill", city="Palembang")
    raha = shop(name="Rutan Raha Drill", city="Raha")
    return (
        ProductFactory(facility=palembang, name="Mukena Bordir", price=175_000, stock=5),
        ProductFactory(facility=raha, name="Miniatur Kapal Jati", price=350_000, stock=3),
    )


def test_the_smtp_relay_really_refuses(dead_smtp):
    from django.core.mail import send_mail

    with pytest.raises(OSError):
        send_mail("uji", "uji", "noreply@karyabinaan.id", ["siti@example.com"])


def test_checkout_succeeds_when_mail_cannot_be_sent(client, dead_smtp, two_shops, caplog):
    mukena, miniature = two_shops
    fill_cart(client, mukena, miniature)
    data = checkout_form(client, mukena.facility, miniature.facility)
    with caplog.at_level(logging.ERROR, logger="orders.mail"):
        placed = client.post("/checkout/", data)

    assert placed.status_code == 302
    orders = list(Order.objects.all())
    assert len(orders) == 2
    mukena.refresh_from_db()
    miniature.refresh_from_db()
    assert (mukena.stock, miniature.stock) == (4, 2)
    # The shopper sees the orders, with their codes, as if nothing had happened.
    confirmation = client.get(placed.url).content.decode()
    for order in orders:
        assert order.code in confirmation
    # Each facility's mail and the shopper's failed, and each failure was logged.
    failures = [r for r in caplog.records if r.name == "orders.mail"]
    assert len(failures) == 3, [r.getMessage() for r in caplog.records]
    assert all(r.levelno == logging.ERROR and r.exc_info for r in failures)


def test_staff_work_goes_on_when_mail_cannot_be_sent(client, dead_smtp, two_shops, caplog):
    mukena, miniature = two_shops
    fill_cart(client, mukena)
    client.post("/checkout/", checkout_form(client, mukena.facility))
    order = Order.objects.get()
    staff = facility_staff(mukena.facility)
    with caplog.at_level(logging.ERROR, logger="orders.mail"):
        order_confirm_payment(order=order, actor=staff)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert order.events.filter(to_status=OrderStatus.PAID).exists()
    assert any("order mail failed" in r.getMessage() for r in caplog.records)


def test_a_listing_decision_stands_when_mail_cannot_be_sent(client, dead_smtp, media, caplog):
    """A reviewer approves through the admin while the relay is down: the
    approval is committed, the page answers with its redirect (not a 500), and
    the mail's failure is logged for its retry."""
    from django.urls import reverse

    from catalog.models import ListingStatus
    from catalog.services import CHECKLIST
    from tests.catalog.listing_factories import product_with_photo
    from tests.factories import FacilityFactory, facility_staff, regional_reviewer

    facility = FacilityFactory()
    officer = facility_staff(facility)  # the decision is mailed to them
    officer.email = "petugas@example.com"
    officer.save(update_fields=["email"])
    product = product_with_photo(status=ListingStatus.PENDING_REVIEW, facility=facility)
    client.force_login(regional_reviewer(facility.region))
    url = reverse("admin:catalog_product_review", args=[product.pk])
    with caplog.at_level(logging.ERROR, logger="catalog.mail"):
        response = client.post(url, {"decision": "approve", "checklist": list(CHECKLIST)})

    assert response.status_code == 302
    product.refresh_from_db()
    assert product.status == ListingStatus.APPROVED
    assert any("listing mail failed" in r.getMessage() for r in caplog.records)
