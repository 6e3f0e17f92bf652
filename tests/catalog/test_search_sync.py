"""Renaming a facility or a category refreshes the search vectors that copy
its name (catalog/search_sync.py); a save that changes nothing copied costs
no refresh."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Product
from catalog.search import fulltext_search, refresh_search_vectors
from tests.catalog.factories import CategoryFactory, ProductFactory
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


def _found(word: str) -> set[str]:
    return set(fulltext_search(Product.objects.all(), word).values_list("name", flat=True))


@pytest.fixture
def bag():
    facility = FacilityFactory(name="Lapas Kendari", city="Kendari")
    parent = CategoryFactory(name_id="Kerajinan", name_en="Crafts", slug="kerajinan")
    child = CategoryFactory(name_id="Tas", name_en="Bags", slug="tas", parent=parent)
    product = ProductFactory(name="Tas Rajut Biru", facility=facility, category=child)
    refresh_search_vectors(product_ids=[product.pk])
    return product


def test_renamed_facility_is_found_by_its_new_name(bag):
    facility = bag.facility
    facility.name = "Lapas Baubau"
    facility.save()
    assert _found("Baubau") == {"Tas Rajut Biru"}
    assert _found("Kendari") == {"Tas Rajut Biru"}  # the city is unchanged
    facility.city = "Baubau"
    facility.save(update_fields=["city"])
    assert _found("Kendari") == set()


def test_renamed_parent_category_reaches_its_subcategories_products(bag):
    parent = bag.category.parent
    parent.name_id = "Anyaman"
    parent.save()
    assert _found("Anyaman") == {"Tas Rajut Biru"}
    assert _found("Kerajinan") == set()


def test_a_save_that_changes_nothing_copied_runs_no_refresh(bag):
    facility = bag.facility
    facility.phone = "081234567890"
    with CaptureQueriesContext(connection) as queries:
        facility.save(update_fields=["phone"])
    assert not any("search_vector" in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        facility.save()  # all fields, none of the copied ones changed
    assert not any("search_vector" in q["sql"] for q in queries.captured_queries)
