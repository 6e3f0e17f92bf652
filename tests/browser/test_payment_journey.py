"""A shopper on a 360 px phone pays online: cart, checkout with "Bayar online"
(QRIS), the confirmation page with the QR code, then the payment arrives
through the Midtrans simulator's signed notification and the page turns to
"Dibayar" by itself (the status poller), with no console error."""

import pytest
from django.core.management import call_command

from catalog.models import ListingStatus
from orders.models import Order, OrderStatus
from orders.payments.models import GatewayPayment
from tests.browser.cart_steps import add_to_cart
from tests.browser.conftest import Journey
from tests.catalog.listing_factories import product_with_photo
from tests.orders.factories import shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def simulator(live_server, settings):
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = settings.MIDTRANS_SIMULATOR_KEY
    settings.MIDTRANS_BASE_URL = live_server.url + "/_simulator/midtrans"
    settings.SITE_URL = live_server.url
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return live_server


def no_sideways_scroll(page):
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360


def test_phone_shopper_pays_by_qris_and_sees_it_paid(chromium, simulator, media):
    facility = shop(name="Lapas Perempuan Palembang", slug="lapas-perempuan-palembang")
    mukena = product_with_photo(
        status=ListingStatus.APPROVED,
        facility=facility,
        name="Mukena Bordir",
        price=175_000,
        stock=5,
    )
    context = chromium.new_context(locale="id-ID", **PHONE_360)
    context.set_default_timeout(30_000)
    journey = Journey(context, simulator.url, "pay-online", "phone360")
    page = journey.page
    try:
        journey.visit(mukena.get_absolute_url(), "product")
        add_to_cart(page)
        page.wait_for_load_state("load")
        journey.visit("/checkout/", "checkout")
        no_sideways_scroll(page)
        page.fill("#id_c-name", "Siti Aminah")
        page.fill("#id_c-phone", "0812-3456-7890")
        page.check(f"input[name='f{facility.pk}-delivery'][value='pickup']")
        assert page.is_checked("input[name='g-payment'][value='qris']")  # QRIS unless chosen
        page.check("#id_p-agree")
        with page.expect_navigation(url="**/selesai/"):
            page.get_by_role("button", name="Buat pesanan").click()
        journey.check("confirmation with QRIS")
        no_sideways_scroll(page)
        payment = GatewayPayment.objects.get()
        assert page.locator("img.qris").is_visible()
        # On a phone: the amount and the QR first, a QR to save, a countdown.
        # (the amount on the first screen; the header above is the phone helper's)
        amount = page.locator(".pay-amount").first.bounding_box()
        assert amount["y"] + amount["height"] < 780, amount
        assert page.get_by_role("link", name="Simpan QR").is_visible()
        page.wait_for_function(
            "() => /sisa \\d+:\\d\\d/.test(document.querySelector('.countdown').textContent)"
        )
        assert "Menunggu pembayaran" in page.locator(".gateway-status").inner_text()

        # The shopper pays in their banking app: the gateway notifies the shop.
        call_command("simulate_payment", payment.checkout.code)

        # The page finds out by itself (payment_status.js) and reloads.
        # (reloaded: the section's own status is "paid", its heading "Dibayar")
        page.wait_for_function(
            "() => { const box = document.getElementById('pembayaran-online');"
            " return box && box.dataset.status === 'paid'; }",
            timeout=30_000,
        )
        page.wait_for_load_state("load")
        assert page.locator("#pay-title").inner_text() == "Dibayar"
        assert "Dibayar" in page.locator(".gateway-status").inner_text()
        journey.check("paid")
        no_sideways_scroll(page)
        assert Order.objects.get().status == OrderStatus.PAID
    finally:
        context.close()
