from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.private_media import PRIVATE_MEDIA_PREFIX


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu moderasi")
    PUBLISHED = "published", _("Terbit")
    REJECTED = "rejected", _("Ditolak")


class ProductReview(models.Model):
    """A shopper's review of one order line: at most one per line (the one-to-one)."""

    order_line = models.OneToOneField(
        "orders.OrderLine",
        on_delete=models.CASCADE,
        related_name="review",
        verbose_name=_("barang pesanan"),
    )
    # Denormalised from the line so the product page and storefront filter one table.
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="product_reviews",
        verbose_name=_("produk"),
    )
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.CASCADE,
        related_name="product_reviews",
        verbose_name=_("UPT"),
    )
    rating = models.PositiveSmallIntegerField(_("nilai"))
    text = models.TextField(_("ulasan"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reject_reason = models.TextField(_("alasan penolakan"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dimoderasi oleh"),
    )
    moderated_at = models.DateTimeField(_("dimoderasi pada"), null=True, blank=True)
    reply = models.TextField(_("balasan UPT"), blank=True)
    reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibalas oleh"),
    )
    reply_at = models.DateTimeField(_("dibalas pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dikirim"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ulasan produk")
        verbose_name_plural = _("ulasan produk")
        constraints = [
            models.CheckConstraint(
                name="review_rating_1_to_5", condition=models.Q(rating__gte=1, rating__lte=5)
            ),
        ]
        indexes = [models.Index(fields=["product", "status", "-created_at"])]

    def __str__(self):
        return f"{self.rating}★ {self.product_id}"


# Stored privately: a pending or rejected review's photo may show what the
# checklist keeps off the site (an inmate, a shopper's home), so only
# reviews.views.review_photo serves it, and only while the review is published.
REVIEW_PHOTO_FOLDER = f"{PRIVATE_MEDIA_PREFIX}reviews"


class ReviewPhoto(models.Model):
    """A shopper's photo with their review, re-encoded by core.images (no
    metadata) with the same renditions as product photos."""

    review = models.ForeignKey(ProductReview, on_delete=models.CASCADE, related_name="photos")
    position = models.PositiveSmallIntegerField(default=0)
    image = models.FileField(_("foto"), max_length=200, editable=False)
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    # {"320": {"webp": name, "jpeg": name, "width": .., "height": ..}, ...}
    renditions = models.JSONField(default=dict, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("foto ulasan")
        verbose_name_plural = _("foto ulasan")

    def __str__(self):
        return f"#{self.pk}"

    def rendition(self, width: int) -> dict | None:
        return self.renditions.get(str(width))
