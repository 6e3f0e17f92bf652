"""The admin's "Lihat di situs" shortcut (/admin/r/<type>/<id>/) answers only
for rows the user's own admin shows; the attack it answers: a facility
officer walked the ids and Django's shortcut redirected them to other
facilities' draft listings, whose addresses name them."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.test import RequestFactory

from catalog.models import Product
from tests.catalog.listing_factories import DraftProductFactory
from tests.factories import (
    FacilityFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def secret_draft(other_facility):
    return DraftProductFactory(
        facility=other_facility, name="Rahasia Draf Kursi Jati", slug="rahasia-draf-kursi-jati"
    )


def _shortcut_url(obj):
    return f"/admin/r/{ContentType.objects.get_for_model(obj).pk}/{obj.pk}/"


def _assert_hidden(response, product):
    assert response.status_code == 404
    assert "Location" not in response.headers
    body = response.content.decode()
    assert product.slug not in body and product.name not in body


def test_djangos_own_shortcut_reveals_the_draft(secret_draft):
    """Control: without the scoped view, any staff user is sent to the draft's address."""
    request = RequestFactory().get("/")
    request.user = facility_staff(FacilityFactory())
    ct = ContentType.objects.get_for_model(Product)
    response = shortcut(request, ct.pk, secret_draft.pk)
    assert response.status_code == 302 and secret_draft.slug in response["Location"]


def test_staff_cannot_view_another_facilitys_draft_on_site(client, facility, secret_draft):
    client.force_login(facility_staff(facility))
    _assert_hidden(client.get(_shortcut_url(secret_draft)), secret_draft)
    # The review queue's model (a proxy of Product) is no way round either.
    queue_ct = ContentType.objects.get(app_label="catalog", model="reviewqueueitem")
    _assert_hidden(client.get(f"/admin/r/{queue_ct.pk}/{secret_draft.pk}/"), secret_draft)


def test_reviewer_of_another_region_cannot_view_the_draft(client, facility, secret_draft):
    client.force_login(regional_reviewer(facility.region))
    _assert_hidden(client.get(_shortcut_url(secret_draft)), secret_draft)


def test_in_scope_rows_still_open_on_site(client, facility, secret_draft):
    mine = DraftProductFactory(facility=facility)
    client.force_login(facility_staff(facility))
    response = client.get(_shortcut_url(mine))
    assert response.status_code == 302 and mine.slug in response["Location"]
    client.force_login(regional_reviewer(secret_draft.facility.region))
    response = client.get(_shortcut_url(secret_draft))
    assert response.status_code == 302 and secret_draft.slug in response["Location"]
    client.force_login(head_office_user())
    assert client.get(_shortcut_url(secret_draft)).status_code == 302


@pytest.mark.parametrize("object_id", ["abc", "999999999", "1.5"])
def test_bad_or_missing_ids_are_a_404(client, facility, object_id):
    client.force_login(facility_staff(facility))
    ct = ContentType.objects.get_for_model(Product)
    assert client.get(f"/admin/r/{ct.pk}/{object_id}/").status_code == 404
    assert client.get(f"/admin/r/999999/{object_id}/").status_code == 404


def test_other_rows_with_a_public_address_follow_their_admins_scope(client, facility):
    """Facilities have addresses too: a closed facility of another region stays hidden."""
    closed = FacilityFactory(is_active=False, name="UPT Tertutup Rahasia", slug="upt-rahasia")
    client.force_login(facility_staff(facility))
    response = client.get(_shortcut_url(closed))
    assert response.status_code == 404 and "upt-rahasia" not in response.content.decode()
    assert client.get(_shortcut_url(facility)).status_code == 302


def test_anonymous_visitors_are_sent_to_the_login(client, secret_draft):
    response = client.get(_shortcut_url(secret_draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert secret_draft.slug not in response["Location"]
