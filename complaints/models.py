"""Complaints and returns after the sale: the shopper's complaint on order
lines, the facility's answer, the Kanwil's decision, and every step as an event."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# ComplaintStatus lives with its moves (complaints.states) and is re-exported
# here, so `complaints.models.ComplaintStatus` still names it and states never
# imports this module.
from complaints.states import CLOSED, ComplaintStatus  # noqa: F401
from core.fields import MoneyField
from core.private_media import PRIVATE_MEDIA_PREFIX


class ComplaintReason(models.TextChoices):
    NOT_AS_DESCRIBED = "not_as_described", _("Tidak sesuai deskripsi")
    DAMAGED = "damaged", _("Rusak")
    MISSING = "missing", _("Kurang/hilang")
    LATE = "late", _("Terlambat")


class Remedy(models.TextChoices):
    REPLACEMENT = "replacement", _("Ganti barang")
    RETURN_REFUND = "return_refund", _("Retur dan refund")
    PARTIAL_REFUND = "partial_refund", _("Refund sebagian")
    NONE = "none", _("Tanpa ganti rugi")


class AnswerKind(models.TextChoices):
    ACCEPT = "accept", _("Terima permintaan pembeli")
    OFFER = "offer", _("Tawarkan penyelesaian lain")
    REJECT = "reject", _("Tolak dengan alasan")


class Complaint(models.Model):
    order = models.ForeignKey(
        "orders.Order",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("pesanan"),
    )
    # Denormalised from the order: scoping filters this table alone.
    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("UPT"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN
    )
    reason = models.CharField(_("alasan"), max_length=20, choices=ComplaintReason.choices)
    description = models.TextField(_("keterangan"), max_length=2000)
    remedy_wanted = models.CharField(_("permintaan pembeli"), max_length=20, choices=Remedy.choices)
    amount_wanted = MoneyField(_("jumlah diminta (Rp)"), null=True, blank=True)
    answer_due_at = models.DateTimeField(_("batas jawaban UPT"), db_index=True)
    answer_kind = models.CharField(
        _("jawaban UPT"), max_length=10, choices=AnswerKind.choices, blank=True
    )
    answer_remedy = models.CharField(
        _("penyelesaian dari UPT"), max_length=20, choices=Remedy.choices, blank=True
    )
    answer_amount = MoneyField(_("jumlah dari UPT (Rp)"), null=True, blank=True)
    answer_note = models.TextField(_("catatan UPT"), blank=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("diteruskan pada"), null=True, blank=True)
    decision_remedy = models.CharField(
        _("putusan Kanwil"), max_length=20, choices=Remedy.choices, blank=True
    )
    decision_amount = MoneyField(_("jumlah putusan (Rp)"), null=True, blank=True)
    decision_note = models.TextField(_("catatan putusan"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    # What must go back to the shopper by manual transfer (orders not paid
    # online); cleared when the facility records the transfer.
    refund_due = MoneyField(_("refund belum ditransfer (Rp)"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("keluhan")
        verbose_name_plural = _("keluhan")
        indexes = [models.Index(fields=["facility", "status"], name="complaint_facility_status")]

    def __str__(self):
        return f"Keluhan #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED


class ComplaintLine(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.PROTECT, related_name="complaint_lines"
    )
    # Copied from the complaint's status so the database keeps one open
    # complaint per order line (a partial unique index).
    open = models.BooleanField(default=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order_line"],
                condition=models.Q(open=True),
                name="complaint_one_open_per_line",
            )
        ]

    def __str__(self):
        return str(self.order_line)


def complaint_photo_upload_to(instance, filename: str) -> str:
    # Private: a complaint photo may show the shopper's home.
    return f"{PRIVATE_MEDIA_PREFIX}complaints/{uuid.uuid4().hex}.jpg"


class ComplaintPhoto(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("foto"), upload_to=complaint_photo_upload_to)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("foto keluhan")
        verbose_name_plural = _("foto keluhan")

    def __str__(self):
        return f"#{self.pk}"


class ComplaintEvent(models.Model):
    """One step in a complaint's life, like OrderEvent."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
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
        _("dari status"), max_length=12, choices=ComplaintStatus.choices, blank=True
    )
    to_status = models.CharField(_("menjadi"), max_length=12, choices=ComplaintStatus.choices)
    note = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("riwayat keluhan")
        verbose_name_plural = _("riwayat keluhan")

    def __str__(self):
        return f"{self.get_from_status_display() or '—'} → {self.get_to_status_display()}"
