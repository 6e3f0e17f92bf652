"""Regions (Kanwil), facilities (Lapas, Rutan, Bapas, LPKA) and who works where.

Domain words, defined once:
- Kanwil: a regional office of the corrections directorate, one per province.
- Lapas: prison (lembaga pemasyarakatan); Rutan: remand centre (rumah tahanan);
  Bapas: probation office (balai pemasyarakatan); LPKA: juvenile facility.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from marketplace.fields import PhoneField
from marketplace.phone import whatsapp_digits


class Region(models.Model):
    name = models.CharField(_("nama"), max_length=120, unique=True)
    province = models.CharField(_("provinsi"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kanwil")
        verbose_name_plural = _("Kanwil")

    def __str__(self):
        return self.name


class Facility(models.Model):
    class Kind(models.TextChoices):
        LAPAS = "lapas", "Lapas"
        RUTAN = "rutan", "Rutan"
        BAPAS = "bapas", "Bapas"
        LPKA = "lpka", "LPKA"

    class Class(models.TextChoices):
        I = "I", _("Kelas I")  # noqa: E741 - the official class name
        IIA = "IIA", _("Kelas IIA")
        IIB = "IIB", _("Kelas IIB")
        II = "II", _("Kelas II")
        III = "III", _("Kelas III")
        NONE = "", _("Tanpa kelas")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB"
        WITA = "Asia/Makassar", "WITA"
        WIT = "Asia/Jayapura", "WIT"

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("Kanwil")
    )
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    facility_class = models.CharField(_("kelas"), max_length=4, choices=Class.choices, blank=True)
    is_womens = models.BooleanField(_("khusus perempuan"), default=False)
    name = models.CharField(_("nama"), max_length=160, unique=True)
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    address = models.CharField(_("alamat"), max_length=255)
    city = models.CharField(_("kota/kabupaten"), max_length=80)
    province = models.CharField(_("provinsi"), max_length=80)
    timezone = models.CharField(
        _("zona waktu"), max_length=32, choices=TimeZone.choices, default=TimeZone.WIB
    )
    phone = PhoneField(_("telepon"), blank=True)
    whatsapp = PhoneField(_("WhatsApp"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    showroom_hours = models.CharField(
        _("jam buka showroom"),
        max_length=160,
        blank=True,
        help_text=_("Contoh: Senin–Jumat 08.00–15.00"),
    )
    about = models.TextField(
        _("tentang"), blank=True, help_text=_("Program pembinaan kemandirian dan karya unggulan.")
    )
    logo = models.ImageField(_("logo"), upload_to="facilities/logo/", blank=True)
    banner = models.ImageField(_("banner"), upload_to="facilities/banner/", blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("UPT")
        verbose_name_plural = _("UPT")
        indexes = [models.Index(fields=["province", "kind"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalog:storefront", kwargs={"slug": self.slug})

    @property
    def whatsapp_number(self) -> str:
        """Digits for wa.me links: the WhatsApp number, else the phone."""
        number = self.whatsapp or self.phone
        return whatsapp_digits(number) if number else ""


class BankAccount(models.Model):
    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="bank_accounts", verbose_name=_("UPT")
    )
    bank_name = models.CharField(_("bank"), max_length=60)
    account_number = models.CharField(_("nomor rekening"), max_length=30)
    account_holder = models.CharField(_("atas nama"), max_length=120)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["bank_name"]
        verbose_name = _("rekening bank")
        verbose_name_plural = _("rekening bank")

    def __str__(self):
        return f"{self.bank_name} {self.account_number} a.n. {self.account_holder}"


class Membership(models.Model):
    """Where a staff user works: one facility, one region, or head office.

    Permissions come from the role's group (created by a data migration);
    which rows a user may see comes from this row (see facilities.scoping).
    """

    class Role(models.TextChoices):
        FACILITY_STAFF = "facility_staff", _("Petugas UPT")
        REGIONAL_REVIEWER = "regional_reviewer", _("Peninjau Kanwil")
        HEAD_OFFICE = "head_office", _("Kantor Pusat")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    facility = models.ForeignKey(
        Facility,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("UPT"),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("Kanwil"),
    )

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(role="facility_staff", facility__isnull=False, region__isnull=True)
                    | models.Q(
                        role="regional_reviewer", facility__isnull=True, region__isnull=False
                    )
                    | models.Q(role="head_office", facility__isnull=True, region__isnull=True)
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()}"


class ProceedsShare(models.Model):
    """One slice of how a facility shares its sales proceeds, e.g. the inmates'
    wage share, the state revenue (PNBP) share, materials.

    Configuration, not code: the sales report multiplies each facility's goods
    revenue by these percentages. A facility's shares add up to at most 100;
    what is left unallocated is shown as such (checked in the admin formset,
    since a sum across rows cannot be a row constraint).
    """

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="proceeds_shares", verbose_name=_("UPT")
    )
    name = models.CharField(
        _("nama bagian"), max_length=80, help_text=_("Contoh: Premi warga binaan, PNBP, Bahan baku")
    )
    percent = models.DecimalField(
        _("persentase"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("100"))],
        help_text=_("Persen dari pendapatan penjualan barang (tanpa ongkos kirim)."),
    )
    position = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("pembagian hasil penjualan")
        verbose_name_plural = _("pembagian hasil penjualan")
        constraints = [
            models.CheckConstraint(
                name="proceeds_share_percent_range",
                condition=models.Q(percent__gt=0, percent__lte=100),
            ),
            models.UniqueConstraint(fields=["facility", "name"], name="proceeds_share_unique_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.percent}%)"
