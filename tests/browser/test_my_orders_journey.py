"""Pesanan saya on a small phone (360 x 740): from the footer, the phone used
at checkout, the code from WhatsApp, then every order and quote of that phone,
newest first; one tap opens an order; "Keluar" signs the browser out."""

import pytest

from gatewaysim import whatsapp as sim
from orders import services as order_services
from tests.browser.conftest import Journey
from tests.browser.test_privacy_journey import SMALL_PHONE, fits, tap_height
from tests.orders.factories import ProductFactory, place, shop
from tests.quotes.conftest import make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def small_phone(chromium, live_server, settings):
    settings.WHATSAPP_SIMULATOR = True
    settings.WHATSAPP_TOKEN = "tok"
    settings.WHATSAPP_PHONE_NUMBER_ID = "123"
    settings.WHATSAPP_APP_SECRET = "secret"
    settings.WHATSAPP_API_BASE_URL = live_server.url + "/_simulator/whatsapp"
    context = chromium.new_context(locale="id-ID", **SMALL_PHONE)
    context.set_default_timeout(30_000)
    yield Journey(context, live_server.url, "my-orders", "phone360")
    context.close()


def test_shopper_signs_in_with_a_whatsapp_code_and_sees_every_order(small_phone):
    contact = order_services.Contact(name="Siti", phone="+6281234567890", email="")
    first = place([(ProductFactory(facility=shop(), stock=5), 1)], contact=contact).orders[0]
    second = place([(ProductFactory(facility=shop(), stock=5), 1)], contact=contact).orders[0]
    paving = ProductFactory(facility=shop(), stock=50)
    quote_request = make_request(paving.facility, [(paving, 10)], contact_phone=contact.phone)
    journey, page = small_phone, small_phone.page

    journey.visit("/", "home")
    page.locator("footer").get_by_role("link", name="Pesanan saya").click()
    page.wait_for_load_state("load")
    journey.check("phone form")
    fits(page, "phone form")
    phone_input = page.get_by_label("Nomor HP yang dipakai saat memesan")
    assert tap_height(phone_input) >= 44
    phone_input.fill("0812 3456 7890")
    send = page.get_by_role("button", name="Kirim kode")
    assert tap_height(send) >= 44
    send.click()
    page.wait_for_load_state("load")
    journey.check("code form")
    assert "kode 6 angka sudah kami kirim lewat WhatsApp" in page.content()

    [message] = [m for m in sim.received("6281234567890") if m["template"] == "kb_kode_masuk"]
    code_input = page.get_by_label("Kode 6 angka")
    assert tap_height(code_input) >= 44
    code_input.fill(message["params"][0])
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state("load")
    journey.check("my orders")
    fits(page, "my orders")
    rows = page.locator(".mine-row")
    assert rows.count() == 3
    codes = [rows.nth(i).locator(".mine-code").inner_text() for i in range(3)]
    assert codes == [quote_request.code, second.code, first.code]  # newest first
    assert all(tap_height(rows.nth(i).locator("a")) >= 44 for i in range(3))

    rows.nth(2).locator("a").click()
    page.wait_for_load_state("load")
    journey.check("order opened")
    assert page.locator(".order-code").first.inner_text() == first.code

    journey.visit("/pesanan-saya/", "list again")
    page.get_by_role("button", name="Keluar di browser ini").click()
    page.wait_for_load_state("load")
    journey.check("signed out")
    assert page.get_by_role("button", name="Kirim kode").is_visible()
