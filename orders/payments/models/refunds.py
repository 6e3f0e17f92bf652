"""Money given back to a shopper on an order that was paid: the refunds ledger.

One row per refund, whatever its reason (a complaint's decision, a goodwill
gesture); the reason's source (e.g. "complaint:12") is a plain reference so
orders never imports the apps that ask for refunds. Sales reports subtract
these rows (net = gross - refunds).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField


class OrderRefund(models.Model):
    class Method(models.TextChoices):
        GATEWAY = "gateway", _("Lewat gateway pembayaran")
        TRANSFER = "transfer", _("Transfer manual ke pembeli")

    order = models.ForeignKey(
        "orders.Order", on_delete=models.PROTECT, related_name="refunds", verbose_name=_("pesanan")
    )
    amount = MoneyField(_("jumlah (Rp)"))
    reason = models.CharField(_("alasan"), max_length=300)
    # Idempotency: the same key twice is the same refund.
    refund_key = models.CharField(max_length=80, unique=True, editable=False)
    source = models.CharField(_("sumber"), max_length=40, blank=True, db_index=True)
    method = models.CharField(_("cara"), max_length=10, choices=Method.choices)
    gateway_refund = models.OneToOneField(
        "orders.GatewayRefund",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="order_refund",
        editable=False,
    )
    transfer_reference = models.CharField(_("referensi transfer"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pengembalian dana")
        verbose_name_plural = _("pengembalian dana")
        constraints = [
            models.CheckConstraint(name="order_refund_positive", condition=models.Q(amount__gt=0))
        ]

    def __str__(self):
        return f"{self.order} −{self.amount}"
