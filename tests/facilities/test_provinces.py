"""The one province list: 38 names, each with a zone Facility knows."""

from facilities import provinces
from facilities.models import Facility
from orders import zones
from orders.delivery import fees as shipping


def test_thirty_eight_provinces_each_once_with_a_known_zone():
    assert len(provinces.NAMES) == 38 == len(set(provinces.NAMES))
    assert {p.time_zone for p in provinces.ALL} == set(Facility.TimeZone.values)


def test_checkout_and_the_clock_read_the_same_list():
    assert shipping.PROVINCES == provinces.NAMES
    assert zones.zone_for_province("Sulawesi Tenggara") == Facility.TimeZone.WITA
    assert zones.zone_for_province("Papua Pegunungan") == Facility.TimeZone.WIT
    assert zones.zone_for_province("Sumatera Selatan") == Facility.TimeZone.WIB
    assert zones.zone_for_province("") == Facility.TimeZone.WIB
