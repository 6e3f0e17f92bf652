"""The aggregator's area ids for Kemendagri villages (Biteship's Maps API),
so rates can be asked by `origin_area_id` / `destination_area_id`.

An area is looked up once per village and kept in the cache (30 days; a
failed lookup is remembered for an hour, so a Maps outage costs one call per
village, not one per checkout). Whenever an id is missing the rates are
asked by postal code, as before: the lookup never blocks a price.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from django.core.cache import cache

from regions.models import Village
from shipping.biteship import BiteshipClient
from shipping.providers import Parcel, ShippingError

log = logging.getLogger(__name__)

AREA_SECONDS = 30 * 24 * 3600
MISS_SECONDS = 3600
MISS = "-"  # cached "looked up, none found"


def _key(village_code: str) -> str:
    return f"shipping:area:{village_code}"


def search_text(village: Village) -> str:
    """What the Maps API is asked for: district, regency and postal code."""
    district = village.district
    return f"{district.name}, {district.regency.name}, {village.postal_code}".strip(", ")


def pick(areas: list[dict], postal_code: str) -> str:
    """The area with the village's postal code, else the only one found."""
    for area in areas:
        if str(area.get("postal_code") or "") == postal_code:
            return str(area["id"])
    return str(areas[0]["id"]) if len(areas) == 1 else ""


def area_id_for_village(village_code: str, *, client: BiteshipClient | None = None) -> str:
    """The area id for a village code, "" when unknown or the lookup fails."""
    if not village_code:
        return ""
    cached = cache.get(_key(village_code))
    if cached is not None:
        return "" if cached == MISS else cached
    village = Village.objects.select_related("district__regency").filter(code=village_code).first()
    area = ""
    if village is not None:
        try:
            found = (client or BiteshipClient()).areas(search_text(village))
            area = pick(found, village.postal_code)
        except ShippingError as error:
            log.warning("biteship areas: %s (postal codes used)", error)
    cache.set(_key(village_code), area or MISS, AREA_SECONDS if area else MISS_SECONDS)
    return area


def with_area_ids(parcel: Parcel) -> Parcel:
    """`parcel` with both area ids when both villages have one; else as it was
    (rates by postal code)."""
    origin = area_id_for_village(parcel.origin_village_code)
    destination = area_id_for_village(parcel.destination_village_code) if origin else ""
    if not (origin and destination):
        return parcel
    return replace(parcel, origin_area_id=origin, destination_area_id=destination)
