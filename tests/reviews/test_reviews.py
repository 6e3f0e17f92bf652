"""Verified reviews: who may write one, moderation, scope, and the public page."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import OrderEvent, OrderStatus
from reviews.models import ProductReview, ReviewStatus
from tests.factories import facility_staff, regional_reviewer
from tests.orders.test_services import _order_in
from tests.orders.test_views import _tracking

REFUSAL = "Kode pesanan atau nomor HP tidak cocok."


def _post(client, order, line, rating="5", text="Bagus sekali"):
    return client.post(f"/lacak/{order.code}/ulasan/{line.pk}/", {"rating": rating, "text": text})


def _refused(response):
    return response.status_code == 404 and REFUSAL in response.content.decode()


@pytest.fixture
def done(mukena):
    return _order_in(OrderStatus.COMPLETED, mukena)[0]


def test_completed_order_reviewed_from_tracking_page_once(client, done):
    _tracking(client, done)
    page = client.get(f"/lacak/{done.code}/").content.decode()
    assert "Kirim ulasan" in page
    line = done.lines.get()
    response = _post(client, done, line)
    assert response.status_code == 302
    review = ProductReview.objects.get()
    assert (review.rating, review.status, review.product_id) == (5, "pending", line.product_id)
    assert _refused(_post(client, done, line))  # a second review
    assert ProductReview.objects.count() == 1


def test_refusals_look_like_a_wrong_code(client, mukena, done):
    line = done.lines.get()
    # Not opened with code + phone in this session.
    assert _refused(_post(client, done, line))
    # An order that is not completed.
    shipped = _order_in(OrderStatus.PROCESSING, mukena)[0]
    _tracking(client, shipped)
    assert _refused(_post(client, shipped, shipped.lines.get()))
    # Another order's line, through the tracked order.
    assert _refused(_post(client, shipped, line))
    # Past the window.
    _tracking(client, done)
    OrderEvent.objects.filter(order=done, to_status="completed").update(
        created_at=timezone.now() - timedelta(days=31)
    )
    assert _refused(_post(client, done, line))
    assert not ProductReview.objects.exists()


def test_bad_rating_is_refused_with_a_message(client, done):
    _tracking(client, done)
    _post(client, done, done.lines.get(), rating="9")
    assert not ProductReview.objects.exists()


def _review(client, order):
    _tracking(client, order)
    _post(client, order, order.lines.get(), text="Jahitan rapi")
    return ProductReview.objects.get(order_line__order=order)


def _moderate(client, review, **data):
    url = f"/admin/reviews/productreview/{review.pk}/change/"
    return client.post(url, data)


def test_moderation_checklist_publish_reject_reply_and_public_page(client, done, mukena, palembang):
    review = _review(client, done)
    assert "Jahitan rapi" not in client.get(mukena.get_absolute_url()).content.decode()
    staff = facility_staff(palembang)
    client.force_login(staff)
    # The checklist must be ticked.
    response = _moderate(client, review, decision="publish", check_no_inmate="on")
    assert response.status_code == 200
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    # Reject needs a reason.
    _moderate(client, review, decision="reject")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    response = _moderate(
        client,
        review,
        decision="publish",
        check_no_inmate="on",
        check_no_personal_data="on",
        check_civil="on",
        new_reply="Terima kasih",
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED and review.moderated_by == staff
    assert review.reply == "Terima kasih"
    # Reply once only.
    _moderate(client, review, new_reply="Lagi")
    review.refresh_from_db()
    assert review.reply == "Terima kasih"
    client.logout()
    page = client.get(mukena.get_absolute_url()).content.decode()
    assert "Jahitan rapi" in page and "Terima kasih" in page
    assert "terjual 1" in page and ("5,0" in page or "5.0" in page)
    store = client.get(palembang.get_absolute_url()).content.decode()
    assert "Rata-rata ulasan" in store


def test_staff_of_another_facility_cannot_moderate(client, done, raha, palembang):
    review = _review(client, done)
    client.force_login(facility_staff(raha))
    response = _moderate(
        client,
        review,
        decision="publish",
        check_no_inmate="on",
        check_no_personal_data="on",
        check_civil="on",
    )
    assert response.status_code in (302, 404)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING
    listing = client.get("/admin/reviews/productreview/").content.decode()
    assert "Mukena" not in listing
    # The Kanwil of the facility's region may.
    client.force_login(regional_reviewer(palembang.region))
    assert client.get(f"/admin/reviews/productreview/{review.pk}/change/").status_code == 200


def test_the_services_refuse_moderators_out_of_scope(client, done, raha, palembang):
    """Not only the admin list: publish, reject and reply themselves refuse
    another facility's staff and another region's Kanwil."""
    from django.core.exceptions import PermissionDenied

    from reviews.services import review_publish, review_reject, review_reply
    from tests.factories import RegionFactory

    review = _review(client, done)
    outsiders = [facility_staff(raha), regional_reviewer(RegionFactory())]
    if raha.region_id != palembang.region_id:
        outsiders.append(regional_reviewer(raha.region))
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            review_publish(review=review, actor=outsider, checklist_ok=True)
        with pytest.raises(PermissionDenied):
            review_reject(review=review, actor=outsider, reason="Tidak pantas")
        with pytest.raises(PermissionDenied):
            review_reply(review=review, actor=outsider, text="Terima kasih")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING and not review.reply
    # Control: the facility's own staff may.
    review_publish(review=review, actor=facility_staff(palembang), checklist_ok=True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PUBLISHED


def test_json_ld_carries_only_published_reviews(client, done, mukena, palembang):
    review = _review(client, done)
    page = client.get(mukena.get_absolute_url()).content.decode()
    assert "aggregateRating" not in page
    from reviews import services

    services.review_publish(review=review, actor=None, checklist_ok=True)
    page = client.get(mukena.get_absolute_url()).content.decode()
    assert (
        '"aggregateRating":{"@type":"AggregateRating","ratingValue":"5.0","reviewCount":1' in page
    )
    assert '"reviewBody":"Jahitan rapi"' in page


def test_catalog_sorts_by_rating(client, done, mukena, palembang):
    from tests.orders.factories import ProductFactory

    unrated = ProductFactory(facility=palembang, name="Tas Anyaman", price=90_000, stock=5)
    review = _review(client, done)
    from reviews import services

    services.review_publish(review=review, actor=None, checklist_ok=True)
    mukena.refresh_from_db()
    assert (mukena.rating_avg, mukena.rating_count) == (5, 1)
    page = client.get("/produk/", {"sort": "rating"}).content.decode()
    assert page.index("Mukena Bordir") < page.index(unrated.name)
    services.review_reject(review=review, actor=None, reason="Memuat nama")
    mukena.refresh_from_db()
    assert (mukena.rating_avg, mukena.rating_count) == (None, 0)


def test_product_page_queries_do_not_grow_with_reviews(client, mukena):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reviews import services

    def publish_one():
        order = _order_in(OrderStatus.COMPLETED, mukena)[0]
        services.review_publish(review=_review(client, order), actor=None, checklist_ok=True)

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(mukena.get_absolute_url()).status_code == 200
        return len(ctx)

    publish_one()
    one = count()
    publish_one()
    publish_one()
    assert count() == one


@pytest.mark.parametrize(
    "sold, shown",
    [
        (0, "0"),
        (950, "950"),
        (1_000, "1 rb"),
        (1_250, "1,2 rb"),
        (1_299, "1,2 rb"),
        (12_345, "12 rb"),
        (1_590_000, "1,5 jt"),
    ],
)
def test_sold_is_written_as_shops_write_it(sold, shown):
    from django.utils import translation

    from reviews.templatetags.reviews import compact_count

    with translation.override("id"):
        assert compact_count(sold) == shown
