"""Units held for a shopper's cart. Part of catalog.models (imported there)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class StockHold(models.Model):
    """Units of a product set aside for one cart from "+ Keranjang" until the
    order is placed, the line is removed, or the hold expires.

    The units have left `Product.stock` (so every page and check that reads
    the stock sees what others can still buy) and come back when the hold is
    released or swept (catalog.stock_holds). `holder` is the cart's own random
    id, kept in the shopper's session; no account is needed. Rows change only
    through catalog.stock_holds, under the product's row lock.
    """

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="holds", verbose_name=_("produk")
    )
    holder = models.CharField(_("keranjang"), max_length=32)
    quantity = models.PositiveIntegerField(_("jumlah"))
    expires_at = models.DateTimeField(_("disimpan sampai"), db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("stok ditahan di keranjang")
        verbose_name_plural = _("stok ditahan di keranjang")
        constraints = [
            models.UniqueConstraint(fields=["holder", "product"], name="stock_hold_one_per_cart"),
            models.CheckConstraint(condition=models.Q(quantity__gt=0), name="stock_hold_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} × {self.product_id} ({self.holder[:8]})"
