"""On a 360 px phone, with and without JavaScript, a shopper corrects the
village of a delivery from the tracking page's "Data pribadi saya": the same
chained official address as checkout (address.js fills the postal code; the
"Pilih" buttons do it without JavaScript), saved with codes and names."""

import pytest

from orders.models import Order
from regions.loader import regions_load
from tests.browser.address_steps import pick_address
from tests.browser.conftest import Journey
from tests.orders.factories import PALEMBANG, ProductFactory, place, shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}


@pytest.mark.parametrize("scripted", [True, False], ids=["js", "no-js"])
def test_shopper_corrects_the_village_by_the_chained_choice(
    chromium, live_server, settings, scripted
):
    settings.PRIVACY_OTP_BY_EMAIL = False
    context = chromium.new_context(locale="id-ID", java_script_enabled=scripted, **PHONE)
    context.set_default_timeout(30_000)
    journey = Journey(context, live_server.url, "privacy-address", f"phone360-{scripted}")
    page = journey.page
    try:
        facility = shop(
            name="Lapas Perempuan Palembang", city="Palembang", province="Sumatera Selatan"
        )
        regions_load(wilayah={}, villages={"16.71.04.1002": "Lorok Pakjo"},
                     postal={"16.71.04.1002": "30137"})  # fmt: skip
        product = ProductFactory(facility=facility, stock=5)
        order = place([(product, 1)], delivery="local", address=PALEMBANG).orders[0]

        journey.visit("/lacak/", "tracking form")
        page.fill("#id_code", order.code)
        page.fill("#id_phone", "0812 3456 7890")
        page.get_by_role("button", name="Lacak").click()
        page.wait_for_load_state("load")
        journey.visit(f"/lacak/{order.code}/data-pribadi/", "privacy page")
        assert page.locator("#id_a-village").input_value() == "16.71.04.1001"
        assert page.locator("button.region-choose").first.is_visible() is not scripted

        pick_address(page, [("#id_a-village", "16.71.04.1002")])
        assert page.locator("#id_a-postal_code").input_value() == "30137"
        page.fill("#id_a-street", "Jl. Lorok Pakjo 3")
        page.get_by_role("button", name="Simpan perbaikan").click()
        page.wait_for_load_state("load")
        journey.check("saved")
        assert "Data kontak diperbarui" in page.content()
        overflow = page.evaluate("() => document.documentElement.scrollWidth") - 360
        assert overflow <= 1, f"scrolls sideways by {overflow}px at 360px"
    finally:
        context.close()
    order = Order.objects.get(pk=order.pk)
    assert (order.region_village_code, order.village, order.postal_code, order.street) == (
        "16.71.04.1002",
        "Lorok Pakjo",
        "30137",
        "Jl. Lorok Pakjo 3",
    )
