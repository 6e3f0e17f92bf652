"""Query budgets: at most 10 per storefront page, the same at 12 and 48 items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.search import refresh_search_vectors
from tests.catalog.factories import CategoryFactory, ProductFactory, ProductImageFactory
from tests.factories import FacilityFactory

BUDGET = 10


@pytest.fixture
def stocked(db):
    """48 public products with two photos each, across four facilities, in a
    child category; every listing page below can show all of them."""
    parent = CategoryFactory(slug="kerajinan")
    child = CategoryFactory(slug="tas", parent=parent)
    facilities = [FacilityFactory() for _ in range(4)]
    facilities[0].slug = "lapas-anyaman"
    facilities[0].province = "Sumatera Selatan"
    facilities[0].save()
    products = []
    for i in range(48):
        product = ProductFactory(
            name=f"Tas Rajut {i}",
            facility=facilities[0],
            category=child,
            price=50_000 + i,
        )
        ProductImageFactory.create_batch(2, product=product)
        products.append(product)
    # Other facilities have products too, so the facility filter has choices.
    for facility in facilities[1:]:
        ProductFactory(facility=facility, category=parent, name="Keset Kaki")
    refresh_search_vectors()
    return products


@pytest.fixture
def warm(client, stocked):
    """Budgets are measured warm, as the bench measures them: after the first
    listing page the filter form's category and facility lists come from the
    cache (until a catalog or facility row changes), so that page costs two
    queries more than the rest."""
    client.get("/produk/", {"warm": 1})
    return stocked


def count_queries(client, url, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.text


PAGES = [
    ("/produk/", {}),
    ("/produk/", {"category": "kerajinan", "sort": "price_asc", "availability": "ready"}),
    ("/produk/", {"q": "rajutan"}),
    # A misspelling: full text finds nothing, the trigram fallback runs.
    ("/produk/", {"q": "rajjut", "province": "Sumatera Selatan"}),
    ("/kategori/kerajinan/", {"sort": "price_desc"}),
    ("/upt/lapas-anyaman/", {"q": "tas"}),
]


@pytest.mark.parametrize(("url", "params"), PAGES)
def test_listing_pages_fit_the_budget_at_12_and_48_items(client, warm, url, params):
    counts = {}
    for per_page in (12, 48):
        counts[per_page], text = count_queries(client, url, {**params, "per_page": per_page})
        assert text.count('class="card product-card"') == per_page, (url, params)
    assert counts[12] == counts[48], counts
    assert counts[12] <= BUDGET, counts
    print(url, params, counts)


def test_search_fallback_fits_the_budget(client, warm):
    counts = {}
    for per_page in (12, 48):
        counts[per_page], text = count_queries(
            client, "/produk/", {"q": "rajjut", "per_page": per_page}
        )
        assert "Mungkin maksud Anda" in text
        assert text.count('class="card product-card"') == per_page
    assert counts[12] == counts[48] <= BUDGET, counts


def test_product_page_fits_the_budget_with_few_and_many_photos(client, db):
    counts = {}
    for photos in (2, 12):
        category = CategoryFactory()
        product = ProductFactory(category=category)
        ProductImageFactory.create_batch(photos, product=product)
        for _ in range(4):
            ProductImageFactory(product=ProductFactory(category=category))
        counts[photos], text = count_queries(client, product.get_absolute_url(), {})
        assert text.count('type="image/webp"') == photos + 4
    # The product with its photos, tiers, outlets and units sold in one query
    # (catalog.product_query); the related products and their cover photos.
    assert counts[2] == counts[12] <= 3, counts
    print("product page", counts)


def test_home_page_fits_the_budget(client, stocked, django_assert_max_num_queries):
    for product in stocked[:8]:
        product.is_featured = True
        product.save()
    with django_assert_max_num_queries(BUDGET):
        response = client.get("/")
    assert response.status_code == 200
    assert response.text.count('class="card product-card"') == 4 + 8


def test_staff_preview_fits_the_budget(client, db):
    from catalog.models import ListingStatus
    from tests.factories import facility_staff

    counts = {}
    for photos in (2, 12):
        product = ProductFactory(status=ListingStatus.PENDING_REVIEW)
        ProductImageFactory.create_batch(photos, product=product)
        client.force_login(facility_staff(product.facility))
        counts[photos], text = count_queries(client, product.get_absolute_url(), {})
        assert "Pratinjau" in text
    # The session, user and membership; the product page's one query; the
    # scope check; the related products (no JSON-LD, reviews or forms).
    assert counts[2] == counts[12] <= 8, counts
