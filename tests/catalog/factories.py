"""Old path of the catalog factories: they live in tests/factories.py."""

from tests.factories import CategoryFactory, ProductFactory, ProductImageFactory

__all__ = ["CategoryFactory", "ProductFactory", "ProductImageFactory"]
