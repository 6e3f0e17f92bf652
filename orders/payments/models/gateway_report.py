"""The gateway's own account of what it settled: lines of its settlement
report (CSV from the Midtrans dashboard), each matched to one of our payments
the way bank-statement lines are matched to orders (orders.payments.models.transfers)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from orders.payments.models.gateway import GatewayPayment, GatewayRefund


class GatewayReportImport(models.Model):
    """One upload of the gateway's settlement report by head office."""

    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    file_name = models.CharField(_("nama berkas"), max_length=200)
    lines_read = models.PositiveIntegerField(_("baris dibaca"), default=0)
    new_lines = models.PositiveIntegerField(_("baris baru"), default=0)
    matched = models.PositiveIntegerField(_("baris cocok"), default=0)
    created_at = models.DateTimeField(_("waktu unggah"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor laporan settlement gateway")
        verbose_name_plural = _("impor laporan settlement gateway")

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d-%m-%Y %H:%M})"


class GatewayReportLine(models.Model):
    """A line of the gateway's report and what matching made of it.

    The hash identifies the line across imports (unique): a second import of
    the same report adds nothing. A settlement line is MATCHED to at most one
    payment, and a payment has at most one MATCHED line (partial unique
    constraint), so "every settlement matches exactly one payment" is held by
    the database, not only by the matcher.
    """

    class Outcome(models.TextChoices):
        MATCHED = "matched", _("Cocok dengan pembayaran")
        REFUND_MATCHED = "refund_matched", _("Pengembalian dana cocok dengan buku")
        OTHER_STATUS = "other_status", _("Bukan pelunasan (tidak ada uang masuk)")
        # Each of these waits for a person.
        UNKNOWN_ORDER = "unknown_order", _("ID transaksi tidak dikenal di sini")
        AMOUNT_MISMATCH = "amount_mismatch", _("Nominal berbeda dari pembayaran")
        NOT_PAID_HERE = "not_paid_here", _("Lunas di gateway, belum tercatat dibayar di sini")
        DUPLICATE = "duplicate", _("Baris kedua untuk satu pembayaran")
        REFUND_UNRECORDED = "refund_unrecorded", _("Pengembalian dana di gateway tidak tercatat")
        PAID_HERE_ONLY = "paid_here_only", _("Dibayar di sini, gateway menyatakan tidak lunas")
        BAD_ROW = "bad_row", _("Baris tidak terbaca (tanggal atau nominal)")

    report = models.ForeignKey(
        GatewayReportImport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("impor")
    )
    line_hash = models.CharField(max_length=64, unique=True, editable=False)
    gateway_order_id = models.CharField(_("order ID gateway"), max_length=64, db_index=True)
    transaction_id = models.CharField(_("transaction ID"), max_length=64, blank=True)
    payment_type = models.CharField(_("cara bayar"), max_length=40, blank=True)
    transaction_status = models.CharField(_("status di gateway"), max_length=30)
    gross_amount = models.DecimalField(_("nominal (Rp)"), max_digits=15, decimal_places=2)
    fee = models.DecimalField(_("biaya (Rp)"), max_digits=15, decimal_places=2, default=0)
    net_amount = models.DecimalField(_("bersih (Rp)"), max_digits=15, decimal_places=2, default=0)
    settled_at = models.DateTimeField(_("waktu settlement"), null=True, blank=True)
    # The WIB day the books check files the line under; the day as written
    # when it could not be read.
    settled_on = models.DateField(_("tanggal settlement"), null=True, blank=True, db_index=True)
    time_text = models.CharField(_("waktu tertulis"), max_length=40, blank=True)
    payment = models.ForeignKey(
        GatewayPayment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_lines",
        verbose_name=_("pembayaran"),
    )
    refund = models.ForeignKey(
        GatewayRefund,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_lines",
        verbose_name=_("pengembalian dana"),
    )
    outcome = models.CharField(_("hasil"), max_length=20, choices=Outcome.choices)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    resolved_at = models.DateTimeField(_("ditangani pada"), null=True, blank=True)

    class Meta:
        ordering = ["settled_on", "id"]
        verbose_name = _("baris laporan settlement gateway")
        verbose_name_plural = _("baris laporan settlement gateway")
        constraints = [
            models.UniqueConstraint(
                fields=["payment"],
                condition=models.Q(outcome="matched"),
                name="gateway_report_one_settlement_per_payment",
            ),
            models.UniqueConstraint(
                fields=["refund"],
                condition=models.Q(outcome="refund_matched"),
                name="gateway_report_one_line_per_refund",
            ),
        ]

    def __str__(self):
        return f"{self.gateway_order_id} {self.transaction_status} {self.gross_amount}"

    @property
    def needs_person(self) -> bool:
        return self.outcome in NEEDS_PERSON and self.resolved_at is None


_O = GatewayReportLine.Outcome
NEEDS_PERSON = frozenset(
    o.value
    for o in (
        _O.UNKNOWN_ORDER,
        _O.AMOUNT_MISMATCH,
        _O.NOT_PAID_HERE,
        _O.DUPLICATE,
        _O.REFUND_UNRECORDED,
        _O.PAID_HERE_ONLY,
        _O.BAD_ROW,
    )
)
