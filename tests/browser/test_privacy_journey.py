"""A shopper on a small phone (360 x 740) reads the privacy notice from the
checkout, agrees, orders, then from the tracking page verifies with a mailed
code, downloads their data and asks for deletion, which is refused with the
reason while the order is still in progress."""

import json
import re
from pathlib import Path

import pytest
from django.core import mail

from orders import privacy
from orders.models import Checkout, Order
from orders.privacy.models import PrivacyRequest
from tests.browser.cart_steps import add_to_cart
from tests.browser.conftest import Journey
from tests.orders.factories import ProductFactory, shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL_PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def small_phone(chromium, live_server):
    context = chromium.new_context(locale="id-ID", **SMALL_PHONE)
    context.set_default_timeout(30_000)
    # Journey's own sideways check is for its 390 px phone; `fits` checks 360.
    yield Journey(context, live_server.url, "privacy", "phone360")
    context.close()


def fits(page, label):
    overflow = page.evaluate("() => document.documentElement.scrollWidth") - 360
    assert overflow <= 1, f"{label}: scrolls sideways by {overflow}px at 360px"


def tap_height(locator) -> float:
    return locator.bounding_box()["height"]


def test_shopper_reads_the_notice_at_checkout_and_asks_about_their_data(small_phone, media):
    facility = shop(name="Lapas Perempuan Palembang", slug="lapas-perempuan-palembang-privasi")
    product = ProductFactory(facility=facility, name="Mukena Bordir", price=175_000, stock=5)
    journey, page = small_phone, small_phone.page

    journey.visit(product.get_absolute_url(), "product")
    page.locator(f"#qty-{product.pk}").fill("1")
    add_to_cart(page)
    page.wait_for_load_state("load")
    journey.visit("/checkout/", "checkout")
    fits(page, "checkout")

    # The notice opens in its own tab, so the half-filled form stays.
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Baca Kebijakan Privasi").click()
    notice = opened.value
    notice.wait_for_load_state("load")
    assert notice.get_by_role("heading", name="Kebijakan Privasi").is_visible()
    body = notice.content()
    assert privacy.NOTICE_VERSION in body and "3×24 jam" in body and "Kanwil" in body
    fits(notice, "notice")
    notice.close()

    page.fill("#id_c-name", "Siti Aminah")
    page.fill("#id_c-phone", "0812-3456-7890")
    page.fill("#id_c-email", "siti@example.com")
    page.check(f"input[name='f{facility.pk}-delivery'][value='pickup']")
    page.check("input[name='g-payment'][value='bank_transfer']")
    # Without the consent box: refused, with the reason, nothing placed.
    journey.allowed_statuses.add(400)
    page.get_by_role("button", name="Buat pesanan").click()
    page.wait_for_load_state("load")
    # Chromium logs the expected 400 of the page itself as a console error.
    journey.problems[:] = [p for p in journey.problems if "status of 400" not in p]
    journey.check("checkout without consent")
    journey.allowed_statuses.discard(400)
    assert "Setujui Syarat dan Ketentuan dan Kebijakan Privasi" in page.content()
    assert not Checkout.objects.exists()
    consent_row = page.locator(".privacy-consent div").filter(has=page.locator("#id_p-agree"))
    assert tap_height(consent_row) >= 44
    page.locator("label[for=id_p-agree]").click()  # the label is the tap target
    assert page.is_checked("#id_p-agree")
    page.get_by_role("button", name="Buat pesanan").click()
    page.wait_for_url("**/selesai/")
    journey.check("confirmation")
    order = Order.objects.get()
    assert order.checkout.privacy_notice_version == privacy.NOTICE_VERSION

    # Later: the tracking page, with code and phone.
    journey.visit("/lacak/", "tracking form")
    page.fill("#id_code", order.code)
    page.fill("#id_phone", "0812 3456 7890")
    page.get_by_role("button", name="Lacak").click()
    page.wait_for_load_state("load")
    journey.check("order page")
    assert "+62812•••••890" in page.content() and "+6281234567890" not in page.content()
    page.get_by_role("link", name="Data pribadi saya").click()
    page.wait_for_load_state("load")
    journey.check("my data")
    fits(page, "my data")

    mail.outbox.clear()
    page.get_by_role("button", name="Kirim kode ke email").click()
    page.wait_for_load_state("load")
    journey.check("code sent")
    otp = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.fill("#otp", otp)
    page.get_by_role("button", name="Verifikasi", exact=True).click()
    page.wait_for_load_state("load")
    journey.check("verified")
    assert "Terverifikasi" in page.content()
    for button in ("Unduh data (JSON)", "Minta penghapusan"):
        assert tap_height(page.get_by_role("button", name=button)) >= 44

    with page.expect_download() as download:
        page.get_by_role("button", name="Unduh data (JSON)").click()
    data = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert data["kode_pesanan"] == order.code
    assert data["kontak"]["nama"] == "Siti Aminah"

    page.get_by_role("button", name="Minta penghapusan").click()
    page.wait_for_load_state("load")
    journey.check("deletion refused")
    fits(page, "deletion refused")
    assert "masih berjalan" in page.locator(".messages").inner_text()
    kinds = dict(PrivacyRequest.objects.values_list("kind", "status"))
    assert kinds == {"access": "done", "deletion": "refused"}
    order.refresh_from_db()
    assert order.contact_name == "Siti Aminah"
