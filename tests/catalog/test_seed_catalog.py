"""The demo catalogue: every seeded facility's products, through the services."""

import pytest

from catalog.models import ListingReview, ListingStatus, Product
from seeds.catalog import PRODUCTS, load_catalog
from seeds.facilities import load_facilities

S = ListingStatus
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_load_catalog_is_idempotent_and_complete():
    facilities = load_facilities()
    first = load_catalog(facilities)
    assert first["created"] == first["products"] == sum(len(rows) for rows in PRODUCTS.values())
    snapshot = list(Product.objects.order_by("slug").values_list("slug", "updated_at", "status"))
    reviews = ListingReview.objects.count()
    second = load_catalog(facilities)
    assert second["created"] == 0 and second["products"] == first["products"]
    assert (
        list(Product.objects.order_by("slug").values_list("slug", "updated_at", "status"))
        == snapshot
    )
    assert ListingReview.objects.count() == reviews

    # Every seeded facility sells something; every product has a processed photo.
    assert set(Product.objects.values_list("facility__slug", flat=True)) == set(facilities)
    for product in Product.objects.prefetch_related("images"):
        image = product.images.get()
        assert set(image.renditions) == {"320", "640", "1280"} and image.alt_text
        assert product.search_vector is not None

    statuses = list(Product.objects.values_list("status", flat=True))
    assert statuses.count(S.APPROVED) > len(statuses) // 2
    assert statuses.count(S.PENDING_REVIEW) >= 3
    sent_back = Product.objects.get(status=S.CHANGES_REQUESTED)
    assert "P-IRT" in sent_back.reviews.get(action="request_changes").note
    assert Product.objects.review_queue().count() == statuses.count(S.PENDING_REVIEW)


def test_fresh_food_is_local_and_food_carries_registration():
    load_catalog(load_facilities())
    for slug in ("pempek-kapal-selam-lapas-palembang", "roti-sobek-susu-lapas-palembang"):
        assert Product.objects.get(slug=slug).local_only
    food = Product.objects.filter(category__parent__slug="makanan", status=S.APPROVED)
    assert food.exists()
    assert all(p.food_registration and p.shelf_life_days for p in food)
    assert Product.objects.filter(made_to_order=True, lead_time_days__gt=0).exists()
