"""The stand till: an exhibition's till per facility, the stock set aside for
it, its sales (each with the phone's own UUID), QRIS charges, day closings and
the volunteer logins a facility makes for one event."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField


class Till(models.Model):
    """One facility's till at one exhibition (organiser or participant)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Buka")
        CLOSED = "closed", _("Ditutup")

    exhibition = models.ForeignKey(
        "facilities.Exhibition", on_delete=models.PROTECT, related_name="tills"
    )
    facility = models.ForeignKey(
        "facilities.Facility", on_delete=models.PROTECT, related_name="stand_tills"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Bumped with every sale, so two phones at one stand see the other's sales.
    version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("kasir stan")
        verbose_name_plural = _("kasir stan")
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "facility"], name="stand_till_once")
        ]

    def __str__(self):
        return f"{self.exhibition} · {self.facility}"


class SetAside(models.Model):
    """Stock of one product taken from the web shop's ready stock for a till.
    Left = set_aside - sold - returned; never below zero."""

    till = models.ForeignKey(Till, on_delete=models.CASCADE, related_name="stock")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    set_aside = models.PositiveIntegerField(default=0)
    sold = models.PositiveIntegerField(default=0)
    returned = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("stok stan")
        verbose_name_plural = _("stok stan")
        constraints = [
            models.UniqueConstraint(fields=["till", "product"], name="stand_setaside_once"),
            models.CheckConstraint(
                name="stand_setaside_not_over",
                condition=models.Q(set_aside__gte=models.F("sold") + models.F("returned")),
            ),
        ]

    def __str__(self):
        return f"{self.product_id} @ {self.till_id}"

    @property
    def left(self) -> int:
        return self.set_aside - self.sold - self.returned


class PaymentKind(models.TextChoices):
    CASH = "cash", _("Tunai")
    QRIS = "qris", _("QRIS")
    TRANSFER = "transfer", _("Transfer")


class Sale(models.Model):
    """One sale at a stand. `client_uuid` is made by the phone before the sale
    is sent, so a double tap or a replayed sync is the same row."""

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Tercatat")
        AWAITING_QRIS = "awaiting_qris", _("Menunggu QRIS")
        NEEDS_CHECK = "needs_check", _("Perlu dicek")
        REFUSED = "refused", _("Ditolak (kasir tutup)")
        VOID = "void", _("Batal")

    till = models.ForeignKey(Till, on_delete=models.PROTECT, related_name="sales")
    client_uuid = models.UUIDField(unique=True, default=uuid.uuid4)
    status = models.CharField(max_length=15, choices=Status.choices)
    payment = models.CharField(max_length=10, choices=PaymentKind.choices)
    total = MoneyField(default=0)
    cash_given = MoneyField(null=True, blank=True)
    transfer_reference = models.CharField(max_length=80, blank=True)
    # When the phone made it (offline sales arrive later) and its WIB day.
    sold_at = models.DateTimeField()
    day = models.DateField(db_index=True)
    received_at = models.DateTimeField(auto_now_add=True)
    offline = models.BooleanField(default=False)
    seller = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("penjualan stan")
        verbose_name_plural = _("penjualan stan")
        ordering = ["-sold_at", "-pk"]
        indexes = [models.Index(fields=["till", "status"], name="stand_sale_till_status")]

    def __str__(self):
        return str(self.client_uuid)

    @property
    def change(self) -> int | None:
        if self.payment != PaymentKind.CASH or self.cash_given is None:
            return None
        return self.cash_given - self.total

    @property
    def counts(self) -> bool:
        """Money and goods that changed hands and are in the reports."""
        return self.status == self.Status.RECORDED


class SaleLine(models.Model):
    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey("catalog.Product", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(max_length=200)
    unit_price = MoneyField()
    quantity = models.PositiveIntegerField()
    # False: the set-aside did not cover this line when the sale arrived.
    covered = models.BooleanField(default=True)

    def __str__(self):
        return f"{self.quantity}× {self.name}"

    @property
    def amount(self) -> int:
        return self.unit_price * self.quantity


class QrisCharge(models.Model):
    """A QRIS charge at the gateway for one sale: the intent is written before
    the call, with its own reference, so a retry is the same charge."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        PAID = "paid", _("Dibayar")
        FAILED = "failed", _("Gagal/kedaluwarsa")

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="qris_charges")
    gateway_order_id = models.CharField(max_length=64, unique=True)
    amount = MoneyField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    qr_string = models.TextField(blank=True)
    transaction_id = models.CharField(max_length=80, blank=True)
    charged_at = models.DateTimeField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.gateway_order_id


class Receipt(models.Model):
    """A receipt sent by WhatsApp: once per sale and phone."""

    sale = models.ForeignKey(Sale, on_delete=models.CASCADE, related_name="receipts")
    recipient = models.CharField(max_length=20)
    status = models.CharField(max_length=10, default="queued")
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sale", "recipient"], name="stand_receipt_once")
        ]

    def __str__(self):
        return f"{self.sale_id} → {self.recipient}"


class DayClose(models.Model):
    """Closing one day of a till: money counted against what was recorded."""

    till = models.ForeignKey(Till, on_delete=models.PROTECT, related_name="closings")
    day = models.DateField()
    cash_expected = MoneyField()
    cash_counted = MoneyField()
    qris_expected = MoneyField()
    qris_at_gateway = MoneyField()
    transfer_expected = MoneyField()
    reason = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tutup hari")
        verbose_name_plural = _("tutup hari")
        constraints = [models.UniqueConstraint(fields=["till", "day"], name="stand_day_close_once")]

    def __str__(self):
        return f"{self.till_id} {self.day}"

    @property
    def cash_difference(self) -> int:
        return self.cash_counted - self.cash_expected

    @property
    def qris_difference(self) -> int:
        return self.qris_at_gateway - self.qris_expected


class Volunteer(models.Model):
    """A login a facility makes for one event: it opens that till and nothing
    else, and stops working when the event ends."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stand_volunteer"
    )
    till = models.ForeignKey(Till, on_delete=models.CASCADE, related_name="volunteers")
    name = models.CharField(max_length=80)
    expires_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("relawan stan")
        verbose_name_plural = _("relawan stan")

    def __str__(self):
        return self.name
