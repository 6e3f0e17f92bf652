"""Courier options for a parcel: the aggregator's (cached), else a fallback.

`courier_options` never raises for an aggregator fault: a timeout, an error or
no configuration returns the fallback's options (the facility's own table, a
function orders passes in) with source TABLE, so the checkout never blocks.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.core.cache import cache

from shipping import areas, biteship
from shipping.providers import AGGREGATOR, TABLE, Parcel, RateOption, ShippingError

log = logging.getLogger(__name__)

# Prices are asked for per half kilogram: 1,210 g and 1,480 g share a cache
# entry (couriers bill whole kilograms; the half keeps rounding honest).
WEIGHT_BUCKET_GRAMS = 500


@dataclass(frozen=True)
class RateAnswer:
    options: list[RateOption]
    source: str  # AGGREGATOR | TABLE

    @property
    def from_aggregator(self) -> bool:
        return self.source == AGGREGATOR

    def find(self, courier_code: str, service_code: str) -> RateOption | None:
        for option in self.options:
            if option.courier_code == courier_code and option.service_code == service_code:
                return option
        return None


def bucket_weight(weight_grams: int) -> int:
    return max(1, -(-weight_grams // WEIGHT_BUCKET_GRAMS)) * WEIGHT_BUCKET_GRAMS


def cache_key(parcel: Parcel, couriers: str) -> str:
    raw = f"{parcel.origin_postal_code}|{parcel.destination_postal_code}|"
    raw += f"{bucket_weight(parcel.weight_grams)}|{couriers}"
    return "shipping:rates:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def aggregator_options(parcel: Parcel, couriers: str = biteship.DEFAULT_COURIERS):
    """The aggregator's options, cached; raises ShippingError on a fault."""
    key = cache_key(parcel, couriers)
    cached = cache.get(key)
    if cached is not None:
        return [RateOption(**row) for row in cached]
    # Asked by area ids when both villages have one (looked up and cached per
    # village only here, on a rates cache miss), else by postal code.
    priced = areas.with_area_ids(replace(parcel, weight_grams=bucket_weight(parcel.weight_grams)))
    options = biteship.BiteshipClient().rates(priced, couriers)
    cache.set(key, [o.as_dict() for o in options], settings.BITESHIP_RATES_CACHE_SECONDS)
    return options


def courier_options(
    parcel: Parcel | None,
    *,
    fallback: Callable[[], list[RateOption]],
    couriers: str = biteship.DEFAULT_COURIERS,
) -> RateAnswer:
    """`parcel` None (no usable postal codes yet) goes straight to the fallback."""
    if parcel is not None and biteship.is_configured():
        try:
            options = aggregator_options(parcel, couriers)
        except ShippingError as error:
            log.warning("courier rates: aggregator unavailable, table used: %s", error)
        else:
            if options:
                return RateAnswer(options, AGGREGATOR)
    return RateAnswer(fallback(), TABLE)
