import pytest

from tests.factories import FacilityFactory, RegionFactory


@pytest.fixture
def region(db):
    return RegionFactory()


@pytest.fixture
def facility(region):
    return FacilityFactory(region=region)


@pytest.fixture
def other_facility(db):
    """A facility in another region: the one scope tests try to reach."""
    return FacilityFactory()
