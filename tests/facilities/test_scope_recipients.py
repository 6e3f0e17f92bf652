"""Who gets staff mail is asked of facilities.scoping.Scope alone: it was
queried twice more (orders.mail's facility recipients from Membership,
catalog.mail's _emails from the user table), each with its own idea of who
counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facilities.scoping import Scope, scope_for
from tests.factories import (
    FacilityFactory,
    RegionFactory,
    facility_staff,
    head_office_user,
    regional_reviewer,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _user(user, email, *, active=True):
    type(user).objects.filter(pk=user.pk).update(email=email, is_active=active)
    return user


def test_a_facilitys_recipients_are_its_active_staff_with_an_address():
    region = RegionFactory()
    facility, other = FacilityFactory(region=region), FacilityFactory(region=region)
    _user(facility_staff(facility), "b@upt.go.id")
    _user(facility_staff(facility), "a@upt.go.id")
    _user(facility_staff(facility), "")
    _user(facility_staff(facility), "pensiun@upt.go.id", active=False)
    _user(facility_staff(other), "lain@upt.go.id")
    _user(regional_reviewer(region), "kanwil@kemenkum.go.id")
    _user(head_office_user(), "pusat@kemenkum.go.id")

    assert Scope.of_facility(facility.pk).recipients() == ["a@upt.go.id", "b@upt.go.id"]
    assert Scope.of_region(region.pk).recipients() == ["kanwil@kemenkum.go.id"]
    assert Scope(role=None).recipients() == []


def test_holders_are_the_people_whose_own_scope_it_is():
    facility = FacilityFactory()
    staff = facility_staff(facility)
    reviewer = regional_reviewer(facility.region)
    assert scope_for(staff) == Scope.of_facility(facility.pk)
    assert scope_for(reviewer) == Scope.of_region(facility.region_id)
    assert list(Scope.of_facility(facility.pk).holders()) == [staff]
    assert list(Scope.of_region(facility.region_id).holders()) == [reviewer]


def test_no_module_but_scoping_queries_staff_by_membership():
    # Who works where is Scope's question; mail modules ask it, never re-derive it.
    pattern = re.compile(
        r"Membership\.objects\.filter\(\s*facility|membership__(facility|region|\{)"
    )
    allowed = {"facilities/scoping.py", "facilities/admin_accounts.py", "facilities/services.py"}
    found = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if not {"tests", ".venv", "migrations"} & set(path.relative_to(ROOT).parts)
        and str(path.relative_to(ROOT)) not in allowed
        and pattern.search(path.read_text())
    ]
    assert found == []
