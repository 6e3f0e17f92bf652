"""The orders suite's names for the factories in tests/factories.py: the one
ProductFactory and CategoryFactory with the `for_orders` trait on, and the
checkout helper `place` (through the real service)."""

from functools import partial

from tests import factories
from tests.factories import (
    BANDUNG,
    CONTACT,
    JAKARTA,
    PALEMBANG,
    DeliverySettingsFactory,
    ShippingRateFactory,
    place,
    shop,
)

CategoryFactory = partial(factories.CategoryFactory, for_orders=True)
ProductFactory = partial(factories.ProductFactory, for_orders=True)

__all__ = [
    "BANDUNG",
    "CONTACT",
    "JAKARTA",
    "PALEMBANG",
    "CategoryFactory",
    "DeliverySettingsFactory",
    "ProductFactory",
    "ShippingRateFactory",
    "place",
    "shop",
]
