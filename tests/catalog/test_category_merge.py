"""A listing of a top-level category is read per child category and merged
(catalog.category_merge): the same products in the same order as the plain
`IN (...)` query, on every sort and page, ties and missing ratings included."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.category_merge import MergedCategoryIds
from catalog.filters import Sort
from catalog.models import Category
from catalog.selectors import listing_products
from tests.factories import CategoryFactory, FacilityFactory, ProductFactory


@pytest.fixture
def tree(db):
    """A top-level category with products of its own and in three children:
    prices, dates and ratings that tie across categories."""
    top = CategoryFactory(slug="fesyen-uji", name_id="Fesyen Uji")
    children = [
        CategoryFactory(slug=f"fesyen-anak-{i}", name_id=f"Anak {i}", parent=top) for i in range(3)
    ]
    other = CategoryFactory(slug="lain-uji")
    now = timezone.now()
    facilities = [FacilityFactory(province=p) for p in ("Bali", "Jawa Timur")]
    n = 0
    for category in (top, *children, other):
        for _ in range(9):
            n += 1
            ProductFactory(
                category=category,
                facility=facilities[n % 2],
                price=50_000 + (n % 5) * 10_000,  # ties across categories
                approved_at=now - timedelta(hours=n % 7),
                rating_avg=None if n % 3 else Decimal("4.5") - (n % 2),
                rating_count=n % 4,
            )
    return top, children


def plain_ids(queryset, order_by):
    return list(queryset.order_by(*order_by).values_list("pk", flat=True))


# Relevance is a search's sort; searches are not merged.
@pytest.mark.parametrize("sort", [s for s in Sort.ORDER_BY if s != Sort.RELEVANCE])
def test_merged_pages_are_the_plain_query_pages(tree, sort):
    top, children = tree
    ids = [top.pk, *(c.pk for c in children)]
    queryset = listing_products().filter(category_id__in=ids)
    order_by = Sort.ORDER_BY[sort]
    expected = plain_ids(queryset, order_by)
    assert len(expected) == 36
    merged = MergedCategoryIds(queryset, ids, order_by)
    assert merged.count() == 36
    for start, stop in ((0, 3), (3, 6), (12, 15), (30, 36), (0, 36)):
        assert merged[start:stop] == expected[start:stop], (sort, start)
    # With another filter (the province) as well.
    in_bali = queryset.filter(facility__province="Bali")
    assert MergedCategoryIds(in_bali, ids, order_by)[0:50] == plain_ids(in_bali, order_by)


def test_catalog_and_category_pages_read_per_category(client, tree, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    top, children = tree
    urls = ("/produk/?category=fesyen-uji&sort=price_asc", "/kategori/fesyen-uji/?sort=price_asc")
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        listing = response.context["listing"]
        shown = [p.pk for p in listing.page.object_list]
        ids = [top.pk, *(c.pk for c in children)]
        queryset = listing_products().filter(category_id__in=ids)
        assert shown == plain_ids(queryset, Sort.ORDER_BY[Sort.PRICE_ASC])[: len(shown)]
        assert any("UNION ALL" in q["sql"] for q in queries.captured_queries), url


def test_a_child_category_alone_is_one_plain_query(client, tree, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    _top, children = tree
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/produk/?category={children[0].slug}&sort=price_asc")
    assert response.status_code == 200
    assert not any("UNION" in q["sql"] for q in queries.captured_queries)
    assert Category.objects.filter(parent=children[0]).count() == 0
