"""The product page's related products stored per category (catalog/related_cache.py)."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from catalog.services import listing_archive, product_update
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.factories import FacilityFactory


def _category_of_six(db):
    category = CategoryFactory()
    facility = FacilityFactory()
    return [
        ProductFactory(category=category, facility=facility, name=f"Meja {i}", slug=f"meja-{i}")
        for i in range(6)
    ]


def test_related_products_are_read_once_per_category(db):
    products = _category_of_six(db)
    Client().get(products[0].get_absolute_url())
    with CaptureQueriesContext(connection) as first:
        Client().get(products[1].get_absolute_url())
    with CaptureQueriesContext(connection) as control:
        Client().get(products[2].get_absolute_url(), {"x": 1})  # built as well
    assert len(first) == len(control)
    from django.test.utils import override_settings

    with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0), CaptureQueriesContext(connection) as off:
        Client().get(products[3].get_absolute_url())
    assert len(first) < len(off)  # the related lists' queries saved


def test_a_page_never_lists_itself_and_shows_a_related_price_change_at_once(db):
    products = _category_of_six(db)
    newest = products[-1]
    page = Client().get(newest.get_absolute_url()).text
    related = page.split('class="related"')[1]
    assert f"/produk/{newest.slug}/" not in related
    other = products[-2]
    product_update(product=other, actor=None, price=66_000)
    related = Client().get(newest.get_absolute_url()).text.split('class="related"')[1]
    assert "Rp 66.000" in related


def test_an_archived_product_leaves_the_related_lists(db):
    products = _category_of_six(db)
    gone = products[-2]
    assert f"/produk/{gone.slug}/" in Client().get(products[0].get_absolute_url()).text
    listing_archive(product=gone, actor=None, note="habis")
    assert f"/produk/{gone.slug}/" not in Client().get(products[0].get_absolute_url()).text
