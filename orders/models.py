"""Orders: one per facility per checkout, their lines and history.

Payments, shipments, invoices and privacy keep their tables in their rooms
(orders/payments/models, orders/delivery/models.py, orders/documents/models.py,
orders/privacy/models.py), loaded by OrdersConfig.import_models: they import
these models, never the other way round. Also each
facility's delivery settings and courier rate table, which checkout reads to
price shipping. Status changes go through orders.services only; the
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


class CheckoutQueue(models.Model):
    """The checkout's waiting room (orders.checkout_gate): one row, the next
    free turn. Each shopper's turn is taken by one UPDATE ... RETURNING on it,
    so turns are handed out in arrival order, 1/rate seconds apart, however
    many workers and nodes ask at once."""

    name = models.CharField(max_length=20, primary_key=True)
    next_turn_at = models.DateTimeField()

    class Meta:
        verbose_name = _("antrean checkout")
        verbose_name_plural = _("antrean checkout")

    def __str__(self):
        return self.name


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
    # When staff (or the gateway) confirmed the money. Pay-after-delivery orders
    # go on to completed unpaid; until this is set they are receivables.
    paid_at = models.DateTimeField(_("dibayar pada"), null=True, blank=True, editable=False)
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
            # "Pesanan saya": every order of one phone, newest first.
            models.Index(fields=["contact_phone", "-created_at"], name="order_phone_created"),
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
