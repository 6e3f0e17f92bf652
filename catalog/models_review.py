"""The review history of each listing. Part of catalog.models (imported there,
so `catalog.models.ListingReview` is the name to use); the reviewer's queue, a
proxy of Product, sits in catalog.models itself. Product is named by string so
this module never imports catalog.models (which imports it)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.choices import ListingStatus


class ListingReview(models.Model):
    """One step in a listing's history: who did what, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Diajukan")
        APPROVE = "approve", _("Disetujui")
        REQUEST_CHANGES = "request_changes", _("Diminta perbaikan")
        REJECT = "reject", _("Ditolak")
        ARCHIVE = "archive", _("Diarsipkan")
        CONTENT_CHANGED = "content_changed", _("Isi diubah, ditinjau ulang")

    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("produk"),
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    action = models.CharField(_("tindakan"), max_length=20, choices=Action.choices)
    from_status = models.CharField(_("dari status"), max_length=20, choices=ListingStatus.choices)
    to_status = models.CharField(_("menjadi"), max_length=20, choices=ListingStatus.choices)
    note = models.TextField(_("catatan"), blank=True)
    checklist = models.JSONField(_("daftar periksa"), default=dict, blank=True)
    # The public fields as they were at this step, so a reviewer sees what
    # changed since the last decision (catalog.services.listing_snapshot).
    snapshot = models.JSONField(_("isi listing saat itu"), default=dict, blank=True)
    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("riwayat tinjauan")
        verbose_name_plural = _("riwayat tinjauan")

    def __str__(self):
        return f"{self.product} — {self.get_action_display()}"
