"""factory_boy factories for catalog rows (categories, products, photos)."""

import factory
from django.utils import timezone

from catalog.models import Category, ListingStatus, Product, ProductImage
from tests.factories import FacilityFactory


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    name_id = factory.Sequence(lambda n: f"Kategori Uji {n}")
    name_en = factory.Sequence(lambda n: f"Test Category {n}")
    slug = factory.Sequence(lambda n: f"kategori-uji-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    """An approved (public) product unless told otherwise."""

    class Meta:
        model = Product

    facility = factory.SubFactory(FacilityFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Produk Uji {n}")
    slug = factory.Sequence(lambda n: f"produk-uji-{n}")
    description = "Dibuat dengan tangan di bengkel kerja UPT."
    price = 125_000
    weight_grams = 500
    stock = 10
    status = ListingStatus.APPROVED
    approved_at = factory.LazyFunction(timezone.now)


class ProductImageFactory(factory.django.DjangoModelFactory):
    """A photo row with renditions named as core.images names them; the
    files themselves are not needed to render URLs."""

    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.Sequence(lambda n: f"products/foto-{n}.jpg")
    width = 1600
    height = 1200
    alt_text = factory.LazyAttribute(lambda o: f"Foto {o.product.name}")
    renditions = factory.Sequence(
        lambda n: {
            str(w): {
                "webp": f"products/r/foto-{n}-{w}.webp",
                "jpeg": f"products/r/foto-{n}-{w}.jpg",
                "width": w,
                "height": w * 3 // 4,
            }
            for w in (320, 640, 1280)
        }
    )
