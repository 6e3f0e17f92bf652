"""A shopper on a 360 px phone, against gunicorn started as production starts
it (marketplace/gunicorn_conf.py, production settings, several workers, the
collected static files and the real CSP): the address is picked with the
chained selects (static/js/address.js fetching /wilayah/<code>.json), the
courier choice comes with its estimate, the order is placed, staff book the
courier, and the tracking page says "Dikirim" with the resi linked.

The Biteship simulator answers from the test process's live server; gunicorn
reaches it through the real client (BITESHIP_BASE_URL), as it would Biteship.
"""

from __future__ import annotations

import pytest

from catalog.models import ListingStatus
from gatewaysim.biteship_models import SimShipment
from orders import services
from orders.delivery import shipments
from orders.models import Order, OrderStatus
from tests.browser.cart_steps import add_to_cart
from tests.browser.conftest import chromium  # noqa: F401 - the fixture
from tests.factories import facility_staff
from tests.journeys import conftest as journeys_conftest
from tests.journeys.conftest import Server
from tests.orders.factories import ProductFactory, shop

pytestmark = [pytest.mark.journeys, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
PHONE = "0812-3456-7890"


@pytest.fixture
def courier_server(transactional_db, live_server, settings, static_root, tmp_path, monkeypatch):
    settings.BITESHIP_SIMULATOR = True
    settings.BITESHIP_API_KEY = settings.BITESHIP_SIMULATOR_KEY
    settings.BITESHIP_BASE_URL = live_server.url + "/_simulator/biteship"
    settings.SITE_URL = live_server.url
    # The browser talks plain http to gunicorn (no nginx here) and says https
    # by X-Forwarded-Proto; its Origin header stays http, trusted for this port.
    port = journeys_conftest._free_port()
    monkeypatch.setattr(journeys_conftest, "_free_port", lambda: port)
    app = Server(
        tmp_path / "gunicorn",
        static_root=static_root,
        BITESHIP_API_KEY=settings.BITESHIP_SIMULATOR_KEY,
        BITESHIP_BASE_URL=settings.BITESHIP_BASE_URL,
        CSRF_TRUSTED_ORIGINS=f"http://127.0.0.1:{port}",
    )
    yield app
    app.stop()


def _open(chromium, server: Server):  # noqa: F811
    """A phone tab that reaches gunicorn the way nginx would hand it over
    (https said by X-Forwarded-Proto), collecting console and page errors."""
    context = chromium.new_context(
        locale="id-ID", extra_http_headers={"X-Forwarded-Proto": "https"}, **PHONE_360
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    faults = []
    page.on("console", lambda m: faults.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: faults.append(str(e)))
    return context, page, "http://" + server.origin.removeprefix("https://"), faults


def test_address_by_chained_selects_to_dikirim_with_resi_link_over_gunicorn(
    chromium,  # noqa: F811
    courier_server,
):
    facility = shop(city="Palembang", province="Sumatera Selatan", origin="16.71.04.1001")
    product = ProductFactory(facility=facility, price=175_000, stock=5, weight_grams=1_200)
    assert product.status == ListingStatus.APPROVED
    context, page, base, faults = _open(chromium, courier_server)
    fid = facility.pk
    try:
        page.goto(base + product.get_absolute_url())
        add_to_cart(page)
        page.wait_for_load_state("load")
        page.goto(base + "/checkout/")
        page.fill("#id_c-name", "Siti Aminah")
        page.fill("#id_c-phone", PHONE)
        page.check(f"input[name='f{fid}-delivery'][value='courier']")
        page.check("input[name='g-payment'][value='bank_transfer']")
        # The script hid the "Pilih" buttons: each select fills the next.
        assert not page.locator("button.region-choose").first.is_visible()
        for selector, code in (
            ("#id_a-province", "31"),
            ("#id_a-regency", "31.74"),
            ("#id_a-district", "31.74.01"),
            ("#id_a-village", "31.74.01.1002"),
        ):
            page.wait_for_selector(f"{selector} option[value='{code}']", state="attached")
            page.select_option(selector, code)
        page.wait_for_function("() => document.getElementById('id_a-postal_code').value")
        assert page.locator("#id_a-postal_code").input_value() == "12810"
        page.fill("#id_a-street", "Jl. Tebet Raya No. 5")
        # The village brings the couriers in place: no round trip.
        page.wait_for_selector(f"input[name='f{fid}-courier']:checked", state="attached")
        # Couriers from the aggregator, each with a price and an estimate;
        # the address chosen is still there after the round trip.
        assert page.locator(f"input[name='f{fid}-courier']").count() >= 5
        assert "estimasi 2-3 hari" in page.content()
        assert page.locator("#id_a-village").input_value() == "31.74.01.1002"
        sicepat = page.locator(f"input[name='f{fid}-courier'][value^='sicepat:reg:']")
        price = int(sicepat.get_attribute("value").rsplit(":", 1)[1])
        sicepat.check()
        page.check("#id_p-agree")
        with page.expect_navigation(url="**/selesai/"):
            page.get_by_role("button", name="Buat pesanan").click()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, width

        order = Order.objects.get()
        assert order.shipping_fee == price
        assert (order.region_village_code, order.village, order.postal_code) == (
            "31.74.01.1002",
            "Tebet Barat",
            "12810",
        )
        assert order.city == "Kota Administrasi Jakarta Selatan" and order.province == "DKI Jakarta"

        # Staff confirm the transfer and book the courier (the admin's action).
        staff = facility_staff(facility)
        services.order_confirm_payment(order=order, actor=staff)
        shipments.shipment_book(order=Order.objects.get(pk=order.pk), actor=staff)
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED

        page.goto(base + "/lacak/")
        page.fill("#id_code", order.code)
        page.fill("#id_phone", PHONE)
        page.get_by_role("button", name="Lacak").click()
        page.wait_for_load_state("load")
        assert page.locator(".order-status").inner_text() == "Dikirim"
        resi = page.locator("a.tracking-number")
        assert resi.inner_text() == SimShipment.objects.get().waybill_id
        assert "/_simulator/biteship/lacak/" in resi.get_attribute("href")
        assert faults == [], faults
    finally:
        context.close()
