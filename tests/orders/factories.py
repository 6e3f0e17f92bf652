"""The orders suite's names for the factories in tests/factories.py: the one
ProductFactory and CategoryFactory with the `for_orders` trait on, and the
checkout helper `place` (through the real service)."""

from functools import partial

from tests import factories
from tests.factories import (
    CONTACT,
    JAKARTA,
    DeliverySettingsFactory,
    ShippingRateFactory,
    place,
    shop,
)

CategoryFactory = partial(factories.CategoryFactory, for_orders=True)
ProductFactory = partial(factories.ProductFactory, for_orders=True)

__all__ = [
    "CONTACT",
    "JAKARTA",
    "CategoryFactory",
    "DeliverySettingsFactory",
    "ProductFactory",
    "ShippingRateFactory",
    "place",
    "shop",
]
