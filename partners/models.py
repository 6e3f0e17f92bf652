"""Partner logins and what they send: an outlet's reports (idempotent), its
receipt of a hand-over, payments to the facility; packaging houses, the
facilities' requests to them and their proposals."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.fields import MoneyField, PhoneField
from core.money import MAX_ORDER_TOTAL, MAX_UNIT_AMOUNT
from core.private_media import PRIVATE_MEDIA_PREFIX
from facilities.models import PartnerOutlet


class PackagingHouse(models.Model):
    """A packaging house (rumah kemasan): a municipal or cooperative workshop
    that designs packaging and labels for small producers. It serves every
    facility of its city, so it belongs to no facility."""

    name = models.CharField(_("nama"), max_length=160, unique=True)
    city = models.CharField(_("kota/kabupaten"), max_length=80)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    contact_name = models.CharField(_("narahubung"), max_length=120, blank=True)
    contact_phone = PhoneField(_("telepon"), blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["city", "name"]
        verbose_name = _("rumah kemasan")
        verbose_name_plural = _("rumah kemasan")

    def __str__(self):
        return f"{self.name} ({self.city})"


class PartnerAccount(models.Model):
    """A login limited to one partner: an outlet (created and switched off by
    its facility's staff) or a packaging house (by head office). The user is
    never staff and has no Membership, so the admin and every scoped list
    answer it with nothing; only the partner desk (partners.views) opens."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="partner_account",
        verbose_name=_("pengguna"),
    )
    outlet = models.ForeignKey(
        "facilities.PartnerOutlet",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("mitra penjualan"),
    )
    packaging_house = models.ForeignKey(
        PackagingHouse,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
        verbose_name=_("rumah kemasan"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dibuat oleh"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("akun mitra")
        verbose_name_plural = _("akun mitra")
        constraints = [
            models.CheckConstraint(
                name="partner_account_one_partner",
                condition=(
                    models.Q(outlet__isnull=False, packaging_house__isnull=True)
                    | models.Q(outlet__isnull=True, packaging_house__isnull=False)
                ),
            )
        ]

    def __str__(self):
        return f"{self.user.get_username()} · {self.outlet or self.packaging_house}"


class OutletReport(models.Model):
    """A sale or return an outlet sent from its phone, under the key its form
    carried: the key is claimed (unique) before the movement is written, so a
    double tap or a replayed POST finds the first report and writes nothing."""

    account = models.ForeignKey(PartnerAccount, on_delete=models.PROTECT, related_name="reports")
    key = models.CharField(_("kunci"), max_length=64)
    movement = models.OneToOneField(
        "catalog.ConsignmentMovement",
        on_delete=models.PROTECT,
        null=True,
        related_name="outlet_report",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("laporan mitra")
        verbose_name_plural = _("laporan mitra")
        constraints = [
            models.UniqueConstraint(fields=["account", "key"], name="outlet_report_key_once")
        ]

    def __str__(self):
        return f"{self.account} · {self.key}"


class HandoverReceipt(models.Model):
    """The outlet's word that a hand-over arrived as recorded: the facility
    wrote the hand-over, the other party confirms it (see docs/partners.md)."""

    movement = models.OneToOneField(
        "catalog.ConsignmentMovement",
        on_delete=models.PROTECT,
        related_name="receipt",
        verbose_name=_("serah terima"),
    )
    account = models.ForeignKey(PartnerAccount, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("diterima pada"), auto_now_add=True)

    class Meta:
        verbose_name = _("tanda terima titipan")
        verbose_name_plural = _("tanda terima titipan")

    def __str__(self):
        return f"{self.movement} ✓ {self.received_at:%d/%m/%Y}"


def payment_proof_upload_to(instance, filename: str) -> str:
    # Private: a transfer receipt carries account numbers and names.
    return f"{PRIVATE_MEDIA_PREFIX}outlet-payments/{uuid.uuid4().hex}.jpg"


class OutletPayment(models.Model):
    """Money an outlet pays the facility for a month's consignment sales.
    Reported by the outlet with a proof, or recorded by the facility; only a
    confirmed payment lowers what the outlet owes."""

    class Status(models.TextChoices):
        REPORTED = "reported", _("Dilaporkan mitra")
        CONFIRMED = "confirmed", _("Diterima UPT")
        REJECTED = "rejected", _("Ditolak UPT")

    outlet = models.ForeignKey(
        "facilities.PartnerOutlet",
        on_delete=models.PROTECT,
        related_name="payments",
        verbose_name=_("mitra penjualan"),
    )
    month = models.DateField(_("untuk penjualan bulan"), help_text=_("Tanggal 1 bulan itu."))
    amount = MoneyField(_("jumlah (Rp)"), limit=MAX_ORDER_TOTAL, validators=[MinValueValidator(1)])
    paid_on = models.DateField(_("tanggal bayar"))
    proof = models.FileField(_("bukti"), upload_to=payment_proof_upload_to, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REPORTED
    )
    key = models.CharField(_("kunci"), max_length=64)
    note = models.CharField(_("catatan"), max_length=300, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dicatat oleh"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    decided_at = models.DateTimeField(_("diputuskan pada"), null=True, blank=True)
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("setoran mitra")
        verbose_name_plural = _("setoran mitra")
        constraints = [
            models.UniqueConstraint(fields=["outlet", "key"], name="outlet_payment_key_once"),
            models.CheckConstraint(
                name="outlet_payment_month_first_day",
                condition=models.Q(month__day=1),
            ),
        ]

    def __str__(self):
        return f"{self.outlet} · {self.month:%m/%Y} · {self.amount}"


def private_upload_to(instance, filename: str) -> str:
    # Private until a reviewer has seen them: a workshop photo may show people,
    # and a proposal's photos are not public until the listing is approved.
    return f"{PRIVATE_MEDIA_PREFIX}packaging/{uuid.uuid4().hex}.jpg"


class PackagingRequest(models.Model):
    """A facility asks a packaging house of its city to help with a product."""

    class Status(models.TextChoices):
        OPEN = "open", _("Menunggu usulan")
        PROPOSED = "proposed", _("Ada usulan")
        ACCEPTED = "accepted", _("Usulan diterima")
        CLOSED = "closed", _("Ditutup")

    facility = models.ForeignKey(
        "facilities.Facility",
        on_delete=models.PROTECT,
        related_name="packaging_requests",
        verbose_name=_("UPT"),
    )
    product = models.ForeignKey(
        "catalog.Product",
        on_delete=models.PROTECT,
        related_name="packaging_requests",
        verbose_name=_("produk"),
    )
    house = models.ForeignKey(
        PackagingHouse,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("rumah kemasan"),
    )
    note = models.TextField(_("kebutuhan"))
    photo = models.FileField(
        _("foto produk/kemasan sekarang"), upload_to=private_upload_to, blank=True
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("permintaan kemasan")
        verbose_name_plural = _("permintaan kemasan")

    def __str__(self):
        return f"{self.product} → {self.house}"


class PackagingProposal(models.Model):
    """A packaging house's answer: the new packaging (photos) and label data.
    Accepted by the facility, it becomes an edit of the product that goes
    through listing review (partners.services.packaging_proposal_accept)."""

    class Status(models.TextChoices):
        SENT = "sent", _("Dikirim")
        ACCEPTED = "accepted", _("Diterima UPT")
        DECLINED = "declined", _("Tidak dipakai")

    request = models.ForeignKey(
        PackagingRequest,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("permintaan"),
    )
    text = models.TextField(_("usulan"))
    price = MoneyField(_("biaya (Rp)"), limit=MAX_UNIT_AMOUNT, null=True, blank=True)
    composition = models.TextField(_("komposisi"), blank=True)
    net_content = models.CharField(_("berat/isi bersih"), max_length=40, blank=True)
    food_registration = models.CharField(_("nomor P-IRT/BPOM"), max_length=60, blank=True)
    halal_certificate = models.CharField(_("nomor sertifikat halal"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SENT
    )
    key = models.CharField(_("kunci"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("oleh"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("diputuskan oleh"),
    )
    created_at = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("usulan kemasan")
        verbose_name_plural = _("usulan kemasan")
        constraints = [
            models.UniqueConstraint(fields=["request", "key"], name="packaging_proposal_key_once")
        ]

    def __str__(self):
        return f"#{self.pk} {self.request}"


class PackagingPhoto(models.Model):
    """A photo of the proposed packaging, kept as uploaded (checked by the
    photo pipeline) until the facility accepts: then catalog's photo service
    adds it to the product, which sends the listing to review."""

    proposal = models.ForeignKey(PackagingProposal, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("foto"), upload_to=private_upload_to)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("foto usulan kemasan")
        verbose_name_plural = _("foto usulan kemasan")

    def __str__(self):
        return f"#{self.pk}"


class OutletStatement(PartnerOutlet):
    """An outlet seen as a debtor: what it sold on consignment and what the
    facility confirmed received (the admin's "Tagihan mitra"). No table."""

    class Meta:
        proxy = True
        verbose_name = _("tagihan mitra")
        verbose_name_plural = _("tagihan mitra")
