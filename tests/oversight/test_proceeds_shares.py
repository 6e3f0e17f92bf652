from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from facilities.models import ProceedsShare
from tests.factories import facility_staff


def _inline_post(facility, shares):
    """The Facility change form's POST, with `shares` as (name, percent) rows."""
    data = {
        "name": facility.name,
        "address": facility.address,
        "city": facility.city,
        "province": facility.province,
        "timezone": facility.timezone,
        "phone": "",
        "whatsapp": "",
        "email": "",
        "showroom_hours": "",
        "about": "",
        "bank_accounts-TOTAL_FORMS": "0",
        "bank_accounts-INITIAL_FORMS": "0",
        "proceeds_shares-TOTAL_FORMS": str(len(shares)),
        "proceeds_shares-INITIAL_FORMS": "0",
    }
    for index, (name, percent) in enumerate(shares):
        data[f"proceeds_shares-{index}-name"] = name
        data[f"proceeds_shares-{index}-percent"] = percent
        data[f"proceeds_shares-{index}-position"] = str(index)
    return data


def test_staff_record_their_facility_shares_in_the_admin(client, facility):
    client.force_login(facility_staff(facility))
    response = client.post(
        f"/admin/facilities/facility/{facility.pk}/change/",
        _inline_post(facility, [("Premi warga binaan", "50"), ("PNBP", "15")]),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    shares = list(facility.proceeds_shares.values_list("name", "percent"))
    assert shares == [("Premi warga binaan", Decimal("50.00")), ("PNBP", Decimal("15.00"))]


def test_shares_above_one_hundred_percent_are_refused_with_a_message(client, facility):
    client.force_login(facility_staff(facility))
    response = client.post(
        f"/admin/facilities/facility/{facility.pk}/change/",
        _inline_post(facility, [("Premi warga binaan", "70"), ("PNBP", "40")]),
    )
    assert response.status_code == 200
    assert "melebihi 100%" in response.text
    assert not facility.proceeds_shares.exists()


def test_the_database_refuses_a_share_outside_zero_to_one_hundred(facility):
    # A savepoint, not a transactional test: flushing would drop the role groups
    # that the data migrations made, for every later test on a reused database.
    with pytest.raises(IntegrityError), transaction.atomic():
        ProceedsShare.objects.create(facility=facility, name="Bahan", percent=Decimal("120"))


def test_staff_cannot_set_another_facilitys_shares(client, facility, other_facility):
    client.force_login(facility_staff(facility))
    response = client.post(
        f"/admin/facilities/facility/{other_facility.pk}/change/",
        _inline_post(other_facility, [("Premi warga binaan", "50")]),
    )
    assert response.status_code in (302, 403, 404)
    assert not other_facility.proceeds_shares.exists()


def test_reviewers_read_shares_but_cannot_change_them(client, facility):
    from tests.factories import regional_reviewer

    ProceedsShare.objects.create(facility=facility, name="PNBP", percent=Decimal("20"))
    client.force_login(regional_reviewer(facility.region))
    page = client.get(f"/admin/facilities/facility/{facility.pk}/change/")
    assert page.status_code == 200 and "PNBP" in page.text
    client.post(
        f"/admin/facilities/facility/{facility.pk}/change/",
        _inline_post(facility, [("Bahan baku", "30")]),
    )
    assert list(facility.proceeds_shares.values_list("name", flat=True)) == ["PNBP"]
