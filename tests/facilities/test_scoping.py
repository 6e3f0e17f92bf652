from django.contrib.auth.models import AnonymousUser

from catalog.models import Product  # noqa: F401 - scope helpers are used on catalog rows too
from facilities.models import Facility
from facilities.scoping import scope_for
from tests.factories import (
    FacilityFactory,
    UserFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)


def test_facility_staff_see_only_their_facility(facility, other_facility):
    scope = scope_for(facility_staff(facility))
    assert list(scope.facilities()) == [facility]
    assert other_facility not in scope.facilities()
    assert list(scope.regions()) == [facility.region]


def test_reviewers_see_only_their_region(facility, other_facility):
    neighbour = FacilityFactory(region=facility.region)
    scope = scope_for(regional_reviewer(facility.region))
    assert set(scope.facilities()) == {facility, neighbour}
    assert list(scope.regions()) == [facility.region]


def test_head_office_sees_everything(facility, other_facility):
    scope = scope_for(head_office_user())
    assert set(scope.facilities()) == set(Facility.objects.all())


def test_users_without_membership_see_nothing(facility):
    assert not scope_for(UserFactory()).facilities().exists()
    assert not scope_for(AnonymousUser()).facilities().exists()


def test_filter_facility_rows_narrows_related_rows(facility, other_facility):
    from facilities.models import BankAccount
    from tests.factories import BankAccountFactory

    mine = BankAccountFactory(facility=facility)
    BankAccountFactory(facility=other_facility)
    scope = scope_for(facility_staff(facility))
    assert list(scope.filter_facility_rows(BankAccount.objects.all())) == [mine]
