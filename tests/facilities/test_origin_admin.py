"""Staff set where couriers pick up as an official village code in the admin:
the province code and postal code follow; a village outside the district, or
an unknown code, is refused at the field."""

import pytest

from facilities.models import Facility
from tests.factories import facility_staff
from tests.oversight.test_proceeds_shares import _inline_post
from tests.regions_data import load_test_regions

pytestmark = pytest.mark.django_db


def _post(client, facility, **origin):
    data = {**_inline_post(facility, []), **origin}
    return client.post(f"/admin/facilities/facility/{facility.pk}/change/", data)


def test_staff_set_the_origin_village_and_the_rest_follows(client, facility):
    load_test_regions()
    client.force_login(facility_staff(facility))
    page = client.get(f"/admin/facilities/facility/{facility.pk}/change/").content.decode()
    assert "<option" not in page.split('name="origin_village"')[0][-300:]  # a code field
    response = _post(client, facility, origin_district="16.71.04", origin_village="16.71.04.1001")
    assert response.status_code == 302, response.content.decode()[:2000]
    facility = Facility.objects.get(pk=facility.pk)
    assert (facility.origin_province_id, facility.origin_postal_code) == ("16", "30139")


@pytest.mark.parametrize(
    "origin, message",
    [
        ({"origin_district": "31.74.01", "origin_village": "16.71.04.1001"}, "tidak berada"),
        ({"origin_village": "16.71.04.9999"}, "tidak dikenal"),
    ],
)
def test_a_village_outside_the_district_or_unknown_is_refused(client, facility, origin, message):
    load_test_regions()
    client.force_login(facility_staff(facility))
    response = _post(client, facility, **origin)
    assert response.status_code == 200 and message in response.content.decode()
    assert Facility.objects.get(pk=facility.pk).origin_village_id is None


def test_a_district_alone_still_gives_couriers_a_postal_code(facility):
    from facilities.services import facility_origin_set

    load_test_regions()
    facility_origin_set(facility=facility, district_code="31.74.01")
    facility.refresh_from_db()
    # Tebet's villages are 12810 and 12820 in the test data: the lowest stands.
    assert (facility.origin_province_id, facility.origin_postal_code) == ("31", "12810")
    assert facility.origin_village_id is None
