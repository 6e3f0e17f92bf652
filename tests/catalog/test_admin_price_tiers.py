"""Staff edit quantity tiers as an inline of their own products; tiers never
send an approved listing back to review; bad tiers are refused; others'
products and their tiers stay out of reach."""

import pytest
from django.urls import reverse

from catalog.models import ListingStatus as S
from catalog.models import PriceTier
from tests.catalog.listing_factories import product_with_photo
from tests.catalog.test_admin import _form_data
from tests.factories import facility_staff, regional_reviewer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


@pytest.fixture
def mine(facility):
    return product_with_photo(status=S.APPROVED, facility=facility, name="Paving Kami")


@pytest.fixture
def theirs(other_facility):
    return product_with_photo(status=S.APPROVED, facility=other_facility, name="Paving Lain")


def _url(pk):
    return reverse("admin:catalog_product_change", args=[pk])


def _with_tiers(data, tiers):
    prefix = "price_tiers"
    data[f"{prefix}-TOTAL_FORMS"] = str(len(tiers))
    data[f"{prefix}-INITIAL_FORMS"] = "0"
    for i, (quantity, price) in enumerate(tiers):
        data[f"{prefix}-{i}-min_quantity"] = str(quantity)
        data[f"{prefix}-{i}-unit_price"] = str(price)
    return data


def test_staff_add_tiers_and_the_listing_stays_approved(client, mine, facility):
    client.force_login(facility_staff(facility))
    data = _with_tiers(_form_data(client.get(_url(mine.pk))), [(100, mine.price - 10)])
    response = client.post(_url(mine.pk), data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    assert list(PriceTier.objects.filter(product=mine).values_list("min_quantity", flat=True)) == [
        100
    ]
    mine.refresh_from_db()
    assert mine.status == S.APPROVED


def test_a_tier_dearer_than_the_band_below_is_refused(client, mine, facility):
    client.force_login(facility_staff(facility))
    data = _with_tiers(_form_data(client.get(_url(mine.pk))), [(100, mine.price + 1)])
    response = client.post(_url(mine.pk), data)
    assert response.status_code == 200
    assert "lebih murah" in response.content.decode()
    assert not PriceTier.objects.exists()


def test_two_tiers_on_one_quantity_are_refused(client, mine, facility):
    client.force_login(facility_staff(facility))
    data = _with_tiers(
        _form_data(client.get(_url(mine.pk))), [(100, mine.price - 10), (100, mine.price - 20)]
    )
    response = client.post(_url(mine.pk), data)
    assert response.status_code == 200
    assert not PriceTier.objects.exists()


def test_staff_cannot_reach_another_facilitys_product(client, theirs, facility):
    client.force_login(facility_staff(facility))
    assert client.get(_url(theirs.pk)).status_code in (302, 404)


def test_reviewer_sees_tiers_read_only(client, mine, region):
    PriceTier.objects.create(product=mine, min_quantity=50, unit_price=mine.price - 1)
    client.force_login(regional_reviewer(region))
    response = client.get(_url(mine.pk))
    assert response.status_code == 200
    assert "price_tiers-0-unit_price" not in response.content.decode()
