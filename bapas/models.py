"""A Bapas client's own business (issue 35): a former inmate under Bapas
supervision who keeps making batik or Butonik bags sells here.

The business IS a facility row of kind `usaha` (facilities.Facility.Kind.ENTERPRISE):
listing review, orders, payments, complaints, the storefront and the settlement
work on it unchanged, and its money goes to its own BankAccount, in the
client's name. This app keeps what only a mentored business has: the client's
written consent, how much of their past they let the public see, the
supervision period and what the client decided after it, the Bapas's
mentoring visits, and a history of each of those steps.

Domain words: Bapas (balai pemasyarakatan) supervises people after release;
"klien" is the Bapas's word for the person it supervises. Nobody is called an
inmate here: the public sees the shop, and the client's name or story only
when the client chose so.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.private_media import PRIVATE_MEDIA_PREFIX
from facilities.models import Facility


def consent_upload_to(instance, filename: str) -> str:
    """Signed consent forms are private: staff open them through a checked
    view only (core.private_media); the name is ours, never the upload's."""
    extension = Path(filename).suffix.lower().lstrip(".") or "pdf"
    return f"{PRIVATE_MEDIA_PREFIX}bapas-consent/{uuid.uuid4().hex}.{extension}"


class Enterprise(models.Model):
    class Status(models.TextChoices):
        SUPERVISED = "supervised", _("Dalam pembinaan")
        ENDED = "ended", _("Pembinaan selesai")

    class Decision(models.TextChoices):
        UNDECIDED = "", _("Belum diputuskan")
        CONTINUE = "continue", _("Lanjut berjualan")
        LEAVE = "leave", _("Berhenti berjualan")

    facility = models.OneToOneField(
        Facility,
        on_delete=models.PROTECT,
        related_name="enterprise",
        verbose_name=_("toko usaha"),
    )
    bapas = models.ForeignKey(
        Facility,
        on_delete=models.PROTECT,
        related_name="mentored_enterprises",
        limit_choices_to={"kind": Facility.Kind.BAPAS},
        verbose_name=_("Bapas pembimbing"),
    )
    client_name = models.CharField(_("nama klien"), max_length=120)
    show_client_name = models.BooleanField(
        _("nama klien tampil di toko"),
        default=False,
        help_text=_("Bila tidak, publik hanya melihat nama toko."),
    )
    # The client's own words, shown only when they agreed to tell their story.
    story_shared = models.BooleanField(_("klien setuju kisahnya diceritakan"), default=False)
    story = models.TextField(_("kisah usaha"), blank=True)
    shows_bapas_mark = models.BooleanField(_("tanda usaha binaan Bapas tampil"), default=True)
    consent_signed_on = models.DateField(_("tanggal persetujuan tertulis"))
    consent_form = models.FileField(
        _("formulir persetujuan bertanda tangan"), upload_to=consent_upload_to, blank=True
    )
    supervision_starts_on = models.DateField(_("pembimbingan mulai"))
    supervision_ends_on = models.DateField(_("pembimbingan berakhir"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUPERVISED
    )
    decision = models.CharField(
        _("keputusan klien setelah pembinaan"),
        max_length=10,
        choices=Decision.choices,
        default=Decision.UNDECIDED,
        blank=True,
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("didaftarkan"), auto_now_add=True)
    ended_at = models.DateTimeField(_("pembinaan diakhiri"), null=True, blank=True)
    decided_at = models.DateTimeField(_("keputusan dicatat"), null=True, blank=True)
    erased_at = models.DateTimeField(_("data klien dihapus"), null=True, blank=True)

    class Meta:
        ordering = ["facility__name"]
        verbose_name = _("usaha binaan")
        verbose_name_plural = _("usaha binaan")
        constraints = [
            models.CheckConstraint(
                name="enterprise_supervision_in_order",
                condition=models.Q(supervision_ends_on__gte=models.F("supervision_starts_on")),
                violation_error_message=_("Akhir pembimbingan harus setelah awalnya."),
            ),
            # No story without the client's yes: the flag off empties the text.
            models.CheckConstraint(
                name="enterprise_story_only_when_shared",
                condition=models.Q(story_shared=True) | models.Q(story=""),
            ),
            models.CheckConstraint(
                name="enterprise_decision_after_end",
                condition=models.Q(decision="") | models.Q(status="ended"),
            ),
        ]

    def __str__(self):
        return self.facility.name

    @property
    def is_leaving(self) -> bool:
        return self.decision == self.Decision.LEAVE

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class MentoringVisit(models.Model):
    """One visit of the Bapas to the business: what was talked about and what
    comes next. Read by the Bapas and the client; never public."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="visits", verbose_name=_("usaha")
    )
    visited_on = models.DateField(_("tanggal kunjungan"))
    topic = models.CharField(_("topik"), max_length=160)
    notes = models.TextField(_("catatan"), blank=True)
    next_step = models.CharField(_("langkah berikutnya"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("kunjungan pendampingan")
        verbose_name_plural = _("kunjungan pendampingan")

    def __str__(self):
        return f"{self.visited_on:%d-%m-%Y} {self.topic}"


class EnterpriseEvent(models.Model):
    """The business's history: registered, supervision ended, the client's
    decision, the mark changed, exported, erased."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("Didaftarkan")
        VISIT = "visit", _("Kunjungan dicatat")
        ENDED = "ended", _("Pembinaan diakhiri")
        DECIDED = "decided", _("Keputusan klien")
        MARK = "mark", _("Tanda Bapas diubah")
        EXPORTED = "exported", _("Data diunduh")
        ERASED = "erased", _("Data klien dihapus")

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("riwayat usaha binaan")
        verbose_name_plural = _("riwayat usaha binaan")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created_at:%d-%m-%Y})"
