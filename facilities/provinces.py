"""Indonesia's 38 provinces: the one list, with each province's time zone and
island group.

Checkout's destination choices, the courier rate table, the shopper's clock
(orders/zones.py) and the demo's rate tables (seeds) all read it; spelling
here is the spelling `Facility.province` and an order's province are compared
in.
"""

from __future__ import annotations

from typing import NamedTuple

from regions.names import province_code_for_name

WIB, WITA, WIT = "Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"


class Province(NamedTuple):
    name: str
    time_zone: str
    island_group: str


ALL = [
    Province("Aceh", WIB, "Sumatera"),
    Province("Sumatera Utara", WIB, "Sumatera"),
    Province("Sumatera Barat", WIB, "Sumatera"),
    Province("Riau", WIB, "Sumatera"),
    Province("Kepulauan Riau", WIB, "Sumatera"),
    Province("Jambi", WIB, "Sumatera"),
    Province("Bengkulu", WIB, "Sumatera"),
    Province("Sumatera Selatan", WIB, "Sumatera"),
    Province("Kepulauan Bangka Belitung", WIB, "Sumatera"),
    Province("Lampung", WIB, "Sumatera"),
    Province("Banten", WIB, "Jawa"),
    Province("DKI Jakarta", WIB, "Jawa"),
    Province("Jawa Barat", WIB, "Jawa"),
    Province("Jawa Tengah", WIB, "Jawa"),
    Province("DI Yogyakarta", WIB, "Jawa"),
    Province("Jawa Timur", WIB, "Jawa"),
    Province("Bali", WITA, "Bali dan Nusa Tenggara"),
    Province("Nusa Tenggara Barat", WITA, "Bali dan Nusa Tenggara"),
    Province("Nusa Tenggara Timur", WITA, "Bali dan Nusa Tenggara"),
    Province("Kalimantan Barat", WIB, "Kalimantan"),
    Province("Kalimantan Tengah", WIB, "Kalimantan"),
    Province("Kalimantan Selatan", WITA, "Kalimantan"),
    Province("Kalimantan Timur", WITA, "Kalimantan"),
    Province("Kalimantan Utara", WITA, "Kalimantan"),
    Province("Sulawesi Utara", WITA, "Sulawesi"),
    Province("Gorontalo", WITA, "Sulawesi"),
    Province("Sulawesi Tengah", WITA, "Sulawesi"),
    Province("Sulawesi Barat", WITA, "Sulawesi"),
    Province("Sulawesi Selatan", WITA, "Sulawesi"),
    Province("Sulawesi Tenggara", WITA, "Sulawesi"),
    Province("Maluku", WIT, "Maluku dan Papua"),
    Province("Maluku Utara", WIT, "Maluku dan Papua"),
    Province("Papua", WIT, "Maluku dan Papua"),
    Province("Papua Barat", WIT, "Maluku dan Papua"),
    Province("Papua Barat Daya", WIT, "Maluku dan Papua"),
    Province("Papua Tengah", WIT, "Maluku dan Papua"),
    Province("Papua Pegunungan", WIT, "Maluku dan Papua"),
    Province("Papua Selatan", WIT, "Maluku dan Papua"),
]

NAMES = [province.name for province in ALL]
_BY_NAME = {province.name: province for province in ALL}
# Kemendagri code -> the name as this list spells it (tests check all 38 map).
_BY_CODE = {province_code_for_name(province.name): province for province in ALL}


def get(name: str) -> Province | None:
    return _BY_NAME.get(name)


def code_for_name(name: str) -> str:
    """The Kemendagri code of a province as spelt here or in free text, or ""."""
    return province_code_for_name(name) or ""


def name_for_code(code: str) -> str:
    """This list's name for a Kemendagri province code ("31" -> "DKI Jakarta"), or ""."""
    province = _BY_CODE.get(code or "")
    return province.name if province else ""


def island_groups() -> dict[str, list[str]]:
    """Island group -> its provinces, in list order."""
    groups: dict[str, list[str]] = {}
    for province in ALL:
        groups.setdefault(province.island_group, []).append(province.name)
    return groups
