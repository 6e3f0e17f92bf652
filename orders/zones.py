"""Which clock a shopper reads: Indonesia's three time zones by province.

A deadline is shown in the shopper's zone, with the facility's beside it when
they differ: an order shipped to Makassar from a Java facility says WITA first.
Without a delivery address the shopper's zone is WIB, the site's default.
"""

from __future__ import annotations

from facilities import provinces
from facilities.models import Facility

WIB = Facility.TimeZone.WIB.value
WITA = Facility.TimeZone.WITA.value
WIT = Facility.TimeZone.WIT.value


def zone_for_province(province: str) -> str:
    """The IANA zone of `province`; WIB for an unknown or empty one."""
    known = provinces.get(province)
    return known.time_zone if known else WIB


def zone_label(zone: str) -> str:
    """WIB, WITA or WIT."""
    return Facility.TimeZone(zone).label
