import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from facilities.models import Facility, Membership
from tests.factories import FacilityFactory, UserFactory


def test_facility_phone_numbers_are_stored_in_plus_62_form(facility):
    facility.whatsapp = "0812-3456-7890"
    facility.full_clean()
    facility.save()
    facility.refresh_from_db()
    assert facility.whatsapp == "+6281234567890"
    assert facility.whatsapp_number == "6281234567890"


def test_facility_refuses_a_foreign_phone_number(facility):
    facility.phone = "+1 415 555 0100"
    with pytest.raises(ValidationError) as err:
        facility.full_clean()
    assert "phone" in err.value.message_dict


def test_facility_slugs_are_unique(facility):
    duplicate = FacilityFactory.build(region=facility.region, slug=facility.slug, name="Lain")
    with pytest.raises(ValidationError) as err:
        duplicate.full_clean()
    assert "slug" in err.value.message_dict


def test_membership_must_match_its_role(db, facility):
    user = UserFactory()
    with pytest.raises(IntegrityError):
        Membership.objects.create(
            user=user, role=Membership.Role.FACILITY_STAFF, region=facility.region
        )


def test_whatsapp_falls_back_to_the_phone(db):
    facility = FacilityFactory(whatsapp="", phone="0711 350 0108")
    assert facility.whatsapp_number == "627113500108"


def test_kind_choices_cover_the_four_facility_kinds():
    # ... and a Bapas client's business (issue 35), which sells like one.
    assert set(Facility.Kind.values) == {"lapas", "rutan", "bapas", "lpka", "usaha"}
