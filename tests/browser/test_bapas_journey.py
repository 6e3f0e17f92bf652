"""A Bapas client's shop from registration to money owed, on a 360 px phone.

The Bapas officer registers the client's business (consent form uploaded),
the client signs in with the login the officer made and lists a bag with a
photo, the Kanwil of the region approves it, a shopper finds the storefront
marked "Usaha binaan Bapas Baubau", buys the bag by courier and pays by QRIS
through the Midtrans simulator, and the settlement ledger shows the amount
owed to the business, to the client's own account. Screenshots of what each
role sees go to docs/screenshots/bapas-*-360.png (described in docs/bapas.md).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from PIL import Image

from bapas.models import Enterprise
from catalog.models import ListingStatus, Product
from facilities.models import Facility
from orders.models import Order, OrderStatus
from orders.payments.models import GatewayPayment, SettlementEntry
from tests.browser.address_steps import pick_address
from tests.browser.cart_steps import add_to_cart
from tests.browser.conftest import Journey
from tests.browser.test_order_journeys import _admin_login
from tests.factories import FacilityFactory, RegionFactory, facility_staff, regional_reviewer
from tests.orders.factories import CategoryFactory
from tests.regions_data import load_test_regions

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_360 = {"viewport": {"width": 360, "height": 780}, "is_mobile": True, "has_touch": True}
SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PDF = b"%PDF-1.4\n% formulir persetujuan\n%%EOF\n"


@pytest.fixture
def simulator(live_server, settings):
    settings.MIDTRANS_SIMULATOR = True
    settings.MIDTRANS_SERVER_KEY = settings.MIDTRANS_SIMULATOR_KEY
    settings.MIDTRANS_BASE_URL = live_server.url + "/_simulator/midtrans"
    settings.SITE_URL = live_server.url
    settings.BITESHIP_API_KEY = ""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    return live_server


@pytest.fixture
def people(media, transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    load_test_regions()
    region = RegionFactory(
        name="Kanwil Sulawesi Tenggara", province="Sulawesi Tenggara", slug="sultra-bapas"
    )
    bapas = FacilityFactory(
        region=region,
        kind=Facility.Kind.BAPAS,
        facility_class="",
        name="Bapas Baubau",
        slug="bapas-baubau-journey",
        city="Baubau",
    )
    CategoryFactory(name_id="Tas", name_en="Bags", slug="tas")
    return {"officer": facility_staff(bapas), "reviewer": regional_reviewer(region)}


def _phone(chromium, base_url, name) -> Journey:
    context = chromium.new_context(locale="id-ID", **PHONE_360)
    context.set_default_timeout(30_000)
    return Journey(context, base_url, name, "phone360")


def _shot(journey, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    journey.page.screenshot(path=str(SHOTS / f"bapas-{name}-360.png"), full_page=True)


def _files(tmp_path):
    photo = tmp_path / "tas.jpg"
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (120, 60, 40)).save(out, "JPEG")
    photo.write_bytes(out.getvalue())
    consent = tmp_path / "persetujuan.pdf"
    consent.write_bytes(PDF)
    return photo, consent


def test_bapas_client_shop_from_registration_to_settlement(chromium, simulator, people, tmp_path):
    photo, consent = _files(tmp_path)
    base = simulator.url

    # 1. The Bapas officer registers the client's business.
    officer = _phone(chromium, base, "bapas-officer")
    try:
        _admin_login(officer, people["officer"].username)
        officer.visit("/admin/bapas/enterprise/add/", "register form")
        page = officer.page
        page.fill("#id_shop_name", "Tas Butonik Wolio")
        page.fill("#id_client_name", "Wa Ode Sitti")
        page.fill("#id_about", "Tas anyaman motif Buton, dijahit tangan di Wolio.")
        page.fill("#id_consent_signed_on", "2026-11-02")
        page.set_input_files("#id_consent_form", str(consent))
        page.fill("#id_supervision_starts_on", "2026-06-01")
        page.fill("#id_supervision_ends_on", "2027-05-31")
        page.fill("#id_bank_name", "Bank Sultra")
        page.fill("#id_account_number", "1234567890")
        page.fill("#id_username", "usaha-wolio")
        page.fill("#id_password", "tenun-butonik-2026")
        _shot(officer, "register")
        page.get_by_role("button", name="Daftarkan usaha").click()
        page.wait_for_load_state("load")
        officer.check("registered")
        enterprise = Enterprise.objects.get()
        assert "Usaha binaan Bapas Baubau" in page.content()
    finally:
        officer.context.close()

    # 2. The client lists a bag and sends it for review.
    client = _phone(chromium, base, "bapas-client")
    try:
        _admin_login(client, "usaha-wolio", "tenun-butonik-2026")
        client.visit("/admin/catalog/product/add/", "add product")
        page = client.page
        page.select_option("#id_category", label="Tas")
        page.fill("#id_name", "Tas Selempang Butonik")
        page.fill("#id_description", "Tas selempang kain tenun motif Buton, 24 x 18 cm.")
        page.fill("#id_price", "210000")
        page.fill("#id_stock", "5")
        page.fill("#id_weight_grams", "400")
        page.set_input_files("#id_images-0-upload", str(photo))
        page.fill("#id_images-0-alt_text", "Tas selempang kain tenun motif Buton")
        page.locator("input[name=_save]").click()
        page.wait_for_load_state("load")
        client.check("product saved")
        bag = Product.objects.get(facility=enterprise.facility)
        page.check(f"input[name=_selected_action][value='{bag.pk}']")
        page.select_option("select[name=action]", "submit_for_review")
        page.locator("button[name=index]").click()
        page.wait_for_load_state("load")
        client.check("submitted")
        bag.refresh_from_db()
        assert bag.status == ListingStatus.PENDING_REVIEW
    finally:
        client.context.close()

    # 3. The Kanwil of the region approves it (the Bapas and the client cannot).
    desk = _phone(chromium, base, "bapas-kanwil")
    try:
        _admin_login(desk, people["reviewer"].username)
        desk.visit(f"/admin/catalog/product/{bag.pk}/review/", "review form")
        for box in desk.page.locator("input[name=checklist]").all():
            box.check()
        desk.page.fill("textarea[name=note]", "Foto jelas. Disetujui.")
        desk.page.locator("button[name=decision][value=approve]").click()
        desk.page.wait_for_load_state("load")
        desk.check("approved")
        bag.refresh_from_db()
        assert bag.status == ListingStatus.APPROVED
    finally:
        desk.context.close()

    # 4. A shopper finds the marked storefront, buys by courier, pays by QRIS.
    shopper = _phone(chromium, base, "bapas-shopper")
    try:
        page = shopper.page
        shopper.visit(enterprise.facility.get_absolute_url(), "storefront")
        mark = page.get_by_test_id("enterprise-mark")
        assert mark.inner_text().strip() == "Usaha binaan Bapas Baubau"
        assert "Wa Ode Sitti" not in page.content()
        _shot(shopper, "storefront")
        page.get_by_role("link", name="Tas Selempang Butonik").first.click()
        page.wait_for_load_state("load")
        add_to_cart(page)
        shopper.visit("/checkout/", "checkout")
        page.fill("#id_c-name", "Siti Aminah")
        page.fill("#id_c-phone", "0812-3456-7890")
        pick_address(page)
        page.fill("#id_a-street", "Jl. Tebet Raya No. 5")
        facility_id = enterprise.facility_id
        page.wait_for_selector(
            f"#courier-{facility_id} input[name='f{facility_id}-courier']:checked"
        )
        page.check("input[name='g-payment'][value='qris']")
        page.check("#id_p-agree")
        with page.expect_navigation(url="**/selesai/"):
            page.get_by_role("button", name="Buat pesanan").click()
        shopper.check("confirmation")
        payment = GatewayPayment.objects.get()
        call_command("simulate_payment", payment.checkout.code)
        order = Order.objects.get()
        assert order.status == OrderStatus.PAID
    finally:
        shopper.context.close()

    entry = SettlementEntry.objects.get(order=order)
    assert entry.facility_id == enterprise.facility_id and entry.amount == order.total

    # 5. The settlement ledger, as the client sees it: owed to the business.
    client = _phone(chromium, base, "bapas-client-money")
    try:
        _admin_login(client, "usaha-wolio", "tenun-butonik-2026")
        client.visit("/admin/orders/settlemententry/", "settlement")
        text = client.page.content()
        assert order.code in text and "Belum disetor" in text
        _shot(client, "settlement")
        client.visit(f"/admin/bapas/enterprise/{enterprise.pk}/change/", "client page")
        assert "1234567890" in client.page.content()
        _shot(client, "client")
    finally:
        client.context.close()

    # 6. The officer sees the month's sale (read-only) and records a visit.
    officer = _phone(chromium, base, "bapas-officer-sales")
    try:
        _admin_login(officer, people["officer"].username)
        officer.visit(f"/admin/bapas/enterprise/{enterprise.pk}/change/", "officer page")
        page = officer.page
        page.fill("#id_visit-topic", "Foto produk dan ongkos kirim")
        page.fill("#id_visit-next_step", "Tambah motif baru")
        page.get_by_role("button", name="Simpan kunjungan").click()
        page.wait_for_load_state("load")
        officer.check("visit recorded")
        assert "Rp 210.000" in page.content() and "Foto produk dan ongkos kirim" in page.content()
        _shot(officer, "officer")
    finally:
        officer.context.close()
