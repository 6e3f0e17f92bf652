"""A partner outlet's desk on a 360 px phone, in Debian's chromium, against
gunicorn as production starts it (`gunicorn_site`): the outlet signs in,
confirms the hand-over, reports a sale (tapping "Simpan" twice: one sale),
sees what it owes this month; the facility then finds the sale in its
consignment history and in the oversight sales report, and prints the
product's labels."""

import pytest

from catalog import services as catalog_services
from catalog.models import ConsignmentMovement, OutletProduct
from partners import services
from tests.browser.test_checkout_journeys import _check, _phone
from tests.browser.test_order_journeys import _admin_login
from tests.factories import PartnerOutletFactory, facility_staff
from tests.orders.factories import ProductFactory, shop
from tests.partners.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consigned(transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    facility = shop(name="Lapas Pangkalpinang", city="Pangkalpinang")
    outlet = PartnerOutletFactory(facility=facility, name="Toko Acun Akuarium")
    product = ProductFactory(facility=facility, name="Perangkap Tikus Kawat", price=85_000)
    link = OutletProduct.objects.create(outlet=outlet, product=product)
    staff = facility_staff(facility)
    catalog_services.consignment_hand_over(link=link, quantity=5, actor=staff)
    services.partner_account_create(
        actor=staff, username="toko-acun", password=PASSWORD, outlet=outlet
    )
    return link, staff


def test_outlet_reports_a_sale_and_the_facility_sees_it(chromium, gunicorn_site, consigned):
    link, staff = consigned
    outlet = _phone(chromium, gunicorn_site, "outlet-desk")
    try:
        outlet.visit("/mitra/", "sign in")
        outlet.page.fill("#id_username", "toko-acun")
        outlet.page.fill("#id_password", PASSWORD)
        outlet.page.get_by_role("button", name="Masuk").click()
        outlet.page.wait_for_load_state("load")
        _check(outlet, "desk")
        assert "Perangkap Tikus Kawat" in outlet.page.locator("#titipan").inner_text()

        outlet.page.get_by_role("button", name="Sudah diterima").click()
        outlet.page.wait_for_load_state("load")
        _check(outlet, "hand-over confirmed")
        assert outlet.page.locator("#serah-terima").count() == 0

        outlet.page.get_by_role("link", name="Lapor terjual").click()
        outlet.page.wait_for_load_state("load")
        _check(outlet, "sale form")
        outlet.page.select_option("#id_link", str(link.pk))
        outlet.page.fill("#id_quantity", "2")
        outlet.page.fill("#id_unit_price", "90000")
        save = outlet.page.get_by_role("button", name="Simpan penjualan")
        save.dblclick()  # a double tap
        outlet.page.wait_for_url("**/mitra/")
        outlet.page.wait_for_load_state("load")
        _check(outlet, "sale saved")
        owed = outlet.page.locator("#tagihan").inner_text()
        assert "Rp 180.000" in owed
    finally:
        outlet.context.close()
    sales = ConsignmentMovement.objects.filter(kind="sold")
    assert sales.count() == 1 and sales.get().quantity == 2
    link.refresh_from_db()
    assert (link.on_hand, link.sold) == (3, 2)

    desk = _phone(chromium, gunicorn_site, "outlet-facility")
    try:
        _admin_login(desk, staff.username)
        desk.visit("/admin/catalog/consignmentmovement/", "consignment history")
        history = desk.page.locator("#result_list").inner_text()
        assert "Dilaporkan terjual" in history and "Toko Acun Akuarium" in history
        desk.visit("/admin/laporan/penjualan/", "sales report")
        assert "Rp 180.000" in desk.page.locator("#total-consigned").inner_text()
        # The label sheet of the same product: the barcode the till scans.
        desk.visit(f"/admin/catalog/product/label/?ids={link.product_id}&salinan=3", "labels")
        codes = desk.page.locator("svg.kb-barcode")
        assert codes.count() == 3
        assert codes.first.get_attribute("data-value") == f"KB{link.product_id:07d}"
    finally:
        desk.context.close()
