from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu moderasi")
    PUBLISHED = "published", _("Terbit")
    REJECTED = "rejected", _("Ditolak")


class ProductReview(models.Model):
    """A shopper's review of one order line: at most one per line (the one-to-one)."""

    order_line = models.OneToOneField(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="review"
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
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moderated_at = models.DateTimeField(_("dimoderasi pada"), null=True, blank=True)
    reply = models.TextField(_("balasan UPT"), blank=True)
    reply_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
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
