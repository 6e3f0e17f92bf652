"""Review figures on the Kanwil and head-office dashboards, scoped by region."""

from datetime import timedelta

import pytest
from django.utils import timezone

from orders.models import OrderStatus
from reviews import services
from reviews.models import ProductReview
from tests.factories import facility_staff, head_office_user, regional_reviewer
from tests.orders.factories import ProductFactory
from tests.orders.test_services import _order_in

pytestmark = pytest.mark.django_db


def _reviewed(product, rating):
    order = _order_in(OrderStatus.COMPLETED, product)[0]
    return services.review_submit(
        order=order, line_id=order.lines.get().pk, rating=rating, text="ulasan"
    )


def test_dashboards_show_ratings_by_facility_and_waiting_reviews_by_age(
    client, mukena, palembang, raha
):
    assert palembang.region_id != raha.region_id
    for rating in (5, 4):
        review = _reviewed(mukena, rating)
        services.review_publish(review=review, actor=facility_staff(palembang), checklist_ok=True)
    _reviewed(mukena, 1)  # pending, not counted in the average
    old = _reviewed(ProductFactory(facility=raha, stock=5), 2)
    ProductReview.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))

    client.force_login(regional_reviewer(palembang.region))
    response = client.get("/admin/")
    context, page = response.context, response.content.decode()
    assert [
        (f.name, round(float(f.avg_rating), 1), f.review_count) for f in context["review_ratings"]
    ] == [(palembang.name, 4.5, 2)]
    assert [r["count"] for r in context["reviews_pending"]] == [1, 0, 0]  # raha's is not theirs
    assert "Nilai ulasan per UPT" in page and "Ulasan menunggu moderasi" in page
    assert "4,5" in page or "4.5" in page

    client.force_login(head_office_user())
    context = client.get("/admin/").context
    assert [r["count"] for r in context["reviews_pending"]] == [1, 0, 1]
    assert {f.name for f in context["review_ratings"]} == {palembang.name}
