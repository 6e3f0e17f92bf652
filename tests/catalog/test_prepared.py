"""catalog.prepared: queries compiled once answer as the ORM would, with each
call's own values (including a date the queryset computed when built)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import OutletProduct, Product
from catalog.prepared import Prepared
from catalog.selectors import outlets_carrying, product_for_page
from orders.models import OrderStatus
from tests.catalog.factories import ProductFactory, ProductImageFactory
from tests.factories import PartnerOutletFactory, make_order

pytestmark = pytest.mark.django_db


def test_instances_match_the_orm_with_select_related_and_each_calls_values():
    first, second = ProductFactory(), ProductFactory()
    query = Prepared(
        lambda slug: Product.objects.select_related("facility__region", "category").filter(
            slug=slug
        ),
        slug=str,
    )
    for product in (first, second, first):
        [found] = query.all(slug=product.slug)
        assert found.pk == product.pk
        assert found.name == product.name
        assert found.price == product.price
        with CaptureQueriesContext(connection) as ctx:  # joined, no lazy loads
            assert found.facility.region.pk == product.facility.region_id
            assert found.category.pk == product.category_id
        assert not ctx.captured_queries
    assert query.first(slug="tidak-ada") is None


def test_a_date_is_a_parameter_of_each_call():
    product = ProductFactory()
    today = timezone.localdate()
    outlet = PartnerOutletFactory(
        facility=product.facility, agreement_end=today + timedelta(days=1)
    )
    OutletProduct.objects.create(outlet=outlet, product=product)
    assert outlets_carrying(product) == [outlet]
    from catalog import selectors

    ended = selectors._OUTLETS_CARRYING.all(product_id=product.pk, today=today + timedelta(days=2))
    assert ended == []
    assert outlets_carrying(product) == [outlet]


def test_a_parameter_missing_from_the_query_is_refused():
    query = Prepared(lambda slug: Product.objects.all(), slug=str)
    with pytest.raises(ValueError, match="missing"):
        query.all(slug="x")


def test_product_for_page_reads_photos_tiers_outlets_and_sold_in_one_query(
    django_assert_num_queries,
):
    product = ProductFactory()
    ProductImageFactory.create_batch(3, product=product)
    product.price_tiers.create(min_quantity=10, unit_price=product.price - 1)
    outlet = PartnerOutletFactory(facility=product.facility)
    OutletProduct.objects.create(outlet=outlet, product=product)
    make_order(product.facility, lines=[(product, 3)])
    make_order(product.facility, status=OrderStatus.PAID, lines=[(product, 5)])
    with django_assert_num_queries(1):
        found, preview = product_for_page(slug=product.slug, user=None)
    assert not preview
    with django_assert_num_queries(0):
        photos = list(found.images.all())
        tiers = list(found.price_tiers.all())
        outlets = outlets_carrying(found)
    assert [p.pk for p in photos] == list(
        product.images.order_by("position", "id").values_list("pk", flat=True)
    )
    assert [p.renditions for p in photos] == [p.renditions for p in product.images.all()]
    assert [t.min_quantity for t in tiers] == [10]
    assert outlets == [outlet]
    assert outlets[0].get_kind_display() == outlet.get_kind_display()
    assert outlets[0].agreement_start == outlet.agreement_start
    assert found.page_sold == 3  # completed orders only (reviews.apps adds it)
