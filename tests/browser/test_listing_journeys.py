"""A listing's way to the storefront, in a real browser.

Facility staff log in, add a product with a photo, and submit it for review;
the regional reviewer logs in, works the queue, approves with a note; the
product then appears on the public storefront, photo and all.
"""

import io

import pytest
from PIL import Image

from catalog.models import ListingReview, ListingStatus, Product
from tests.browser.test_order_journeys import _admin_login, _context
from tests.factories import FacilityFactory, RegionFactory, facility_staff, regional_reviewer
from tests.orders.factories import CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(media, transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)
    region = RegionFactory(name="Kanwil Sulawesi Tenggara", slug="kanwil-sultra-listing")
    kendari = FacilityFactory(region=region, name="Lapas Kendari", slug="lapas-kendari-listing")
    CategoryFactory(name_id="Kerajinan Kayu", name_en="Woodcraft", slug="kerajinan-kayu")
    return {
        "facility": kendari,
        "staff": facility_staff(kendari),
        "reviewer": regional_reviewer(region),
    }


def _photo(path):
    image = Image.new("RGB", (1200, 900), (150, 90, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraLapas"  # metadata a photo from inside must not keep
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def test_staff_list_a_product_and_the_reviewer_approves_it(
    journey, people, chromium, live_server, size, tmp_path
):
    from tests.browser.conftest import Journey

    name = f"Miniatur Kapal Pinisi {size}"
    page = journey.page
    _admin_login(journey, people["staff"].username)

    journey.visit("/admin/catalog/product/add/", "add product")
    page.select_option("#id_category", label="Kerajinan Kayu")
    page.fill("#id_name", name)
    page.fill("#id_description", "Miniatur kapal dari kayu jati, dibuat di bengkel kerja.")
    page.fill("#id_price", "350000")
    page.fill("#id_stock", "4")
    page.fill("#id_weight_grams", "1800")
    page.set_input_files("#id_images-0-upload", str(_photo(tmp_path / "kapal.jpg")))
    page.fill("#id_images-0-alt_text", "Miniatur kapal pinisi dari kayu jati")
    page.locator("input[name=_save]").click()
    page.wait_for_load_state("load")
    journey.check("product saved")
    product = Product.objects.get(name=name)
    assert product.status == ListingStatus.DRAFT and product.images.count() == 1

    page.check(f"input[name=_selected_action][value='{product.pk}']")
    page.select_option("select[name=action]", "submit_for_review")
    page.locator("button[name=index]").click()
    page.wait_for_load_state("load")
    journey.check("submitted for review")
    product.refresh_from_db()
    assert product.status == ListingStatus.PENDING_REVIEW
    assert journey.page.context.browser  # still open; the public cannot see it yet
    journey.visit("/upt/lapas-kendari-listing/", "storefront before approval")
    assert name not in page.content()

    desk = Journey(
        _context(chromium, size),
        live_server.url,
        journey.name + "-reviewer",
        size,
    )
    try:
        _admin_login(desk, people["reviewer"].username)
        desk.visit("/admin/catalog/reviewqueueitem/", "review queue")
        desk.page.get_by_role("link", name=name).first.click()
        desk.page.wait_for_load_state("load")
        desk.check("review page")
        if "/review/" not in desk.page.url:
            desk.page.locator("a[href$='/review/']").first.click()
            desk.page.wait_for_load_state("load")
            desk.check("review form")
        for box in desk.page.locator("input[name=checklist]").all():
            box.check()
        desk.page.fill("textarea[name=note]", "Foto jelas, deskripsi lengkap. Disetujui.")
        desk.page.locator("button[name=decision][value=approve]").click()
        desk.page.wait_for_load_state("load")
        desk.check("approved")
    finally:
        desk.context.close()

    product.refresh_from_db()
    assert product.status == ListingStatus.APPROVED
    review = ListingReview.objects.filter(product=product).latest("created_at")
    assert review.note == "Foto jelas, deskripsi lengkap. Disetujui."

    journey.visit("/upt/lapas-kendari-listing/", "storefront after approval")
    page.get_by_role("link", name=name).first.click()
    journey.check("public product page")
    photo = page.locator("main img").first
    assert photo.evaluate("img => img.naturalWidth") > 0
