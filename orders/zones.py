"""Which clock a shopper reads: Indonesia's three time zones by province.

A deadline is shown in the shopper's zone, with the facility's beside it when
they differ: an order shipped to Makassar from a Java facility says WITA first.
Without a delivery address the shopper's zone is WIB, the site's default.
"""

from __future__ import annotations

from facilities.models import Facility

WIB = Facility.TimeZone.WIB.value
WITA = Facility.TimeZone.WITA.value
WIT = Facility.TimeZone.WIT.value

_WITA_PROVINCES = {
    "Bali",
    "Nusa Tenggara Barat",
    "Nusa Tenggara Timur",
    "Kalimantan Selatan",
    "Kalimantan Timur",
    "Kalimantan Utara",
    "Sulawesi Utara",
    "Gorontalo",
    "Sulawesi Tengah",
    "Sulawesi Barat",
    "Sulawesi Selatan",
    "Sulawesi Tenggara",
}
_WIT_PROVINCES = {
    "Maluku",
    "Maluku Utara",
    "Papua",
    "Papua Barat",
    "Papua Barat Daya",
    "Papua Tengah",
    "Papua Pegunungan",
    "Papua Selatan",
}


def zone_for_province(province: str) -> str:
    """The IANA zone of `province`; WIB for an unknown or empty one."""
    if province in _WITA_PROVINCES:
        return WITA
    if province in _WIT_PROVINCES:
        return WIT
    return WIB


def zone_label(zone: str) -> str:
    """WIB, WITA or WIT."""
    return Facility.TimeZone(zone).label
