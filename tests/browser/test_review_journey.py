"""A verified review on a 360 px phone, in Debian's chromium, against gunicorn
started as production starts it (marketplace/gunicorn_conf.py, production
settings, several workers): the order is delivered, the shopper reviews it
with a photo from the tracking page, the facility's staff moderate it in the
admin with the photo in front of them, and the review with its photo is on
the product page with the count updated (the `gunicorn_site` fixture says how
gunicorn is started and why the workers share a cache here)."""

import io

import pytest
from PIL import Image

from orders import services as order_services
from orders.models import Order
from reviews.models import ProductReview, ReviewStatus
from tests.browser.test_checkout_journeys import _check, _phone
from tests.browser.test_order_journeys import _admin_login
from tests.factories import facility_staff, head_office_user
from tests.orders.factories import JAKARTA, ProductFactory, place, shop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def role_groups(transactional_db):
    from django.apps import apps

    from facilities.roles import sync_role_groups

    sync_role_groups(apps)


@pytest.fixture
def delivered(role_groups):
    facility = shop(name="Lapas Perempuan Palembang", city="Palembang", province="Sumatera Selatan")
    # No product photo: gunicorn does not serve /media/ (nginx does), and
    # this journey is about the shopper's photo, served by the app.
    product = ProductFactory(facility=facility, name="Mukena Bordir", price=175_000, stock=5)
    order = place(
        [(product, 1)], delivery="courier", payment="bank_transfer", address=JAKARTA
    ).orders[0]
    staff = head_office_user()
    order_services.order_confirm_payment(order=order, actor=staff)
    order_services.order_start_processing(order=order, actor=staff)
    order_services.order_ship(order=order, actor=staff, courier="JNE", tracking_number="JNE1")
    # Delivered: the courier's report (or the staff) completes a shipped order.
    order_services.order_complete(order=order, actor=staff)
    return Order.objects.get(pk=order.pk)


def _photo() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (40, 120, 180)).save(buffer, "JPEG")
    return {"name": "mukena.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def test_review_with_photo_moderated_and_shown_on_a_360px_phone(chromium, gunicorn_site, delivered):
    product = delivered.lines.get().product
    shopper = _phone(chromium, gunicorn_site, "review-shopper")
    try:
        shopper.visit("/lacak/", "track form")
        shopper.page.fill("#id_code", delivered.code)
        shopper.page.fill("#id_phone", "0812 3456 7890")
        shopper.page.get_by_role("button", name="Lacak").click()
        shopper.page.wait_for_load_state("load")
        _check(shopper, "order page with review form")
        assert "Ulasan dapat dikirim sampai" in shopper.page.content()
        form = shopper.page.locator("section.order-reviews form").first
        form.locator("select[name=rating]").select_option("5")
        form.locator("textarea[name=text]").fill("Bordirnya rapi, bahannya adem.")
        form.locator("input[name=photos]").set_input_files([_photo()])
        form.get_by_role("button", name="Kirim ulasan").click()
        shopper.page.wait_for_load_state("load")
        _check(shopper, "review sent")
        assert "Terima kasih" in shopper.page.content()
        review = ProductReview.objects.get()
        assert review.status == ReviewStatus.PENDING and review.photos.count() == 1

        # Not public before moderation.
        shopper.visit(product.get_absolute_url(), "product before moderation")
        assert "Bordirnya rapi" not in shopper.page.content()

        staff = facility_staff(delivered.facility)
        desk = _phone(chromium, gunicorn_site, "review-moderator")
        try:
            _admin_login(desk, staff.username)
            desk.visit(f"/admin/reviews/productreview/{review.pk}/change/", "review to moderate")
            # The photo is in front of the moderator (check() fails on a broken image).
            assert desk.page.locator(".review-photos img").count() == 1
            desk.page.select_option("#id_decision", "publish")
            for box in ("#id_check_no_inmate", "#id_check_no_personal_data", "#id_check_civil"):
                desk.page.check(box)
            desk.page.locator("input[name=_continue]").click()
            desk.page.wait_for_load_state("load")
            desk.check("published")
        finally:
            desk.context.close()
        review.refresh_from_db()
        assert review.status == ReviewStatus.PUBLISHED

        shopper.visit(product.get_absolute_url(), "product with the review")
        section = shopper.page.locator("section.reviews")
        text = section.inner_text()
        assert "Bordirnya rapi" in text and "1 ulasan" in text and "terjual 1" in text
        thumb = section.locator(".review-photos img")
        assert thumb.count() == 1
        # check() made it load: the app served the published photo.
        assert thumb.evaluate("img => img.naturalWidth") > 0
        _check(shopper, "product with the review")
    finally:
        shopper.context.close()
