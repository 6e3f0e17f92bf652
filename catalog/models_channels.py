"""Products at partner outlets and exhibitions, and the consignment stock
moved to outlets. Part of catalog.models (imported there, so
`catalog.models.OutletProduct` is the name to use)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField
from core.money import MAX_UNIT_AMOUNT


class OutletProduct(models.Model):
    """A product a partner outlet carries (shown as "also available at"), and
    its consignment stock there.

    `on_hand` is what the facility handed over and the outlet still holds; it
    left the web shop's ready stock when handed over, so a piece is never sold
    twice across channels. `sold` is what the outlet has reported sold. Both
    change only through catalog.services (consignment_*), which write a
    ConsignmentMovement for each change.
    """

    outlet = models.ForeignKey(
        "facilities.PartnerOutlet",
        on_delete=models.CASCADE,
        related_name="products_carried",
        verbose_name=_("mitra penjualan"),
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="outlet_links",
        verbose_name=_("produk"),
    )
    on_hand = models.PositiveIntegerField(_("titipan di mitra"), default=0, editable=False)
    sold = models.PositiveIntegerField(_("terjual di mitra"), default=0, editable=False)

    class Meta:
        verbose_name = _("produk di mitra")
        verbose_name_plural = _("produk di mitra")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "product"], name="outlet_product_once")
        ]

    def __str__(self):
        return f"{self.product} @ {self.outlet}"

    def clean(self):
        super().clean()
        # In the admin's inline the outlet may be new (no id yet) but is set.
        outlet = self._meta.get_field("outlet").get_cached_value(self, default=None)
        if outlet is None and self.outlet_id:
            outlet = self.outlet
        outlet_facility = outlet.facility_id if outlet is not None else None
        product_facility = self.product.facility_id if self.product_id else None
        if outlet_facility and product_facility and outlet_facility != product_facility:
            raise ValidationError(
                {"product": _("Produk harus milik UPT yang sama dengan mitra penjualan.")}
            )


class ExhibitionProduct(models.Model):
    """A product on show at an exhibition."""

    exhibition = models.ForeignKey(
        "facilities.Exhibition",
        on_delete=models.CASCADE,
        related_name="products_on_show",
        verbose_name=_("pameran"),
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="exhibition_links",
        verbose_name=_("produk"),
    )

    class Meta:
        verbose_name = _("produk dipamerkan")
        verbose_name_plural = _("produk dipamerkan")
        constraints = [
            models.UniqueConstraint(
                fields=["exhibition", "product"], name="exhibition_product_once"
            )
        ]

    def __str__(self):
        return f"{self.product} @ {self.exhibition}"


class ConsignmentMovement(models.Model):
    """One change of consignment stock: goods handed to an outlet, reported
    sold by it, or returned to the facility. The consignment's history."""

    class Kind(models.TextChoices):
        HANDOVER = "handover", _("Diserahkan ke mitra")
        SOLD = "sold", _("Dilaporkan terjual")
        RETURNED = "returned", _("Dikembalikan ke UPT")

    link = models.ForeignKey(
        OutletProduct,
        on_delete=models.PROTECT,
        related_name="movements",
        verbose_name=_("produk di mitra"),
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    quantity = models.PositiveIntegerField(_("jumlah"), validators=[MinValueValidator(1)])
    # Price per piece when reported sold, for the sales figures (may differ
    # from the web price at an outlet's counter).
    unit_price = MoneyField(_("harga satuan (Rp)"), null=True, blank=True, limit=MAX_UNIT_AMOUNT)
    occurred_on = models.DateField(_("tanggal"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("mutasi titipan")
        verbose_name_plural = _("mutasi titipan")
        constraints = [
            models.CheckConstraint(
                name="consignment_quantity_positive", condition=models.Q(quantity__gt=0)
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity} × {self.link}"
