"""The proceeds ledger: per facility and month, what was paid or deposited
against what the month's sales owe by the facility's shares.

Money is whole rupiah (core.fields.MoneyField). Premi is recorded per work
programme as a total, never per person: the ledger names no inmate, and the
headcount of a programme is a number, nothing more.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField
from core.private_media import PRIVATE_MEDIA_PREFIX
from facilities.models import Facility
from proceeds import rules


class WorkProgramme(models.Model):
    """A work programme of a facility (kegiatan kerja: tenun, mebel, roti, ...)."""

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="work_programmes", verbose_name=_("UPT")
    )
    name = models.CharField(_("nama program kerja"), max_length=120)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["facility__name", "name"]
        verbose_name = _("program kerja")
        verbose_name_plural = _("program kerja")
        constraints = [
            models.UniqueConstraint(fields=["facility", "name"], name="programme_unique_name")
        ]

    def __str__(self):
        return self.name


class ProgrammeMonth(models.Model):
    """How many people took part in a programme in a month: a count, for the
    impact page (hidden there below rules.SMALL_CELL)."""

    programme = models.ForeignKey(
        WorkProgramme, on_delete=models.PROTECT, related_name="months", verbose_name=_("program")
    )
    month = models.DateField(_("bulan"))
    participants = models.PositiveIntegerField(_("jumlah peserta"))
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "programme__name"]
        verbose_name = _("peserta program per bulan")
        verbose_name_plural = _("peserta program per bulan")
        constraints = [
            models.UniqueConstraint(fields=["programme", "month"], name="programme_month_once"),
            models.CheckConstraint(
                name="programme_month_first_day", condition=models.Q(month__day=1)
            ),
        ]

    def __str__(self):
        return f"{self.programme} {self.month:%Y-%m}"


class LedgerMonth(models.Model):
    """One facility's month in the ledger. Open until closed; closed is final
    and read-only, and keeps the figures it was closed on."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        CLOSED = "closed", _("Ditutup")

    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="ledger_months", verbose_name=_("UPT")
    )
    month = models.DateField(_("bulan"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    # The figures as they stood at the close: {"sales": {...}, "due": {...}, "paid": {...}}.
    closed_figures = models.JSONField(_("angka saat ditutup"), default=dict, blank=True)
    due_total = models.BigIntegerField(_("terutang"), default=0)
    paid_total = models.BigIntegerField(_("dibayar"), default=0)
    explanation = models.TextField(_("penjelasan selisih"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ditutup oleh"),
    )
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "facility__name"]
        verbose_name = _("bulan buku hasil")
        verbose_name_plural = _("bulan buku hasil")
        constraints = [
            models.UniqueConstraint(fields=["facility", "month"], name="ledger_month_once"),
            models.CheckConstraint(name="ledger_month_first_day", condition=models.Q(month__day=1)),
            models.CheckConstraint(
                name="ledger_month_closed_has_time",
                condition=models.Q(status="open") | models.Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.facility} {self.month:%Y-%m}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def difference(self) -> int:
        return self.paid_total - self.due_total


def proof_path(instance, filename: str) -> str:
    # The server's own name, never the uploader's; under the private folder.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{PRIVATE_MEDIA_PREFIX}proceeds/{uuid.uuid4().hex}.{extension}"


class LedgerEntry(models.Model):
    """Money actually paid out of a month's proceeds: premi to a programme (a
    total), a PNBP deposit (SIMPONI billing code and NTPN), materials bought,
    or another share. Each with its proof and who entered it."""

    ledger = models.ForeignKey(
        LedgerMonth, on_delete=models.PROTECT, related_name="entries", verbose_name=_("bulan")
    )
    # The ledger's facility again, so uniqueness and scope need no join.
    facility = models.ForeignKey(
        Facility, on_delete=models.PROTECT, related_name="+", verbose_name=_("UPT")
    )
    kind = models.CharField(_("jenis"), max_length=8, choices=rules.KIND_CHOICES)
    programme = models.ForeignKey(
        WorkProgramme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="premi_entries",
        verbose_name=_("program kerja"),
    )
    amount = MoneyField(_("jumlah"))
    paid_on = models.DateField(_("tanggal bayar/setor"))
    reference = models.CharField(
        _("nomor bukti"), max_length=60, help_text=_("Nomor kuitansi, daftar premi atau faktur.")
    )
    billing_code = models.CharField(_("kode billing SIMPONI"), max_length=15, blank=True)
    ntpn = models.CharField(_("NTPN"), max_length=16, blank=True)
    proof = models.FileField(_("bukti"), upload_to=proof_path, max_length=200)
    note = models.CharField(_("catatan"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    entered_at = models.DateTimeField(_("dicatat pada"), auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "id"]
        verbose_name = _("pembayaran hasil")
        verbose_name_plural = _("pembayaran hasil")
        constraints = [
            # A double submit or a second entry of the same receipt is refused.
            models.UniqueConstraint(
                fields=["facility", "kind", "reference"], name="ledger_entry_reference_once"
            ),
            models.UniqueConstraint(
                fields=["ntpn"], condition=~models.Q(ntpn=""), name="ledger_entry_ntpn_once"
            ),
            models.UniqueConstraint(
                fields=["billing_code"],
                condition=~models.Q(billing_code=""),
                name="ledger_entry_billing_code_once",
            ),
            models.CheckConstraint(
                name="ledger_entry_premi_has_programme",
                condition=~models.Q(kind=rules.PREMI) | models.Q(programme__isnull=False),
            ),
            models.CheckConstraint(
                name="ledger_entry_pnbp_has_codes",
                condition=~models.Q(kind=rules.PNBP)
                | (~models.Q(billing_code="") & ~models.Q(ntpn="")),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.reference}"
