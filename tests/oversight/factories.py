"""The oversight suite's names for the factories in tests/factories.py: the one
ProductFactory and CategoryFactory with the `for_oversight` trait on (so rows
of the suites never collide on a slug), and the order builder `make_order`."""

from functools import partial

from tests import factories
from tests.factories import make_order

CategoryFactory = partial(factories.CategoryFactory, for_oversight=True)
ProductFactory = partial(factories.ProductFactory, for_oversight=True)

__all__ = ["CategoryFactory", "ProductFactory", "make_order"]
