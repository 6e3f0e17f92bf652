"""Rows and photo bytes for the listing/photo/admin tests (kept apart from
tests/catalog/factories.py, which the storefront tests own)."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from catalog.models import ListingStatus, Product
from tests.catalog.factories import ProductFactory


class DraftProductFactory(ProductFactory):
    """A draft product row; the services under test move it on."""

    name = factory.Sequence(lambda n: f"Tas Rajut Uji {n}")
    slug = factory.Sequence(lambda n: f"tas-rajut-uji-{n}")
    description = "Tas rajut benang katun, dikerjakan tangan."
    weight_grams = 400
    status = ListingStatus.DRAFT
    approved_at = None


def image_bytes(fmt="JPEG", size=(800, 600), color=(200, 80, 40), **save_kwargs) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt, **save_kwargs)
    return out.getvalue()


def upload(data: bytes, name="foto.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)



def product_with_photo(status=ListingStatus.DRAFT, **kwargs) -> Product:
    """A product with one processed photo, at `status` (use with `media`)."""
    from catalog.services import product_image_add

    product = DraftProductFactory(**kwargs)
    product_image_add(
        product=product,
        upload=upload(image_bytes(size=(400, 300))),
        alt_text="Foto produk",
        actor=None,
    )
    if status != product.status:
        now = timezone.now()
        Product.objects.filter(pk=product.pk).update(
            status=status,
            approved_at=now if status == ListingStatus.APPROVED else None,
            submitted_at=now if status == ListingStatus.PENDING_REVIEW else None,
        )
        product.refresh_from_db()
    return product
