"""What was (or is to be) sent to a shopper, one row per order, step and channel,
and the numbers that asked not to be messaged."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PhoneField
from orders.models import Order


class EventKind(models.TextChoices):
    PLACED = "placed", _("Pesanan dibuat")
    PAID = "paid", _("Pembayaran diterima")
    SHIPPED = "shipped", _("Dikirim")
    READY_FOR_PICKUP = "ready_for_pickup", _("Siap diambil")
    COMPLETED = "completed", _("Selesai")


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")
        SKIPPED = "skipped", _("Tidak dikirim (pembeli menolak)")

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="outbound_messages", verbose_name=_("pesanan")
    )
    event_kind = models.CharField(_("peristiwa"), max_length=20, choices=EventKind.choices)
    channel = models.CharField(
        _("saluran"), max_length=20, choices=Channel.choices, default=Channel.WHATSAPP
    )
    recipient = models.CharField(_("penerima"), max_length=20)
    template = models.CharField(_("template"), max_length=60)
    params = models.JSONField(_("isi parameter"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    provider_id = models.CharField(_("ID penyedia"), max_length=128, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    sent_at = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pesan WhatsApp")
        verbose_name_plural = _("pesan WhatsApp")
        constraints = [
            # A replayed event or task finds the row and never sends twice.
            models.UniqueConstraint(
                fields=["order", "event_kind", "channel"], name="outbound_message_once"
            )
        ]

    def __str__(self):
        return f"{self.order} · {self.get_event_kind_display()} · {self.get_status_display()}"


class WhatsAppOptOut(models.Model):
    phone = PhoneField(_("telepon"), unique=True)
    note = models.CharField(_("catatan"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("penolakan WhatsApp")
        verbose_name_plural = _("penolakan WhatsApp")

    def __str__(self):
        return self.phone
