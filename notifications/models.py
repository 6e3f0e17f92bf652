"""Messages sent to shoppers about their orders, and shoppers who said stop."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import PhoneField


class Channel(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Antre")
    SENT = "sent", _("Terkirim")
    DELIVERED = "delivered", _("Sampai")
    READ = "read", _("Dibaca")
    FAILED = "failed", _("Gagal")


class OutboundMessage(models.Model):
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.CASCADE,
        related_name="outbound_messages",
        verbose_name=_("pesanan"),
    )
    event_kind = models.CharField(_("peristiwa"), max_length=30)
    channel = models.CharField(_("saluran"), max_length=20, choices=Channel.choices)
    recipient = models.CharField(_("penerima"), max_length=20)
    template = models.CharField(_("templat"), max_length=60)
    params = models.JSONField(_("parameter"), default=list)
    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    provider_message_id = models.CharField(
        _("ID pesan penyedia"), max_length=120, blank=True, db_index=True
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        constraints = [
            models.UniqueConstraint(
                fields=["order", "event_kind", "channel"], name="outbound_once_per_event_channel"
            )
        ]

    def __str__(self):
        return f"{self.order_id} {self.event_kind} {self.channel}"


class OptOut(models.Model):
    """A phone that said stop: for every order (order empty) or for one order."""

    phone = models.CharField(_("telepon"), max_length=20, db_index=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source = models.CharField(_("sumber"), max_length=20)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        verbose_name = _("berhenti berlangganan")
        verbose_name_plural = _("berhenti berlangganan")

    def __str__(self):
        return self.phone


class StaffAlertPreference(models.Model):
    """How one staff account wants to hear of its inbox (facilities.inbox):
    urgent work as it comes, a morning digest, by WhatsApp and/or mail."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alert_preference"
    )
    by_whatsapp = models.BooleanField(_("lewat WhatsApp"), default=False)
    by_email = models.BooleanField(_("lewat email"), default=True)
    whatsapp_phone = PhoneField(_("nomor WhatsApp"), blank=True)
    urgent = models.BooleanField(_("tugas mendesak segera"), default=True)
    digest = models.BooleanField(_("ringkasan setiap pagi"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pilihan pemberitahuan staf")
        verbose_name_plural = _("pilihan pemberitahuan staf")

    def __str__(self):
        return str(self.user)


class StaffAlert(models.Model):
    """One piece of urgent work a person was told of, so it is told once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "item_key"], name="staff_alert_once")
        ]

    def __str__(self):
        return self.item_key
