"""The shopper's whole purchase, and the facility's side of it, in a real browser.

Search, product page, add from two facilities, cart, checkout with pickup
for one facility and courier delivery for the other, a double click on
"Buat pesanan", confirmation, tracking from another phone, receipt upload;
then the facility's staff confirm the receipt and ship with a tracking
number, which the shopper sees.
"""

import io

import pytest
from PIL import Image

from catalog.models import ListingStatus
from orders.models import Checkout, Order, OrderStatus, PaymentProof
from tests.browser.address_steps import pick_address
from tests.browser.cart_steps import add_to_cart
from tests.catalog.listing_factories import product_with_photo
from tests.factories import facility_staff
from tests.orders.factories import shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_shops(media, role_groups):
    palembang = shop(
        name="Lapas Perempuan Palembang",
        slug="lapas-perempuan-palembang",
        city="Palembang",
        province="Sumatera Selatan",
    )
    raha = shop(name="Rutan Raha", slug="rutan-raha", city="Raha", province="Sulawesi Tenggara")
    mukena = product_with_photo(
        status=ListingStatus.APPROVED,
        facility=palembang,
        name="Mukena Bordir Palembang",
        price=175_000,
        stock=5,
    )
    miniature = product_with_photo(
        status=ListingStatus.APPROVED,
        facility=raha,
        name="Miniatur Kapal Jati",
        price=350_000,
        stock=3,
        weight_grams=1_800,
    )
    return mukena, miniature


@pytest.fixture
def role_groups(transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)


def _receipt_png(path):
    image = Image.new("RGB", (480, 320), (30, 110, 70))
    out = io.BytesIO()
    image.save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def _add_to_cart(journey, product, quantity):
    page = journey.page
    page.locator(f"#qty-{product.pk}").fill(str(quantity))
    add_to_cart(page)
    page.wait_for_load_state("load")
    journey.check(f"added {product.name}")


def test_shopper_buys_from_two_facilities_tracks_and_uploads_a_receipt(
    journey, two_shops, chromium, live_server, size, tmp_path
):
    mukena, miniature = two_shops
    page = journey.page

    # Search, then the product page, then into the cart.
    journey.visit("/", "home")
    page.locator("#site-q").fill("mukena")
    page.locator("#site-q").press("Enter")
    journey.check("search mukena")
    page.get_by_role("link", name="Mukena Bordir Palembang").first.click()
    journey.check("mukena page")
    _add_to_cart(journey, mukena, 2)

    # The other facility's product, reached through its storefront.
    journey.visit("/upt/rutan-raha/", "raha storefront")
    page.get_by_role("link", name="Miniatur Kapal Jati").first.click()
    journey.check("miniature page")
    _add_to_cart(journey, miniature, 1)

    journey.visit("/keranjang/", "cart")
    assert page.get_by_text("Lapas Perempuan Palembang").first.is_visible()
    assert page.get_by_text("Rutan Raha").first.is_visible()
    page.get_by_role("link", name="Lanjut ke checkout").click()
    journey.check("checkout")

    page.fill("#id_c-name", "Siti Aminah")
    page.fill("#id_c-phone", "0812-3456-7890")
    page.fill("#id_c-email", "siti@example.com")
    page.check(f"input[name='f{mukena.facility_id}-delivery'][value='pickup']")
    page.check(f"input[name='f{miniature.facility_id}-delivery'][value='courier']")
    page.check("input[name='g-payment'][value='bank_transfer']")  # one for the checkout
    pick_address(page)
    page.fill("#id_a-street", "Jl. Tebet Raya No. 5")
    page.check("#id_p-agree")
    # The village brings the courier price in place: 1.8 kg to Jakarta, 30.000 + 20.000.
    page.wait_for_function(
        f"() => document.getElementById('fee-{miniature.facility_id}')"
        ".textContent.includes('Rp 50.000')"
    )
    journey.check("shipping fee shown")

    # An impatient double click on the button: one set of orders.
    with page.expect_navigation(url="**/selesai/"):
        page.get_by_role("button", name="Buat pesanan").dblclick()
    journey.check("confirmation")
    assert Checkout.objects.count() == 1
    orders = {o.facility_id: o for o in Order.objects.all()}
    assert len(orders) == 2
    for order in orders.values():
        assert order.code in page.content()
    raha_order = orders[miniature.facility_id]
    assert orders[mukena.facility_id].delivery_method == "pickup"
    assert raha_order.delivery_method == "courier"
    # Whichever of the two submits the browser kept, the cart is empty afterwards.
    journey.visit("/keranjang/", "cart after ordering")
    assert "Keranjang Anda masih kosong" in page.content()

    # Later, on another phone: track with code and phone number, upload the receipt.
    from tests.browser.conftest import Journey

    other = Journey(
        _context(chromium, size),
        live_server.url,
        journey.name + "-tracking",
        size,
    )
    try:
        other.visit("/lacak/", "tracking form")
        other.page.fill("#id_code", raha_order.code.lower())
        other.page.fill("#id_phone", "0812 3456 7890")
        other.page.get_by_role("button", name="Lacak").click()
        other.page.wait_for_load_state("load")
        other.check("order page")
        assert raha_order.code in other.page.content()
        other.page.set_input_files("input[type=file]", str(_receipt_png(tmp_path / "bukti.png")))
        other.page.get_by_role("button", name="Kirim bukti").click()
        other.page.wait_for_load_state("load")
        other.check("receipt sent")
        assert "Bukti transfer terkirim" in other.page.content()
        assert PaymentProof.objects.filter(order=raha_order).exists()

        # The facility's staff: log in, confirm the payment, process, ship with a resi.
        staff = facility_staff(miniature.facility)
        desk = Journey(
            _context(chromium, size),
            live_server.url,
            journey.name + "-staff",
            size,
        )
        try:
            _admin_login(desk, staff.username)
            for action in ("confirm_payment", "start_processing", "ship"):
                desk.visit("/admin/orders/order/", f"orders before {action}")
                desk.page.check(f"input[name=_selected_action][value='{raha_order.pk}']")
                desk.page.select_option("select[name=action]", action)
                desk.page.locator("button[name=index]").click()
                desk.page.wait_for_load_state("load")
                desk.check(f"after {action}")
                if action == "confirm_payment":  # the second question
                    desk.page.locator("#kb-bulk-confirm").click()
                    desk.page.wait_for_load_state("load")
                    desk.check("payment confirmed")
            desk.page.fill(f"input[name=courier_{raha_order.pk}]", "JNE")
            desk.page.fill(f"input[name=tracking_{raha_order.pk}]", "JNE-0042")
            desk.page.get_by_role("button", name="Tandai dikirim").click()
            desk.page.wait_for_load_state("load")
            desk.check("shipped")
        finally:
            desk.context.close()
        raha_order.refresh_from_db()
        assert raha_order.status == OrderStatus.SHIPPED

        other.visit(f"/lacak/{raha_order.code}/", "shopper sees the resi")
        assert "JNE-0042" in other.page.content()
    finally:
        other.context.close()


def _context(chromium, size):
    from tests.browser.conftest import VIEWPORTS

    context = chromium.new_context(locale="id-ID", **VIEWPORTS[size])
    context.set_default_timeout(30_000)
    return context


def _admin_login(journey, username, password="pass-word-123"):
    journey.visit("/admin/login/", "admin login")
    journey.page.fill("#id_username", username)
    journey.page.fill("#id_password", password)
    journey.page.locator("input[type=submit]").click()
    journey.page.wait_for_load_state("load")
    journey.check("admin home")
    assert "/admin/login/" not in journey.page.url
