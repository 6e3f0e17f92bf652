"""A product's photos, through the photo pipeline (core.images); a photo change
of an approved listing sends it back to review."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from catalog.models import (
    Product,
    ProductImage,
)
from catalog.services.listing import (
    ListingTransitionError,
    PhotoGoneError,
    _check_scope,
    _locked,
)
from catalog.services.products import _content_changed
from core.images import ProcessedImage, delete_stored, process_image, store_processed


def product_image_add(
    *,
    product: Product,
    upload: Any,
    alt_text: str,
    actor,
    position: int | None = None,
) -> ProductImage:
    """Run `upload` through the photo pipeline and attach it to `product`.

    `upload` is an uploaded file or an already ProcessedImage (the admin form
    processes it while validating). Raises core.images.ImageRejected for a
    refused file, ListingTransitionError for empty alt text,
    ListingPermissionError for an actor out of scope.
    """
    if not (alt_text or "").strip():
        raise ListingTransitionError(_("Teks alternatif foto wajib diisi."))
    processed = upload if isinstance(upload, ProcessedImage) else process_image(upload)
    with transaction.atomic():
        locked = _locked(product)
        _check_scope(actor, locked)
        if position is None:
            last = locked.images.order_by("-position").values_list("position", flat=True).first()
            position = 0 if last is None else last + 1
        name, renditions = store_processed(processed)
        image = ProductImage(
            product=locked,
            position=position,
            alt_text=alt_text.strip(),
            renditions=renditions,
            width=processed.width,
            height=processed.height,
        )
        image.image.name = name
        image.save()
        _content_changed(locked, actor, _("foto"))
    return image


def product_image_update(
    *, image: ProductImage, actor, alt_text: str | None = None, position: int | None = None
) -> ProductImage:
    """Change a photo's alt text or position; either is public content, so an
    approved listing goes back to review. Raises ListingPermissionError."""
    with transaction.atomic():
        locked = _locked(image.product)
        _check_scope(actor, locked)
        changed = []
        if alt_text is not None and alt_text.strip() and alt_text.strip() != image.alt_text:
            image.alt_text = alt_text.strip()
            changed.append("alt_text")
        if position is not None and position != image.position:
            image.position = position
            changed.append("position")
        if changed:
            image.save(update_fields=changed)
            _content_changed(locked, actor, _("foto"))
    return image


def product_image_delete(*, image: ProductImage, actor) -> None:
    """Remove a photo and, after commit, its files.

    Raises ListingPermissionError, and PhotoGoneError when the photo no longer
    exists (then nothing changes: no history row, no return to review).
    """
    gone = PhotoGoneError(_("Foto itu sudah dihapus sebelumnya (mungkin dari tab lain)."))
    if image.pk is None:  # the admin's form for a photo whose row is gone
        raise gone
    with transaction.atomic():
        locked = _locked(image.product)
        _check_scope(actor, locked)
        # A second request may have waited for the product's lock while the
        # first one deleted this photo.
        if not ProductImage.objects.filter(pk=image.pk).exists():
            raise gone
        name, renditions = image.image.name, dict(image.renditions)
        image.delete()
        _content_changed(locked, actor, _("foto"))
        transaction.on_commit(lambda: delete_stored(name, renditions))
