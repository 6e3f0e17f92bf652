"""An order's courier parcel: the courier service the shopper chose (with the
price and estimate they saw), its booking at the aggregator, and the courier's
tracking events. Imported by orders/models.py."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField


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

    def __str__(self):
        return f"{self.order_id} {self.courier_code}/{self.service_code}"

    @property
    def etd_text(self) -> str:
        if not self.etd_max_days:
            return ""
        if self.etd_min_days == self.etd_max_days:
            return str(self.etd_min_days)
        return f"{self.etd_min_days}-{self.etd_max_days}"


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
        from orders.shipments import status_label

        return status_label(self.status)
