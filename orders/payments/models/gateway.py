"""Paying online through the payment gateway (QRIS, virtual accounts,
e-wallets): the charge per checkout, the notifications received, refunds sent
back through it, and the settlements the gateway pays out to facilities."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField
from facilities.models import Facility
from orders.models import Checkout, Order


class GatewayChannel(models.TextChoices):
    QRIS = "qris", _("QRIS (semua e-wallet dan m-banking)")
    BCA_VA = "bca_va", _("Virtual account BCA")
    BNI_VA = "bni_va", _("Virtual account BNI")
    BRI_VA = "bri_va", _("Virtual account BRI")
    PERMATA_VA = "permata_va", _("Virtual account Permata")
    GOPAY = "gopay", _("GoPay")
    SHOPEEPAY = "shopeepay", _("ShopeePay")


class GatewayPayment(models.Model):
    """One gateway charge for all online-paid orders of a checkout: one QRIS,
    virtual account or e-wallet payment of their grand total."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu pembayaran")
        PAID = "paid", _("Dibayar")
        FAILED = "failed", _("Gagal / kedaluwarsa")

    checkout = models.ForeignKey(
        Checkout, on_delete=models.PROTECT, related_name="gateway_payments", editable=False
    )
    # Midtrans's order_id: unique per charge attempt, never reused.
    gateway_order_id = models.CharField(_("ID transaksi gateway"), max_length=64, unique=True)
    channel = models.CharField(_("cara bayar"), max_length=20, choices=GatewayChannel.choices)
    amount = MoneyField(_("jumlah (Rp)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    gateway_status = models.CharField(_("status di gateway"), max_length=30, blank=True)
    transaction_id = models.CharField(max_length=64, blank=True)
    qr_string = models.TextField(blank=True)
    va_number = models.CharField(_("nomor virtual account"), max_length=40, blank=True)
    deeplink_url = models.URLField(max_length=500, blank=True)
    expires_at = models.DateTimeField(_("berlaku sampai"), null=True, blank=True)
    response = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    # The row is written (the intent) before the charge is asked for; this is
    # when the gateway's answer (QR, account number) was recorded. Null: the
    # answer never came (a crash or timeout), for the sweep to find out.
    charged_at = models.DateTimeField(_("dijawab gateway"), null=True, blank=True)
    # When the sweep (gateway_services.reconcile) last asked the gateway.
    checked_at = models.DateTimeField(_("dicek ke gateway"), null=True, blank=True)
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pembayaran gateway")
        verbose_name_plural = _("pembayaran gateway")
        constraints = [
            # One open charge per checkout: two retries racing cannot both
            # start a new charge (two QR codes, two payments).
            models.UniqueConstraint(
                fields=["checkout"],
                condition=models.Q(status="pending"),
                name="gateway_payment_one_pending_per_checkout",
            )
        ]

    def __str__(self):
        return self.gateway_order_id

    @property
    def is_payable(self) -> bool:
        """Pending with something the shopper can pay with (QR, account, app link)."""
        return self.status == self.Status.PENDING and bool(
            self.qr_string or self.va_number or self.deeplink_url
        )

    @property
    def is_being_prepared(self) -> bool:
        """Pending, but the gateway's answer (QR or account number) is not here yet."""
        return self.status == self.Status.PENDING and not self.is_payable


class GatewayNotification(models.Model):
    """A verified notification from the gateway, stored before any work is done.

    `event_key` hashes what identifies the event (order, transaction, status,
    amount): the unique constraint makes a replayed or concurrent duplicate one
    row, so its work is queued once.
    """

    event_key = models.CharField(max_length=64, unique=True, editable=False)
    gateway_order_id = models.CharField(_("ID transaksi gateway"), max_length=64, db_index=True)
    transaction_status = models.CharField(_("status"), max_length=30)
    status_code = models.CharField(max_length=5)
    gross_amount = models.CharField(max_length=20)
    payload = models.JSONField(default=dict)
    received_at = models.DateTimeField(_("diterima"), auto_now_add=True)
    processed_at = models.DateTimeField(_("diproses"), null=True, blank=True)
    outcome = models.CharField(_("hasil"), max_length=300, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("notifikasi gateway")
        verbose_name_plural = _("notifikasi gateway")

    def __str__(self):
        return f"{self.gateway_order_id} {self.transaction_status}"


class GatewayRefund(models.Model):
    """Money given back through the gateway for one order (cancelled after
    payment, or paid after it expired). `refund_key` makes a retried request
    one refund at the gateway."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Diproses")
        DONE = "done", _("Berhasil")
        FAILED = "failed", _("Gagal — perlu ditangani")
        # The gateway cannot refund this channel (virtual accounts): the money
        # is held until a person transfers it to the shopper's bank account.
        MANUAL = "manual", _("Menunggu transfer manual oleh petugas")

    payment = models.ForeignKey(
        GatewayPayment, on_delete=models.PROTECT, related_name="refunds", editable=False
    )
    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="gateway_refunds", verbose_name=_("pesanan")
    )
    amount = MoneyField(_("jumlah (Rp)"))
    refund_key = models.CharField(max_length=64, unique=True, editable=False)
    reason = models.CharField(_("alasan"), max_length=300)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    response = models.JSONField(default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    done_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    # A manual refund (MANUAL -> DONE): where the money went and who sent it.
    shopper_bank_account = models.CharField(
        _("rekening pembeli (bank, nomor, atas nama)"), max_length=200, blank=True
    )
    transfer_reference = models.CharField(_("referensi transfer"), max_length=100, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditransfer oleh"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pengembalian dana gateway")
        verbose_name_plural = _("pengembalian dana gateway")
        # No longer one per order: partial refunds (complaints) add rows; the
        # refund_key keeps each one single, and orders.payments.services.order_refunds keeps the sum
        # within what was paid.

    def __str__(self):
        return f"{self.order} {self.amount}"


class SettlementEntry(models.Model):
    """What the operator owes one facility for one order paid through the
    gateway: the settlement ledger the operator pays out from."""

    class Status(models.TextChoices):
        OWED = "owed", _("Belum disetor ke UPT")
        PAID_OUT = "paid_out", _("Sudah disetor ke UPT")
        REFUNDED = "refunded", _("Dikembalikan ke pembeli")

    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="settlement", verbose_name=_("pesanan")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="settlements", verbose_name=_("UPT")
    )
    payment = models.ForeignKey(
        GatewayPayment, on_delete=models.PROTECT, related_name="settlements", editable=False
    )
    amount = MoneyField(_("jumlah (Rp)"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OWED, db_index=True
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)
    paid_out_at = models.DateTimeField(_("disetor pada"), null=True, blank=True)
    paid_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetor oleh"),
    )
    payout_reference = models.CharField(_("referensi transfer setoran"), max_length=100, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("setoran ke UPT")
        verbose_name_plural = _("buku setoran ke UPT")

    def __str__(self):
        return f"{self.order} → {self.facility}"


# Registered with this app; kept in their own module (see its docstring).
