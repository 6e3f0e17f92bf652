"""Paying by bank transfer: the bank statements staff import to match
transfers to orders (orders.payments.statement_csv). The shopper's receipt
(PaymentProof) is the order core's: its steps confirm and reject it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from facilities.models import Facility
from orders.models import Order


class StatementImport(models.Model):
    """One upload of a bank statement export by staff, for one facility."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="statement_imports", verbose_name=_("UPT")
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("diunggah oleh"),
    )
    file_name = models.CharField(_("nama berkas"), max_length=200)
    layout = models.CharField(_("format"), max_length=40)
    credit_lines = models.PositiveIntegerField(_("baris kredit"), default=0)
    new_lines = models.PositiveIntegerField(_("baris baru"), default=0)
    confirmed = models.PositiveIntegerField(_("pembayaran dikonfirmasi"), default=0)
    created_at = models.DateTimeField(_("waktu unggah"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("impor mutasi rekening")
        verbose_name_plural = _("impor mutasi rekening")

    def __str__(self):
        return f"{self.file_name} ({self.created_at:%d-%m-%Y %H:%M})"


class StatementLine(models.Model):
    """A credit line of a bank statement and what matching did with it.

    The hash identifies the line across imports, and the unique constraint
    makes a second import of the same export skip it: nothing is confirmed twice.
    """

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", _("Pembayaran dikonfirmasi")
        AMOUNT_MISMATCH = "amount_mismatch", _("Nominal tidak sama")
        NOT_AWAITING = "not_awaiting", _("Pesanan tidak menunggu pembayaran")
        AMBIGUOUS = "ambiguous", _("Lebih dari satu kode pesanan")
        NO_MATCH = "no_match", _("Tidak ada kode pesanan")
        # Found by the reader (orders.payments.statement_csv), never confirmed automatically.
        BAD_DATE = "bad_date", _("Tanggal tidak ada di kalender")
        PENDING = "pending", _("Belum dibukukan bank (PEND)")
        NOT_CREDIT = "not_credit", _("Nominal negatif: bukan uang masuk")

    statement = models.ForeignKey(
        StatementImport, on_delete=models.CASCADE, related_name="lines", verbose_name=_("impor")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="statement_lines", verbose_name=_("UPT")
    )
    line_hash = models.CharField(max_length=64, editable=False)
    booked_on = models.DateField(_("tanggal"), null=True)
    # As the bank wrote it: what a person reads when `booked_on` could not be.
    date_text = models.CharField(_("tanggal tertulis"), max_length=40, blank=True)
    description = models.CharField(_("keterangan"), max_length=500)
    amount = models.DecimalField(_("nominal (Rp)"), max_digits=15, decimal_places=2)
    order = models.ForeignKey(
        Order,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statement_lines",
        verbose_name=_("pesanan"),
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
        ordering = ["booked_on", "id"]
        verbose_name = _("baris mutasi rekening")
        verbose_name_plural = _("baris mutasi rekening")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "line_hash"], name="statement_line_once_per_facility"
            )
        ]

    def __str__(self):
        return f"{self.booked_on} {self.description[:40]}"

    @property
    def needs_person(self) -> bool:
        return self.outcome != self.Outcome.CONFIRMED and self.resolved_at is None
