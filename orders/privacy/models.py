"""Privacy rows (UU PDP 27/2022): shoppers' requests, erasures, and the access trail.

Kept apart from orders.models so the order schema stays readable; imported at
the end of orders.models so Django registers them with the orders app. The
rules that write these rows live in orders.privacy and orders.privacy.retention.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from orders.models import Order


class PrivacyRequest(models.Model):
    """A shopper's request about their data in one order, and its answer.

    Access and correction are answered at once on the tracking page; deletion
    waits for staff, who must answer within `due_at` (3x24 hours, UU PDP).
    A deletion that must wait for something still owed on the order (an open
    complaint, an unpaid receivable, an unsettled refund: orders.privacy.holds)
    is HELD with the reasons and the expected day, and the daily retention run
    completes it once nothing holds it.
    """

    class Kind(models.TextChoices):
        ACCESS = "access", _("Unduh data")
        CORRECTION = "correction", _("Perbaikan data")
        DELETION = "deletion", _("Penghapusan data")

    class Status(models.TextChoices):
        OPEN = "open", _("Menunggu ditangani")
        DONE = "done", _("Selesai")
        REFUSED = "refused", _("Ditolak")
        HELD = "held", _("Ditunda sampai urusan pesanan tuntas")

    order = models.ForeignKey(
        Order, on_delete=models.PROTECT, related_name="privacy_requests", verbose_name=_("pesanan")
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, db_index=True)
    # What changed, by field name only: the trail holds no personal values.
    detail = models.CharField(_("keterangan"), max_length=300, blank=True)
    refusal_reason = models.CharField(_("alasan penolakan"), max_length=300, blank=True)
    # While HELD: what it waits for (the shopper's own order only), and the
    # day that is expected to clear (null: nobody can say yet). Updated by
    # every retention run; kept after the request is done, as its history.
    held_reason = models.CharField(_("ditunda karena"), max_length=600, blank=True)
    held_until = models.DateField(_("perkiraan selesai"), null=True, blank=True)
    # Not auto_now_add: the service sets it with due_at from one clock reading.
    created_at = models.DateTimeField(_("diajukan"), default=timezone.now)
    due_at = models.DateTimeField(_("batas jawab"))
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditangani oleh"),
    )
    handled_at = models.DateTimeField(_("ditangani pada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("permintaan data pribadi")
        verbose_name_plural = _("permintaan data pribadi")
        constraints = [
            # A second deletion request while one waits (for staff, or for
            # what is owed) adds nothing to do.
            models.UniqueConstraint(
                fields=["order"],
                condition=models.Q(kind="deletion", status__in=["open", "held"]),
                name="privacy_one_waiting_deletion_per_order",
            )
        ]

    def __str__(self):
        return f"{self.order} — {self.get_kind_display()}"


class OrderErasure(models.Model):
    """Marks an order whose shopper data was replaced by anonymous values:
    the idempotency key of retention and of deletion requests."""

    class Reason(models.TextChoices):
        RETENTION = "retention", _("Masa simpan berakhir")
        REQUEST = "request", _("Permintaan pembeli")

    order = models.OneToOneField(
        Order, on_delete=models.PROTECT, related_name="erasure", verbose_name=_("pesanan")
    )
    reason = models.CharField(_("sebab"), max_length=10, choices=Reason.choices)
    receipt_files = models.PositiveSmallIntegerField(_("berkas bukti dihapus"), default=0)
    erased_at = models.DateTimeField(_("dianonimkan pada"), auto_now_add=True)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("anonimisasi pesanan")
        verbose_name_plural = _("anonimisasi pesanan")

    def __str__(self):
        return f"{self.order} ({self.get_reason_display()})"


class AccessEvent(models.Model):
    """Someone on staff saw or took shopper data: who, when, what.

    Orders are named by their public code, never by the shopper's name or
    phone, so reading the trail discloses nothing the orders do not.
    """

    class Action(models.TextChoices):
        ORDER_VIEWED = "order_viewed", _("Membuka rincian pesanan")
        RECEIPT_OPENED = "receipt_opened", _("Membuka bukti transfer")
        PRINTED = "printed", _("Mencetak slip/faktur")
        EXPORTED = "exported", _("Mengekspor pesanan")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("pengguna"),
    )
    # Kept when the account is later deleted: the trail must still say who.
    actor_username = models.CharField(_("nama pengguna"), max_length=150)
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    order_codes = models.JSONField(_("kode pesanan"), default=list)
    order_count = models.PositiveIntegerField(_("jumlah pesanan"), default=0)
    detail = models.CharField(_("keterangan"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("jejak akses data pribadi")
        verbose_name_plural = _("jejak akses data pribadi")

    def __str__(self):
        return f"{self.actor_username} {self.get_action_display()} ({self.order_count})"
