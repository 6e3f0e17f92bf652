"""An order's courier parcel: the courier service the shopper chose (with the
price and estimate they saw), its booking at the aggregator, and the courier's
tracking events. Imported by orders/models.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField
from shipping.links import safe_link

# The courier's words for a parcel's status, as a shopper reads them.
STATUS_LABELS = {
    "confirmed": _("Pesanan kurir dibuat"),
    "allocated": _("Kurir ditugaskan"),
    "picking_up": _("Kurir menuju UPT"),
    "picked": _("Paket dijemput kurir"),
    "dropping_off": _("Dalam perjalanan ke alamat Anda"),
    "delivered": _("Paket diterima"),
    "return_in_transit": _("Paket dalam perjalanan kembali"),
    "returned": _("Paket dikembalikan"),
    "rejected": _("Paket ditolak"),
    "cancelled": _("Pengiriman dibatalkan"),
    "on_hold": _("Pengiriman tertahan"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


class Shipment(models.Model):
    class Status(models.TextChoices):
        CHOSEN = "chosen", _("Belum dipesan")
        BOOKED = "booked", _("Kurir dipesan")
        MANUAL = "manual", _("Resi diisi manual")
        DELIVERED = "delivered", _("Diterima")

    class Source(models.TextChoices):
        AGGREGATOR = "aggregator", _("Tarif kurir langsung")
        TABLE = "table", _("Tarif tabel UPT")

    # One parcel per order: the unique key is what makes booking idempotent.
    order = models.OneToOneField("orders.Order", on_delete=models.CASCADE, related_name="shipment")
    courier_code = models.CharField(_("kode kurir"), max_length=20, blank=True)
    courier_name = models.CharField(_("kurir"), max_length=60, blank=True)
    service_code = models.CharField(_("kode layanan"), max_length=30, blank=True)
    service_name = models.CharField(_("layanan"), max_length=60, blank=True)
    price = MoneyField(_("ongkir dipilih (Rp)"))
    etd_min_days = models.PositiveSmallIntegerField(default=0)
    etd_max_days = models.PositiveSmallIntegerField(default=0)
    rate_source = models.CharField(max_length=12, choices=Source.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CHOSEN)
    provider_order_id = models.CharField(max_length=64, blank=True)
    tracking_id = models.CharField(max_length=64, blank=True, db_index=True)
    waybill_id = models.CharField(_("nomor resi"), max_length=60, blank=True, db_index=True)
    tracking_link = models.URLField(max_length=500, blank=True)
    courier_status = models.CharField(max_length=30, blank=True)
    booked_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pengiriman kurir")
        verbose_name_plural = _("pengiriman kurir")
        constraints = [
            # A courier link is rendered as a link: only web addresses, never
            # javascript: or data: (a webhook is signed, not trusted).
            models.CheckConstraint(
                condition=models.Q(tracking_link="")
                | models.Q(tracking_link__regex=r"^[Hh][Tt][Tt][Pp][Ss]?://"),
                name="shipment_tracking_link_web",
            )
        ]

    def __str__(self):
        return f"{self.order_id} {self.courier_code}/{self.service_code}"

    @property
    def etd_text(self) -> str:
        if not self.etd_max_days:
            return ""
        if self.etd_min_days == self.etd_max_days:
            return str(self.etd_min_days)
        return f"{self.etd_min_days}-{self.etd_max_days}"

    @property
    def safe_tracking_link(self) -> str:
        """The courier link as pages and messages may show it (checked again
        where rendered: the constraint guards the table, this the page)."""
        return safe_link(self.tracking_link)

    @property
    def waybill_pending(self) -> bool:
        """Booked at the aggregator, the courier's resi not known yet (Biteship
        answers `waybill_id: null` and sends it later)."""
        return self.status == self.Status.BOOKED and not self.waybill_id


class CourierBooking(models.Model):
    """One request to the aggregator to book the courier for a shipment.

    Written and committed before POST /v1/orders (the intent), so a crash at
    any point leaves a row the sweep can finish: `reference` goes as Biteship's
    reference_id, the aggregator's order id is saved the moment it answers.
    A retry whose earlier attempt has no answer looks the reference up before
    it creates anything (orders/delivery/bookings.py)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Sedang dipesan")
        CREATED = "created", _("Dipesan di agregator")
        FAILED = "failed", _("Ditolak agregator (tidak dibuat)")
        REVIEW = "review", _("Perlu dicek petugas")
        CANCELLED = "cancelled", _("Dibatalkan di agregator")

    class Cancel(models.TextChoices):
        NONE = "", _("-")
        PENDING = "pending", _("Pembatalan menunggu")
        DONE = "done", _("Pembatalan berhasil")
        FAILED = "failed", _("Pembatalan gagal")

    LIVE = (Status.REQUESTED, Status.CREATED, Status.REVIEW)

    shipment = models.ForeignKey(Shipment, on_delete=models.PROTECT, related_name="bookings")
    reference = models.CharField(_("referensi kami"), max_length=64, unique=True)
    # Who asked: a resi that comes later ships the order in their name.
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    provider_order_id = models.CharField(
        _("id order agregator"), max_length=64, blank=True, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    cancel_state = models.CharField(max_length=10, choices=Cancel.choices, blank=True)
    cancel_reason = models.CharField(max_length=300, blank=True)
    cancel_attempts = models.PositiveSmallIntegerField(default=0)
    cancel_error = models.CharField(max_length=300, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("pemesanan kurir")
        verbose_name_plural = _("pemesanan kurir")
        ordering = ["-created_at"]
        constraints = [
            # One booking alive per parcel: a second one can only follow a
            # refused or cancelled one.
            models.UniqueConstraint(
                fields=["shipment"],
                condition=models.Q(status__in=["requested", "created", "review"]),
                name="courier_booking_one_live",
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.status}"


class TrackingEvent(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=30)
    note = models.CharField(max_length=300, blank=True)
    happened_at = models.DateTimeField()
    source = models.CharField(max_length=10)  # webhook | poll
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["happened_at", "id"]
        constraints = [
            # A replayed webhook (or a poll that sees the same step) adds nothing.
            models.UniqueConstraint(
                fields=["shipment", "status", "happened_at"], name="tracking_event_once"
            )
        ]

    def __str__(self):
        return f"{self.status} {self.happened_at:%Y-%m-%d %H:%M}"

    @property
    def label(self) -> str:
        return status_label(self.status)
