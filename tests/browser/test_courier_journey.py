"""A shopper on a 360 px phone picks a courier service with its price and
estimate, the facility books it through the (simulated) aggregator, and the
tracking page says "Dikirim" with the resi linked to the courier's tracking."""

import pytest

from catalog.models import ListingStatus
from gatewaysim.biteship_models import SimShipment
from orders import services
from orders.delivery import shipments
from orders.models import Order, OrderStatus
from tests.browser.cart_steps import add_to_cart
from tests.browser.conftest import Journey
from tests.browser.test_checkout_journeys import PHONE_360, _check
from tests.catalog.listing_factories import product_with_photo
from tests.factories import facility_staff
from tests.orders.factories import shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def courier_shop(media, transactional_db, live_server, settings):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    settings.BITESHIP_SIMULATOR = True
    settings.BITESHIP_API_KEY = settings.BITESHIP_SIMULATOR_KEY
    settings.BITESHIP_BASE_URL = live_server.url + "/_simulator/biteship"
    settings.SITE_URL = live_server.url
    facility = shop(city="Palembang", province="Sumatera Selatan", origin="16.71.04.1001")
    return product_with_photo(
        status=ListingStatus.APPROVED, facility=facility, price=175_000, stock=5
    )


def test_courier_choice_to_dikirim_with_resi_link(chromium, live_server, courier_shop):
    product = courier_shop
    fid = product.facility_id
    # With JavaScript: the address is chosen by the chained selects, each level
    # filled from /wilayah/<code>.json (static/js/address.js), no "Pilih" round trip.
    context = chromium.new_context(locale="id-ID", **PHONE_360)
    context.set_default_timeout(30_000)
    journey = Journey(context, live_server.url, "courier-js", "phone360")
    page = journey.page
    try:
        journey.visit(product.get_absolute_url(), "product")
        add_to_cart(page)
        page.wait_for_load_state("load")
        journey.visit("/checkout/", "checkout")
        page.fill("#id_c-name", "Siti Aminah")
        page.fill("#id_c-phone", "0812-3456-7890")
        page.check(f"input[name='f{fid}-delivery'][value='courier']")
        page.check("input[name='g-payment'][value='bank_transfer']")
        assert not page.locator("button.region-choose").first.is_visible()
        page.select_option("#id_a-province", "31")
        page.wait_for_selector("#id_a-regency option[value='31.74']", state="attached")
        page.select_option("#id_a-regency", "31.74")
        page.wait_for_selector("#id_a-district option[value='31.74.01']", state="attached")
        page.select_option("#id_a-district", "31.74.01")
        page.wait_for_selector("#id_a-village option[value='31.74.01.1002']", state="attached")
        page.select_option("#id_a-village", "31.74.01.1002")
        assert page.locator("#id_a-postal_code").input_value() == "12810"
        page.fill("#id_a-street", "Jl. Tebet Raya No. 5")
        # The village brings the couriers in place (no round trip), cheapest chosen.
        page.wait_for_selector(f"input[name='f{fid}-courier']:checked", state="attached")
        _check(journey, "couriers offered")
        cards = page.locator(f"input[name='f{fid}-courier']")
        assert cards.count() >= 5
        assert "estimasi 2-3 hari" in page.content()
        sicepat = page.locator(f"input[name='f{fid}-courier'][value^='sicepat:reg:']")
        price = int(sicepat.get_attribute("value").rsplit(":", 1)[1])
        sicepat.check()
        page.check("#id_p-agree")
        with page.expect_navigation(url="**/selesai/"):
            page.get_by_role("button", name="Buat pesanan").click()
        order = Order.objects.get()
        assert order.shipping_fee == price
        assert (order.region_village_code, order.village, order.postal_code) == (
            "31.74.01.1002",
            "Tebet Barat",
            "12810",
        )

        staff = facility_staff(order.facility)
        services.order_confirm_payment(order=order, actor=staff)
        shipments.shipment_book(order=Order.objects.get(pk=order.pk), actor=staff)
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED

        journey.visit("/lacak/", "track")
        page.fill("#id_code", order.code)
        page.fill("#id_phone", "0812-3456-7890")
        page.get_by_role("button", name="Lacak").click()
        page.wait_for_load_state("load")
        _check(journey, "tracking")
        assert page.locator(".order-status").inner_text() == "Dikirim"
        resi = page.locator("a.tracking-number")
        assert resi.inner_text() == SimShipment.objects.get().waybill_id
        assert "/_simulator/biteship/lacak/" in resi.get_attribute("href")
        assert "Pesanan kurir dibuat" in page.locator(".courier-timeline").inner_text() or (
            "Belum ada kabar" in page.locator(".courier-timeline").inner_text()
        )
    finally:
        context.close()
