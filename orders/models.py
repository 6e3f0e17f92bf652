"""Orders: one per facility per checkout, their lines, history and payment proofs.

Also each facility's delivery settings and courier rate table, which checkout
reads to price shipping. Status changes go through orders.services only; the
allowed moves are declared once in orders.states.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import Product
from core.fields import MoneyField, PhoneField
from core.money import MAX_UNIT_AMOUNT
from core.private_media import PRIVATE_MEDIA_PREFIX
from facilities.models import Facility

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud over WhatsApp stays unambiguous.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
CODE_LENGTH = 10  # 25**10 ≈ 9.5e13 codes: unguessable at any rate a shopper can try.


def new_public_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class OrderStatus(models.TextChoices):
    AWAITING_PAYMENT = "awaiting_payment", _("Menunggu pembayaran")
    PAID = "paid", _("Dibayar")
    PROCESSING = "processing", _("Diproses")
    SHIPPED = "shipped", _("Dikirim")
    READY_FOR_PICKUP = "ready_for_pickup", _("Siap diambil")
    COMPLETED = "completed", _("Selesai")
    CANCELLED = "cancelled", _("Dibatalkan")
    EXPIRED = "expired", _("Kedaluwarsa")


class DeliveryMethod(models.TextChoices):
    PICKUP = "pickup", _("Ambil di showroom UPT")
    LOCAL = "local", _("Antar dalam kota")
    COURIER = "courier", _("Kirim lewat kurir")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Transfer bank")
    PAY_AT_PICKUP = "pay_at_pickup", _("Bayar saat ambil (tunai/QRIS)")
    # One payment for every online-paid order of a checkout (GatewayPayment).
    GATEWAY = "gateway", _("Bayar online: QRIS, virtual account, e-wallet")


class DeliverySettings(models.Model):
    """How one facility delivers and takes payment; one row per facility."""

    facility = models.OneToOneField(
        Facility, on_delete=models.CASCADE, related_name="delivery_settings", verbose_name=_("UPT")
    )
    pickup_enabled = models.BooleanField(_("ambil di showroom"), default=True)
    local_delivery_enabled = models.BooleanField(_("antar dalam kota"), default=False)
    local_delivery_fee = MoneyField(
        _("ongkos antar dalam kota (Rp)"), default=0, limit=MAX_UNIT_AMOUNT
    )
    courier_enabled = models.BooleanField(_("kirim lewat kurir"), default=False)
    courier_fallback_first_kg = MoneyField(
        _("tarif cadangan kg pertama (Rp)"),
        default=50_000,
        limit=MAX_UNIT_AMOUNT,
        help_text=_("Dipakai bila provinsi tujuan tidak ada di tabel tarif."),
    )
    courier_fallback_next_kg = MoneyField(
        _("tarif cadangan kg berikutnya (Rp)"), default=30_000, limit=MAX_UNIT_AMOUNT
    )
    bank_transfer_enabled = models.BooleanField(_("terima transfer bank"), default=True)
    pay_at_pickup_enabled = models.BooleanField(_("terima bayar saat ambil"), default=True)
    gateway_enabled = models.BooleanField(
        _("terima bayar online (QRIS, VA, e-wallet)"),
        default=True,
        help_text=_(
            "Uang diterima operator lewat payment gateway lalu disetorkan ke rekening UPT "
            "(buku setoran)."
        ),
    )
    payment_deadline_hours = models.PositiveSmallIntegerField(
        _("batas waktu bayar (jam)"), default=24
    )

    class Meta:
        verbose_name = _("pengaturan pengiriman")
        verbose_name_plural = _("pengaturan pengiriman")
        constraints = [
            models.CheckConstraint(
                name="delivery_deadline_positive", condition=models.Q(payment_deadline_hours__gt=0)
            )
        ]

    def __str__(self):
        return str(self.facility)


class ShippingRate(models.Model):
    """Courier fee from one facility to one province: first kg plus each further kg."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="shipping_rates", verbose_name=_("UPT")
    )
    province = models.CharField(_("provinsi tujuan"), max_length=80)
    first_kg_fee = MoneyField(_("kg pertama (Rp)"), limit=MAX_UNIT_AMOUNT)
    next_kg_fee = MoneyField(_("kg berikutnya (Rp)"), limit=MAX_UNIT_AMOUNT)
    estimate = models.CharField(_("perkiraan waktu"), max_length=40, blank=True)

    class Meta:
        ordering = ["province"]
        verbose_name = _("tarif kurir")
        verbose_name_plural = _("tarif kurir")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "province"], name="shipping_rate_unique_province"
            )
        ]

    def __str__(self):
        return f"{self.facility} → {self.province}"


class Checkout(models.Model):
    """One submitted checkout form: the idempotency key and the orders it made."""

    idempotency_key = models.CharField(max_length=64, unique=True, editable=False)
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_public_code)
    created_at = models.DateTimeField(auto_now_add=True)
    # The privacy notice the shopper agreed to (orders.privacy.NOTICE_VERSION).
    privacy_notice_version = models.CharField(
        _("versi kebijakan privasi"), max_length=20, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("checkout")
        verbose_name_plural = _("checkout")

    def __str__(self):
        return self.code


class Order(models.Model):
    checkout = models.ForeignKey(
        Checkout, on_delete=models.PROTECT, related_name="orders", editable=False
    )
    # The terms (orders.terms.TERMS_VERSION) the order was placed under; null
    # for orders placed before the terms page existed.
    terms_version = models.CharField(
        _("versi syarat dan ketentuan"), max_length=20, null=True, blank=True, editable=False
    )
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="orders", verbose_name=_("UPT")
    )
    code = models.CharField(
        _("kode pesanan"), max_length=CODE_LENGTH, unique=True, default=new_public_code
    )
    status = models.CharField(
        _("status"), max_length=20, choices=OrderStatus.choices, db_index=True
    )
    contact_name = models.CharField(_("nama"), max_length=120)
    contact_phone = PhoneField(_("telepon"))
    contact_email = models.EmailField(_("email"), blank=True)
    delivery_method = models.CharField(
        _("pengiriman"), max_length=10, choices=DeliveryMethod.choices
    )
    payment_method = models.CharField(_("pembayaran"), max_length=20, choices=PaymentMethod.choices)
    province = models.CharField(_("provinsi"), max_length=80, blank=True)
    city = models.CharField(_("kota/kabupaten"), max_length=80, blank=True)
    district = models.CharField(_("kecamatan"), max_length=80, blank=True)
    postal_code = models.CharField(_("kode pos"), max_length=5, blank=True)
    street = models.CharField(_("alamat jalan"), max_length=255, blank=True)
    village = models.CharField(_("kelurahan/desa"), max_length=100, blank=True)
    # The official region the address was picked from (Kemendagri codes); the
    # names above are kept as placed. Blank on orders placed before the codes.
    region_province_code = models.CharField(_("kode provinsi"), max_length=2, blank=True)
    region_regency_code = models.CharField(_("kode kabupaten/kota"), max_length=5, blank=True)
    region_district_code = models.CharField(_("kode kecamatan"), max_length=8, blank=True)
    region_village_code = models.CharField(_("kode kelurahan/desa"), max_length=13, blank=True)
    note = models.CharField(_("catatan pembeli"), max_length=300, blank=True)
    subtotal = MoneyField(_("subtotal (Rp)"))
    shipping_fee = MoneyField(_("ongkos kirim (Rp)"))
    total = MoneyField(_("total (Rp)"))
    # bigint like the amounts: 9.999 pieces of a 250 kg item pass 2^31 grams.
    total_weight_grams = models.PositiveBigIntegerField(_("berat total (gram)"))
    payment_deadline = models.DateTimeField(_("batas bayar"), null=True, blank=True)
    courier = models.CharField(_("kurir"), max_length=60, blank=True)
    tracking_number = models.CharField(_("nomor resi"), max_length=60, blank=True)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=300, blank=True)
    # Institutional buyers (offices, contractors, shops): printed on the quote,
    # invoice and delivery note. Blank for a retail order.
    buyer_organisation = models.CharField(
        _("instansi/perusahaan pembeli"), max_length=160, blank=True
    )
    buyer_npwp = models.CharField(_("NPWP pembeli"), max_length=16, blank=True)
    # Payment on terms: None = pay before the goods leave (every retail order);
    # N = the buyer pays within N days after delivery (a receivable until then).
    payment_terms_days = models.PositiveSmallIntegerField(
        _("tempo pembayaran (hari setelah diterima)"), null=True, blank=True
    )
    payment_due_date = models.DateField(_("jatuh tempo"), null=True, blank=True)
    # Flipped once, by a conditional UPDATE, when cancel/expiry puts stock back.
    stock_released = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pesanan")
        verbose_name_plural = _("pesanan")
        indexes = [
            models.Index(fields=["facility", "status"], name="order_facility_status"),
            # Oversight reports and dashboards: a facility's (or a region's)
            # orders over a period, summed from the index alone.
            models.Index(
                fields=["facility", "created_at"],
                name="order_facility_created",
                include=["status", "subtotal", "shipping_fee"],
            ),
        ]
        constraints = [
            models.CheckConstraint(
                name="order_total_adds_up",
                condition=models.Q(total=models.F("subtotal") + models.F("shipping_fee")),
            ),
            models.UniqueConstraint(
                fields=["checkout", "facility"], name="order_one_per_facility_per_checkout"
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_delivery(self) -> bool:
        return self.delivery_method != DeliveryMethod.PICKUP

    @property
    def address_line(self) -> str:
        parts = [self.street, self.village, self.district, self.city, self.province]
        parts.append(self.postal_code)
        return ", ".join(p for p in parts if p)


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product = models.ForeignKey(
        Product, on_delete=models.PROTECT, related_name="order_lines", verbose_name=_("produk")
    )
    product_name = models.CharField(_("nama produk"), max_length=160)
    unit_price = MoneyField(_("harga satuan (Rp)"), limit=MAX_UNIT_AMOUNT)
    quantity = models.PositiveIntegerField(_("jumlah"))
    line_total = MoneyField(_("jumlah harga (Rp)"))
    weight_grams = models.PositiveIntegerField(_("berat per satuan (gram)"))
    # Snapshot: whether this line took stock, so giving it back matches what was taken.
    made_to_order = models.BooleanField(_("dibuat sesuai pesanan"), default=False)
    lead_time_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("baris pesanan")
        verbose_name_plural = _("baris pesanan")
        constraints = [
            models.CheckConstraint(
                name="order_line_quantity_positive", condition=models.Q(quantity__gt=0)
            ),
            models.CheckConstraint(
                name="order_line_total_adds_up",
                condition=models.Q(line_total=models.F("unit_price") * models.F("quantity")),
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.product_name}"


class OrderEvent(models.Model):
    """One step in an order's history: who moved it from where to where, and why."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    actor_label = models.CharField(_("pelaku"), max_length=40)
    from_status = models.CharField(
        _("dari status"), max_length=20, choices=OrderStatus.choices, blank=True
    )
    to_status = models.CharField(_("menjadi"), max_length=20, choices=OrderStatus.choices)
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat pesanan")
        verbose_name_plural = _("riwayat pesanan")
        # Oversight: when each order entered its current status (Max per order).
        indexes = [models.Index(fields=["order", "created_at"], name="order_event_order_created")]

    def __str__(self):
        # Shown as the row's title in the admin: labels, never the stored codes.
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"


def receipt_upload_to(instance, filename: str) -> str:
    """An unguessable name in the private folder: receipts show shoppers' bank
    details, so only staff open them, through OrderAdmin's receipt view."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{PRIVATE_MEDIA_PREFIX}receipts/{uuid.uuid4().hex}.{extension}"


class PaymentProof(models.Model):
    """A shopper's transfer receipt (re-encoded image or checked PDF) and its review."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu diperiksa")
        ACCEPTED = "accepted", _("Diterima")
        REJECTED = "rejected", _("Ditolak")

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="payment_proofs")
    file = models.FileField(_("bukti transfer"), upload_to=receipt_upload_to)
    content_type = models.CharField(max_length=40)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diperiksa oleh"),
    )
    reviewed_at = models.DateTimeField(_("diperiksa pada"), null=True, blank=True)
    rejection_reason = models.CharField(_("alasan penolakan"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("bukti transfer")
        verbose_name_plural = _("bukti transfer")

    def __str__(self):
        return f"{self.order} — {self.get_status_display()}"


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
        # Found by the reader (orders.statements), never confirmed automatically.
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
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True)
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pembayaran gateway")
        verbose_name_plural = _("pembayaran gateway")

    def __str__(self):
        return self.gateway_order_id


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

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pengembalian dana gateway")
        verbose_name_plural = _("pengembalian dana gateway")
        # No longer one per order: partial refunds (complaints) add rows; the
        # refund_key keeps each one single, and orders.refunds keeps the sum
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
from orders.models_privacy import AccessEvent, OrderErasure, PrivacyRequest  # noqa: E402, F401
from orders.models_refunds import OrderRefund  # noqa: E402, F401
from orders.models_shipping import Shipment, TrackingEvent  # noqa: E402, F401
