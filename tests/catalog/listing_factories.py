"""Photo bytes and a product with a processed photo for the listing/photo/admin
tests; the factories themselves live in tests/factories.py."""

import io
from functools import partial

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from catalog.models import ListingStatus, Product
from tests.factories import ProductFactory

# A draft product row: tests/factories.py's ProductFactory with `draft` on.
DraftProductFactory = partial(ProductFactory, draft=True)


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
