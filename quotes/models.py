"""Requests for a quote from institutional buyers, and the facility's quotes.

A request (several products of one facility) is answered by one quote after
another: a change request from the buyer lets staff send a new version, which
supersedes the last. Prices are stored on the quote's lines, so a later tier
change never touches a quote already sent. Accepting one creates one order
(QuoteRequest.order is unique; quotes.services locks the request row).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField, PhoneField
from core.money import MAX_UNIT_AMOUNT
from orders.models import DeliveryMethod, new_public_code


def new_token() -> str:
    # 32 bytes of randomness: the link is the buyer's only key, never guessable.
    return secrets.token_urlsafe(32)


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Menunggu penawaran UPT")
    QUOTED = "quoted", _("Penawaran dikirim")
    CHANGE_REQUESTED = "change_requested", _("Pembeli minta perubahan")
    ACCEPTED = "accepted", _("Disetujui; pesanan dibuat")
    DECLINED = "declined", _("Ditolak UPT")


class QuoteStatus(models.TextChoices):
    SENT = "sent", _("Dikirim ke pembeli")
    ACCEPTED = "accepted", _("Disetujui pembeli")
    CHANGE_REQUESTED = "change_requested", _("Pembeli minta perubahan")
    SUPERSEDED = "superseded", _("Diganti versi baru")


class QuoteRequest(models.Model):
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.PROTECT,
        related_name="quote_requests",
        verbose_name=_("UPT"),
    )
    code = models.CharField(
        _("kode permintaan"), max_length=10, unique=True, default=new_public_code
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    buyer_organisation = models.CharField(_("instansi/perusahaan"), max_length=160)
    buyer_npwp = models.CharField(_("NPWP"), max_length=16)
    contact_name = models.CharField(_("nama kontak"), max_length=120)
    contact_phone = PhoneField(_("telepon"))
    contact_email = models.EmailField(_("email"))
    province = models.CharField(_("provinsi"), max_length=80)
    city = models.CharField(_("kota/kabupaten"), max_length=80)
    street = models.CharField(_("alamat pengiriman"), max_length=255)
    needed_by = models.DateField(_("dibutuhkan paling lambat"))
    # Asked for when a quantity is over stock (quotes.stock): the day the buyer
    # accepts the goods being ready to ship, the rest made for them till then.
    ready_by = models.DateField(_("siap dikirim tanggal"), null=True, blank=True)
    notes = models.TextField(_("catatan pembeli"), max_length=2000, blank=True)
    # The one order an accepted quote made: unique, so a second never exists.
    order = models.OneToOneField(
        "orders.Order",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quote_request",
        verbose_name=_("pesanan"),
        editable=False,
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("permintaan penawaran")
        verbose_name_plural = _("permintaan penawaran")
        indexes = [
            models.Index(fields=["facility", "status"], name="quote_request_fac_status"),
            # "Pesanan saya": every quote of one phone, newest first.
            models.Index(fields=["contact_phone", "-created_at"], name="quote_request_phone"),
        ]

    def __str__(self):
        return f"{self.code} · {self.buyer_organisation}"

    @property
    def address_line(self) -> str:
        return ", ".join(p for p in (self.street, self.city, self.province) if p)


class QuoteRequestLine(models.Model):
    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("produk")
    )
    quantity = models.PositiveIntegerField(_("jumlah"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("barang diminta")
        verbose_name_plural = _("barang diminta")
        constraints = [
            models.CheckConstraint(
                name="quote_req_line_qty_pos", condition=models.Q(quantity__gt=0)
            ),
            models.UniqueConstraint(fields=["request", "product"], name="quote_req_line_once"),
        ]

    def __str__(self):
        return f"{self.quantity} {self.product.get_unit_display()} {self.product.name}"


class Quote(models.Model):
    request = models.ForeignKey(QuoteRequest, on_delete=models.CASCADE, related_name="quotes")
    version = models.PositiveSmallIntegerField(_("versi"))
    status = models.CharField(
        _("status"), max_length=20, choices=QuoteStatus.choices, default=QuoteStatus.SENT
    )
    delivery_method = models.CharField(
        _("pengiriman"),
        max_length=10,
        choices=DeliveryMethod.choices,
        default=DeliveryMethod.LOCAL,
    )
    delivery_fee = MoneyField(_("ongkos kirim (Rp)"), default=0, limit=MAX_UNIT_AMOUNT)
    delivery_date = models.DateField(_("tanggal kirim"))
    # Set when a line is over stock: the facility makes the rest by this day,
    # and accepting orders those lines as made to order (quotes.stock).
    ready_date = models.DateField(_("siap dikirim tanggal"), null=True, blank=True)
    valid_until = models.DateField(_("berlaku sampai"))
    # None: pay before delivery; N: within N days after delivery.
    payment_terms_days = models.PositiveSmallIntegerField(
        _("tempo (hari setelah diterima)"), null=True, blank=True
    )
    note = models.TextField(_("catatan UPT"), blank=True)
    subtotal = MoneyField(_("subtotal (Rp)"))
    total = MoneyField(_("total (Rp)"))
    buyer_note = models.TextField(_("permintaan perubahan dari pembeli"), blank=True)
    answered_at = models.DateTimeField(_("dijawab pembeli"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    created_at = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        ordering = ["request", "-version"]
        verbose_name = _("penawaran")
        verbose_name_plural = _("penawaran")
        constraints = [
            models.UniqueConstraint(fields=["request", "version"], name="quote_version_once"),
            # At most one accepted quote per request, whatever the code does.
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status="accepted"),
                name="quote_one_accepted",
            ),
            models.CheckConstraint(
                name="quote_total_adds_up",
                condition=models.Q(total=models.F("subtotal") + models.F("delivery_fee")),
            ),
        ]

    def __str__(self):
        return f"{self.request.code} v{self.version}"

    def is_expired(self, today=None) -> bool:
        return (today or timezone.localdate()) > self.valid_until


class QuoteLine(models.Model):
    quote = models.ForeignKey(Quote, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="+", verbose_name=_("produk")
    )
    product_name = models.CharField(_("nama produk"), max_length=160)
    unit = models.CharField(_("satuan"), max_length=8)
    quantity = models.PositiveIntegerField(_("jumlah"))
    unit_price = MoneyField(_("harga satuan (Rp)"), limit=MAX_UNIT_AMOUNT)
    line_total = MoneyField(_("jumlah harga (Rp)"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("baris penawaran")
        verbose_name_plural = _("baris penawaran")
        constraints = [
            models.CheckConstraint(
                name="quote_line_total_adds_up",
                condition=models.Q(line_total=models.F("unit_price") * models.F("quantity")),
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_name}"
