"""Invoices (faktur): one per order, numbered per facility per year without gaps.

An invoice is a copy of the order as it was billed: the facility's name,
address, contact and bank accounts, the buyer, the lines with their units
and the amounts are written into the row when it is issued, so a facility
that later moves, changes its bank account or renames a product does not
rewrite an invoice already printed and handed over.

When an invoice is issued and how its number is taken are decided in
orders.documents.invoices, nowhere else. The number comes from InvoiceNumberCounter,
locked in the transaction that creates the invoice: a rolled-back issue gives
its number back, so the sequence has no gaps; the unique constraint on
(facility, year, sequence) makes a duplicate impossible even if that rule
were bypassed.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField
from facilities.models import Facility


class InvoiceNumberCounter(models.Model):
    """The last invoice number a facility used in a year; the row is the lock."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    last_number = models.PositiveIntegerField(_("nomor terakhir"), default=0)

    class Meta:
        verbose_name = _("penomoran faktur")
        verbose_name_plural = _("penomoran faktur")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "year"], name="invoice_counter_one_per_facility_year"
            )
        ]

    def __str__(self):
        return f"{self.facility_id}/{self.year}: {self.last_number}"


class Invoice(models.Model):
    order = models.OneToOneField(
        "orders.Order", on_delete=models.PROTECT, related_name="invoice", verbose_name=_("pesanan")
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="invoices", verbose_name=_("UPT")
    )
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("nomor urut"))
    number = models.CharField(_("nomor faktur"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("diterbitkan"))
    # The facility's own calendar day (WIB/WITA/WIT): the year of the number.
    issued_on = models.DateField(_("tanggal faktur"))

    # The seller as it was when the invoice was issued.
    seller_name = models.CharField(_("nama UPT"), max_length=160)
    seller_address = models.CharField(_("alamat UPT"), max_length=400)
    seller_phone = models.CharField(_("telepon UPT"), max_length=40, blank=True)
    seller_email = models.CharField(_("email UPT"), max_length=254, blank=True)
    # [{"bank_name", "account_number", "account_holder"}] of its active accounts.
    seller_bank_accounts = models.JSONField(_("rekening UPT"), default=list, blank=True)

    # The buyer as billed. Personal fields are blanked by the order's erasure
    # (orders.privacy.order_anonymise); organisation and NPWP belong to an office.
    buyer_name = models.CharField(_("nama pembeli"), max_length=120)
    buyer_organisation = models.CharField(_("instansi/perusahaan"), max_length=160, blank=True)
    buyer_npwp = models.CharField(_("NPWP pembeli"), max_length=16, blank=True)
    buyer_address = models.CharField(_("alamat pembeli"), max_length=500, blank=True)

    # [{"name", "unit", "quantity", "unit_price", "line_total"}] as billed.
    lines = models.JSONField(_("baris"), default=list)
    subtotal = MoneyField(_("subtotal (Rp)"))
    shipping_fee = MoneyField(_("ongkos kirim (Rp)"))
    total = MoneyField(_("total (Rp)"))
    delivery_method = models.CharField(_("pengiriman"), max_length=10)
    payment_method = models.CharField(_("pembayaran"), max_length=20)
    # None: paid before the goods left (the invoice says LUNAS);
    # N: to be paid within N days after delivery.
    payment_terms_days = models.PositiveSmallIntegerField(_("tempo (hari)"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("faktur")
        verbose_name_plural = _("faktur")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "year", "sequence"], name="invoice_number_unique"
            ),
            models.CheckConstraint(
                name="invoice_sequence_positive", condition=models.Q(sequence__gt=0)
            ),
            models.CheckConstraint(
                name="invoice_total_adds_up",
                condition=models.Q(total=models.F("subtotal") + models.F("shipping_fee")),
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def settled_at_issue(self) -> bool:
        return self.payment_terms_days is None
