"""The shop on a 360x780 phone (issue 30, "Phone layout"), measured in chromium.

Before issue 30: the header was 221 px tall and "Keranjang" wrapped to its own
line; no product on the home page's first screen; "Masukkan keranjang" below
the fold; adding to cart jumped to the cart; the cart's quantity box 25x21 px,
the tracking fields 21 px; the order status a text list.
"""

import pytest

from orders.models import Order, OrderStatus
from tests.browser.cart_steps import add_to_cart
from tests.browser.conftest import Journey
from tests.catalog.listing_factories import product_with_photo
from tests.factories import FacilityFactory
from tests.orders.factories import place, shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}
HEADER_MAX = 64
TAP_MIN = 44

# Everything a thumb presses that is not a link inside running text.
SMALL_TARGETS = """() => Array.from(document.querySelectorAll(
    'main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select,'
    + ' main textarea, button, .button, header a, summary'))
  .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; })
  .filter(e => e.getBoundingClientRect().height < 44)
  .map(e => e.outerHTML.slice(0, 80) + ' ' + Math.round(e.getBoundingClientRect().height) + 'px')
"""


def _phone(chromium, live_server, name, *, javascript=True):
    context = chromium.new_context(locale="id-ID", java_script_enabled=javascript, **PHONE)
    context.set_default_timeout(30_000)
    journey = Journey(context, live_server.url, name, "phone")
    return context, journey


@pytest.fixture
def stock(media):
    facility = shop(name="Lapas Kelas IIA Kendari", slug="lapas-kendari")
    other = FacilityFactory(name="Lapas Perempuan Palembang", slug="lapas-perempuan-palembang")
    products = [
        product_with_photo(
            status="approved",
            facility=facility if i % 2 else other,
            name=f"Tas Rajut Motif {i}",
            price=85_000 + i * 1000,
        )
        for i in range(6)
    ]
    return {"facility": facility, "products": products}


def _header_fits(page) -> dict:
    return page.evaluate(
        """() => {
          const header = document.querySelector('.site-header').getBoundingClientRect();
          const cart = document.querySelector('.cart-link').getBoundingClientRect();
          return {header: header.height, cart: cart.height};
        }"""
    )


def test_compact_header_products_first_and_thumb_sized_targets(chromium, live_server, stock):
    context, journey = _phone(chromium, live_server, "phone_layout")
    page = journey.page
    try:
        product = stock["products"][1]
        pages = ("/", "/produk/", "/upt/lapas-kendari/", product.get_absolute_url(), "/lacak/")
        for path in (*pages, "/syarat/"):
            journey.visit(path)
            sizes = _header_fits(page)
            assert sizes["header"] <= HEADER_MAX, (path, sizes)
            # "Keranjang" and its count on one 44 px line, never wrapped.
            assert sizes["cart"] <= TAP_MIN + 4, (path, sizes)
            # Search from every page: the header's field, or the catalog's own.
            assert page.locator("#site-q, form.catalog-filters input[name=q]").first.is_visible()
            small = page.evaluate(SMALL_TARGETS)
            assert not small, (path, small)
            if path == "/":
                # Products on the home page's first screen.
                tops = page.locator(".product-card").evaluate_all(
                    "cards => cards.map(c => c.getBoundingClientRect().top)"
                )
                assert sum(top < PHONE["viewport"]["height"] for top in tops) >= 2, tops

        # The menu opens in place and holds the navigation.
        journey.visit("/")
        assert not page.get_by_role("link", name="UPT", exact=True).is_visible()
        page.get_by_role("link", name="Menu", exact=True).click()
        assert page.get_by_role("link", name="UPT", exact=True).is_visible()
        assert page.get_by_role("link", name="Lacak pesanan").is_visible()

        # The product page: the buy bar is on the first screen and stays there.
        journey.visit(product.get_absolute_url(), "product")
        button = page.get_by_role("button", name="Masukkan keranjang")
        assert button.bounding_box()["y"] + button.bounding_box()["height"] <= 780
        page.mouse.wheel(0, 3000)
        page.wait_for_timeout(200)
        assert 0 <= button.bounding_box()["y"] <= 780 - TAP_MIN
        assert "Rp 86.000" in page.locator(".buy-bar").inner_text()

        # Adding stays on the page, says so, and counts.
        add_to_cart(page)
        notice = page.locator("#cart-notice")
        notice.get_by_text("Ditambahkan ke keranjang").wait_for()
        assert page.url.endswith(product.get_absolute_url())
        assert page.locator(".cart-link .cart-count").inner_text() == "(1)"
        journey.check("added, still on the product page")

        # The cart's quantity box is thumb-sized.
        journey.visit("/keranjang/", "cart")
        box = page.locator(f"#q-{product.pk}").bounding_box()
        assert box["height"] >= TAP_MIN and box["width"] >= TAP_MIN, box
        assert not page.evaluate(SMALL_TARGETS)
    finally:
        context.close()


def test_adding_to_cart_without_javascript_goes_through_a_page_of_the_shoppers_own(
    chromium, live_server, stock
):
    context, journey = _phone(chromium, live_server, "phone_add_nojs", javascript=False)
    page = journey.page
    try:
        product = stock["products"][2]
        journey.visit(product.get_absolute_url(), "product without JS")
        # The product page is shared by every visitor (docs/edge-cache.md): its
        # form opens the buy page, which holds the real form and its token.
        page.get_by_role("button", name="Masukkan keranjang").click()
        page.wait_for_load_state("load")
        assert "/keranjang/beli/" in page.url
        add_to_cart(page)
        journey.check("on the cart")
        assert page.url.endswith("/keranjang/")
        assert "Ditambahkan ke keranjang" in page.locator(".messages").inner_text()
        assert page.locator(".cart-link .cart-count").inner_text() == "(1)"
        # The menu opens without JavaScript too (the #menu target).
        page.get_by_role("link", name="Menu", exact=True).click()
        assert page.get_by_role("link", name="UPT", exact=True).is_visible()
    finally:
        context.close()


def test_tracking_shows_a_status_stepper(chromium, live_server, stock):
    product = stock["products"][1]
    place([(product, 1)])  # pickup, paid by bank transfer
    order = Order.objects.latest("pk")
    Order.objects.filter(pk=order.pk).update(status=OrderStatus.PROCESSING)
    context, journey = _phone(chromium, live_server, "phone_stepper")
    page = journey.page
    try:
        journey.visit("/lacak/", "tracking form")
        page.fill("#id_code", order.code)
        page.fill("#id_phone", "0812 3456 7890")
        page.get_by_role("button", name="Lacak").click()
        page.wait_for_load_state("load")
        journey.check("order with stepper")
        labels = page.locator(".stepper .step-label").all_inner_texts()
        assert labels == ["Dibuat", "Dibayar", "Dikemas", "Siap diambil", "Diterima"]
        assert page.locator(".stepper .step.done").count() == 3
        current = page.locator(".stepper [aria-current=step] .step-label")
        assert current.inner_text() == "Dikemas"
        # The history stays below as the dated record.
        assert page.locator(".order-history li").count() >= 1
        assert not page.evaluate(SMALL_TARGETS)
        box = page.locator(".stepper").bounding_box()
        assert box["width"] <= 360
    finally:
        context.close()
